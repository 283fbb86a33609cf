import { describe, expect, it } from 'vitest';
import { UsageError } from '../../core/errors.ts';
import { awsShards } from './aws-shards.ts';

describe('awsShards', () => {
  it.each([
    ['--shards on AWS', { target: 'aws' as const, shards: 10 }, 2, 10],
    ['the remembered count on AWS', { target: 'aws' as const }, 4, 4],
    ["nothing on AWS: cdk.json's", { target: 'aws' as const }, undefined, undefined],
    ['nothing on the local cloud, whatever AWS had', { target: 'local' as const }, 4, undefined],
  ])('%s', (_, opts, remembered, expected) => {
    // Act & Assess
    expect(awsShards(opts, remembered)).toBe(expected);
  });

  it.each([
    [
      { target: 'local' as const, shards: 10 },
      "--shards is for --target aws: the local cloud's streams get theirs when it starts (`npm start -- --shards 10`)",
    ],
    [
      { target: 'aws' as const, shards: 0 },
      "--shards takes a whole number of shards per stream from 1 to 100, e.g. --shards 10 (got '0')",
    ],
    [
      { target: 'aws' as const, shards: 2.5 },
      "--shards takes a whole number of shards per stream from 1 to 100, e.g. --shards 10 (got '2.5')",
    ],
    [
      { target: 'aws' as const, shards: Number.NaN },
      "--shards takes a whole number of shards per stream from 1 to 100, e.g. --shards 10 (got 'NaN')",
    ],
  ])('refuses %j in one line', (opts, message) => {
    // Act
    const run = () => awsShards(opts);

    // Assess
    expect(run).toThrow(UsageError);
    expect(run).toThrow(message);
  });
});
