import { UsageError } from '../../core/errors.ts';
import type { Target } from '../../core/target.ts';
import { MAX_SHARDS } from '../../infra/context.ts';

/**
 * The shards of each stream a deploy or catch-up passes to cdk (`-c shards=N`) on the AWS target:
 * `--shards`, else the count the last one chose (remembered, so a later deploy does not reshard
 * the streams back to cdk.json's 1, which Kinesis refuses below half the current count), else
 * none (cdk.json's context). The local cloud's streams take theirs from `npm start -- --shards N`.
 * @throws UsageError for `--shards` on the local target, or a count the stacks cannot take
 */
export function awsShards(
  opts: { target: Target; shards?: number },
  remembered?: number,
): number | undefined {
  const { shards } = opts;
  if (shards === undefined) return opts.target === 'aws' ? remembered : undefined;
  if (opts.target !== 'aws') {
    throw new UsageError(
      `--shards is for --target aws: the local cloud's streams get theirs when it starts (\`npm start -- --shards ${shards}\`)`,
    );
  }
  if (!Number.isInteger(shards) || shards < 1 || shards > MAX_SHARDS) {
    throw new UsageError(
      `--shards takes a whole number of shards per stream from 1 to ${MAX_SHARDS}, e.g. --shards 10 (got '${shards}')`,
    );
  }
  return shards;
}
