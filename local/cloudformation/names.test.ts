import { describe, expect, it } from 'vitest';
import { NAME_RULES, physicalName } from './names.ts';

describe('physicalName', () => {
  it.each([
    [
      'a stream',
      'WildRydesStreaming',
      'Stream1234',
      NAME_RULES.kinesisStream,
      '',
      'WildRydesStreaming-Stream1234',
    ],
    [
      'a bucket is lower case',
      'WildRydesFiles',
      'Notes5BB3582F',
      NAME_RULES.s3Bucket,
      '',
      'wildrydesfiles-notes5bb3582f',
    ],
    ['a FIFO queue keeps .fifo', 'Stack', 'Jobs', NAME_RULES.sqsQueue, '.fifo', 'Stack-Jobs.fifo'],
    ['refused characters become -', 'My_Stack', 'A', NAME_RULES.s3Bucket, '', 'my-stack-a'],
  ])('%s', (_name, stack, id, rule, suffix, expected) => {
    // Act / Assess
    expect(physicalName(stack, id, rule, suffix)).toBe(expected);
  });

  it.each([
    ['lambdaFunction', NAME_RULES.lambdaFunction, ''],
    ['sqsQueue', NAME_RULES.sqsQueue, '.fifo'],
    ['s3Bucket', NAME_RULES.s3Bucket, ''],
    ['eventsRule', NAME_RULES.eventsRule, ''],
  ])('shortens a long name to the %s limit, stably and uniquely', (_kind, rule, suffix) => {
    // Prepare
    const stack = 'WildRydesStreamAggregationWithAVeryLongStackNameIndeed';
    // Act
    const a = physicalName(stack, 'AggregatorFunctionServiceRoleDefaultPolicyABCDEF12', rule, suffix);
    const again = physicalName(stack, 'AggregatorFunctionServiceRoleDefaultPolicyABCDEF12', rule, suffix);
    const b = physicalName(stack, 'AggregatorFunctionServiceRoleDefaultPolicyABCDEF13', rule, suffix);
    // Assess
    expect(a.length).toBeLessThanOrEqual(rule.maxLength);
    expect(a.endsWith(suffix)).toBe(true);
    expect(a).toBe(again);
    expect(a).not.toBe(b);
    expect([...a.slice(0, a.length - suffix.length)].every((ch) => rule.allowed.test(ch))).toBe(true);
  });
});
