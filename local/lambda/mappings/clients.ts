import { KinesisClient } from '@aws-sdk/client-kinesis';
import { S3Client } from '@aws-sdk/client-s3';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { GetQueueUrlCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../../types.ts';
import { isTopicArn, parseEventSourceArn } from '../arn.ts';

/** SDK clients the Lambda service uses against the local cloud: the pollers', and S3 for packages. */
export interface Clients {
  kinesis: KinesisClient;
  sqs: SQSClient;
  sns: SNSClient;
  s3: S3Client;
}

/**
 * Clients for the local cloud's endpoint, never the machine's AWS settings. HTTP/1.1 (the
 * gateway speaks both): the Kinesis client would otherwise open HTTP/2 sessions per poller.
 */
export function localClients(endpoint: string): Clients {
  const config = {
    endpoint,
    region: LOCAL_REGION,
    credentials: LOCAL_CREDENTIALS,
    requestHandler: new NodeHttpHandler({ connectionTimeout: 5_000 }),
  };
  return {
    kinesis: new KinesisClient(config),
    sqs: new SQSClient(config),
    sns: new SNSClient(config),
    // Path-style: the local cloud serves every bucket on its one host.
    s3: new S3Client({ ...config, forcePathStyle: true }),
  };
}

/** The URL of a queue named by its ARN (`GetQueueUrl` with the queue name). */
export async function queueUrl(sqs: SQSClient, arn: string): Promise<string> {
  const source = parseEventSourceArn(arn);
  if (source?.kind !== 'sqs') throw new Error(`${arn} is not an SQS queue ARN`);
  const out = await sqs.send(new GetQueueUrlCommand({ QueueName: source.queueName }));
  if (!out.QueueUrl) throw new Error(`no URL for queue ${source.queueName}`);
  return out.QueueUrl;
}

/** Sends a JSON document to an on-failure destination: an SQS queue or an SNS topic. */
export async function sendToDestination(clients: Clients, arn: string, document: unknown): Promise<void> {
  const body = JSON.stringify(document);
  if (isTopicArn(arn)) {
    await clients.sns.send(new PublishCommand({ TopicArn: arn, Message: body }));
    return;
  }
  await clients.sqs.send(
    new SendMessageCommand({ QueueUrl: await queueUrl(clients.sqs, arn), MessageBody: body }),
  );
}
