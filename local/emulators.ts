import type { Server } from 'node:http';
import dynalite from 'dynalite';
import { buildApp } from 'fauxqs';
import kinesalite from 'kinesalite';
import { useLeanStorage as useLeanDynamoDbStorage } from './dynamodb/lean-storage.ts';
import { useLeanStorage as useLeanKinesisStorage } from './kinesis/lean-storage.ts';
import { useFastSequenceNumbers } from './kinesis/sequences.ts';

/** Where an emulator listens: always loopback, on a port the OS chose. */
export interface EmulatorAddress {
  host: string;
  port: number;
  /** Its HTTP server, in this process: the gateway calls its request handler without a socket. */
  server?: Server;
}

export interface Emulators {
  kinesis: EmulatorAddress;
  dynamodb: EmulatorAddress;
  /** fauxqs serves S3, SQS, SNS and STS's GetCallerIdentity. */
  fauxqs: EmulatorAddress;
  stop(): Promise<void>;
}

const LOOPBACK = '127.0.0.1';

/** Streams and tables go through CREATING before ACTIVE, as on AWS, but only briefly. */
const TRANSITION_MS = 50;

async function listen(server: Server): Promise<EmulatorAddress> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, LOOPBACK, resolve);
  });
  const address = server.address();
  if (typeof address !== 'object' || address === null) throw new Error('emulator has no address');
  return { host: LOOPBACK, port: address.port };
}

const close = (server: Server) =>
  new Promise<void>((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });

/** Starts kinesalite, dynalite and fauxqs in this process, in memory, on loopback. */
export async function startEmulators(): Promise<Emulators> {
  useFastSequenceNumbers();
  useLeanKinesisStorage();
  useLeanDynamoDbStorage();
  const kinesis = kinesalite({
    createStreamMs: TRANSITION_MS,
    deleteStreamMs: TRANSITION_MS,
    updateStreamMs: TRANSITION_MS,
    shardLimit: 10_000,
  });
  const dynamodb = dynalite({
    createTableMs: TRANSITION_MS,
    deleteTableMs: TRANSITION_MS,
    updateTableMs: TRANSITION_MS,
  });
  // fauxqs's own startFauxqs() binds 0.0.0.0; building the app lets us bind loopback only.
  const fauxqs = buildApp({ logger: false });
  const [kinesisAddress, dynamodbAddress] = await Promise.all([listen(kinesis), listen(dynamodb)]);
  await fauxqs.listen({ host: LOOPBACK, port: 0 });
  const fauxqsAddress = fauxqs.server.address();
  if (typeof fauxqsAddress !== 'object' || fauxqsAddress === null) throw new Error('fauxqs has no address');
  return {
    kinesis: { ...kinesisAddress, server: kinesis },
    dynamodb: { ...dynamodbAddress, server: dynamodb },
    fauxqs: { host: LOOPBACK, port: fauxqsAddress.port },
    async stop() {
      await Promise.all([close(kinesis), close(dynamodb), fauxqs.close()]);
    },
  };
}
