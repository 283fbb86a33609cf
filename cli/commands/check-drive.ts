/**
 * `--drive`: a check sends its own fresh data before it looks. Module 1 uploads the sample notes
 * under a fresh prefix; modules 2 to 5 send a short ride of fresh unicorns with the producer's
 * own sender (batching, retries with backoff), all at once.
 */
import { join } from 'node:path';
import { names } from '../../checks/names.ts';
import type { Drive } from '../../checks/report.ts';
import type { UnicornAggregate, UnicornStatus } from '../../contracts/telemetry.ts';
import { repoRoot } from '../../core/curriculum.ts';
import { UsageError } from '../../core/errors.ts';
import type { Target, TargetConfig } from '../../core/target.ts';
import { createKinesis, kinesisPutRecords } from '../../producer/aws.ts';
import { startPump } from '../../producer/pump.ts';
import { Sender } from '../../producer/sender.ts';
import { DRIVE_PREFIX, freshName, rideAggregates, ridePlan, rideRecords } from '../lib/drive-plan.ts';
import { upload } from './upload.ts';

/** What was sent, and the unicorn the check should look at. */
export interface Driven {
  drive: Drive;
  /** The unicorn the check follows (`--name`), for modules 2 to 5. */
  name?: string;
  /** One line saying what was sent. */
  summary: string;
}

const SAMPLES = join(repoRoot, 'modules', '01-file-processing', 'samples');

/**
 * Sends the module's data. Something not deployed is not an error here: the check that follows
 * says what is missing, with its hint.
 */
export async function drive(
  moduleKey: string,
  target: TargetConfig,
  opts: { target: Target; region?: string },
): Promise<Driven> {
  const fresh = (base: string) => freshName(base, Date.now(), Math.random);
  const since = new Date(Date.now() - 1_000);
  if (moduleKey === 'module1') {
    const prefix = `${fresh(DRIVE_PREFIX)}/`;
    try {
      await upload({ files: [SAMPLES], target: opts.target, region: opts.region, prefix }, () => undefined);
    } catch (err) {
      if (!(err instanceof UsageError)) throw err;
      return { drive: { since, prefix }, summary: `could not upload the samples: ${err.message}` };
    }
    return { drive: { since, prefix }, summary: `uploaded the sample notes to ${prefix}` };
  }
  const plan = ridePlan(moduleKey, fresh);
  const records = rideRecords(plan, new Date(), Date.now() % 1_000_000);
  if (moduleKey === 'module4') {
    // Module 4 reads the aggregated stream: send it what module 3 would, and wait for no window.
    const aggregates = rideAggregates(records, AGGREGATE_WINDOW_SECONDS);
    const sent = await sendRecords(target, aggregates, names.aggregatedStream).catch(noStream);
    return {
      drive: { since, unicorns: plan.unicorns, aggregated: true },
      name: plan.unicorns[0],
      summary:
        sent > 0
          ? `sent ${aggregates.length} aggregated records of ${plan.unicorns[0]} (a ${records.length}-s ride in ${AGGREGATE_WINDOW_SECONDS}-s windows) to '${names.aggregatedStream}'`
          : `could not send aggregated records: there is no stream '${names.aggregatedStream}'`,
    };
  }
  const sent = await sendRecords(target, records, names.rawStream).catch(noStream);
  const who = plan.tired
    ? `${plan.tired} (tires) and ${plan.unicorns.filter((u) => u !== plan.tired).join(', ')}`
    : plan.unicorns.join(', ');
  return {
    drive: { since, unicorns: plan.unicorns, tired: plan.tired },
    name: plan.unicorns[0],
    summary:
      sent > 0
        ? `sent a ${records.length / plan.unicorns.length}-record ride of ${who} to '${names.rawStream}'`
        : `could not send a ride: there is no stream '${names.rawStream}'`,
  };
}

/** Windows of the aggregates module 4's drive sends (module 3's own windows do not matter there). */
const AGGREGATE_WINDOW_SECONDS = 10;

const noStream = (err: unknown): number => {
  if ((err as Error)?.name === 'ResourceNotFoundException') return 0;
  throw err;
};

/** Puts records on a stream with the producer's sender, keyed by unicorn; the number Kinesis accepted. */
async function sendRecords(
  target: TargetConfig,
  records: readonly (UnicornStatus | UnicornAggregate)[],
  stream: string,
): Promise<number> {
  const { region, endpoint, credentials } = target.clientConfig;
  const client = createKinesis({ region, endpoint, credentials, where: target.describe });
  try {
    const sender = new Sender({ putRecords: kinesisPutRecords(client, stream) });
    const pump = startPump(sender);
    pump.push(records.map((r) => ({ partitionKey: r.Name, data: Buffer.from(JSON.stringify(r)) })));
    await pump.finish();
    return sender.stats().sent;
  } finally {
    client.destroy();
  }
}
