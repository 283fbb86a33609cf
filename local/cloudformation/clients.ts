/** SDK v3 clients for the local cloud's gateway: its endpoint, region us-east-1, dummy credentials. */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { KinesisClient } from '@aws-sdk/client-kinesis';
import { S3Client } from '@aws-sdk/client-s3';
import { SNSClient } from '@aws-sdk/client-sns';
import { SQSClient } from '@aws-sdk/client-sqs';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../types.ts';

/** The service clients the providers use. */
export interface Clients {
  kinesis: KinesisClient;
  dynamodb: DynamoDBClient;
  sqs: SQSClient;
  sns: SNSClient;
  s3: S3Client;
  /** Closes their connections. */
  destroy(): void;
}

/** Creates the clients for `endpoint` (the local cloud's gateway URL). */
export function createClients(endpoint: string): Clients {
  const config = { endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS, maxAttempts: 3 };
  // The Kinesis client defaults to HTTP/2; the deployer makes a handful of calls, and HTTP/1.1
  // sessions do not outlive the deployer the way an idle HTTP/2 session can.
  const kinesis = new KinesisClient({ ...config, requestHandler: new NodeHttpHandler() });
  const dynamodb = new DynamoDBClient(config);
  const sqs = new SQSClient(config);
  const sns = new SNSClient(config);
  const s3 = new S3Client({ ...config, forcePathStyle: true });
  return {
    kinesis,
    dynamodb,
    sqs,
    sns,
    s3,
    destroy() {
      for (const client of [kinesis, dynamodb, sqs, sns, s3]) client.destroy();
    },
  };
}
