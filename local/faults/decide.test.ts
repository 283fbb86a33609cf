import { describe, expect, it } from 'vitest';
import { type Draws, invocationDecision, isThrottledOperation, throttleDecision } from './decide.ts';
import { DrawStream, draw } from './draws.ts';

/** Draws from a fixed list, so each case says exactly which numbers came out. */
const drawsOf = (...values: number[]): Draws & { used: () => number } => {
  let i = 0;
  return {
    next: () => {
      const value = values[i++];
      if (value === undefined) throw new Error('drew more numbers than the case gives');
      return value;
    },
    used: () => i,
  };
};

describe('draws', () => {
  it('are the same for the same seed, stream and index, and in [0, 1)', () => {
    // Prepare
    const a = new DrawStream(7, 'service:kinesis');
    const b = new DrawStream(7, 'service:kinesis');

    // Act
    const first = Array.from({ length: 1000 }, () => a.next());
    const second = Array.from({ length: 1000 }, () => b.next());

    // Assess
    expect(second).toEqual(first);
    expect(first.every((x) => x >= 0 && x < 1)).toBe(true);
  });

  it.each([
    [7, 'service:kinesis', 8, 'service:kinesis'],
    [7, 'service:kinesis', 7, 'service:dynamodb'],
    [2 ** 32, 'function:a', 0, 'function:a'],
  ])('differ between seed %d / %s and seed %d / %s', (seedA, streamA, seedB, streamB) => {
    // Act
    const a = Array.from({ length: 20 }, (_, i) => draw(seedA, streamA, i));
    const b = Array.from({ length: 20 }, (_, i) => draw(seedB, streamB, i));

    // Assess
    expect(a).not.toEqual(b);
  });

  it('hit a rate about as often as the rate says', () => {
    // Prepare
    const stream = new DrawStream(1, 'service:dynamodb');

    // Act
    const hits = Array.from({ length: 10_000 }, () => stream.next()).filter((x) => x < 0.1).length;

    // Assess
    expect(hits).toBeGreaterThan(900);
    expect(hits).toBeLessThan(1100);
  });
});

describe('isThrottledOperation', () => {
  it.each([
    ['kinesis', 'PutRecords', true],
    ['kinesis', 'PutRecord', true],
    ['kinesis', 'GetRecords', true],
    ['kinesis', 'CreateStream', false],
    ['kinesis', 'ListShards', false],
    ['kinesis', 'GetShardIterator', false],
    ['dynamodb', 'BatchWriteItem', true],
    ['dynamodb', 'Scan', true],
    ['dynamodb', 'DescribeTable', false],
    ['dynamodb', 'CreateTable', false],
    ['comprehend', 'DetectSentiment', true],
  ] as const)('%s %s: %s', (service, operation, expected) => {
    // Act
    const throttled = isThrottledOperation(service, operation);

    // Assess
    expect(throttled).toBe(expected);
  });
});

describe('throttleDecision', () => {
  const noEntries = () => {
    throw new Error('the entries were read for a call that is not throttled as a batch');
  };

  it.each([
    ['a draw at the rate', 'kinesis', 'GetRecords', 0.1, [0.1], undefined],
    ['a control-plane call', 'kinesis', 'CreateStream', 1, [], undefined],
    ['a rate of 0', 'dynamodb', 'PutItem', 0, [], undefined],
    [
      'Kinesis GetRecords',
      'kinesis',
      'GetRecords',
      0.1,
      [0.05],
      { kind: 'refuse', errorType: 'ProvisionedThroughputExceededException' },
    ],
    [
      'DynamoDB, first kind',
      'dynamodb',
      'PutItem',
      0.1,
      [0.05, 0.2],
      { kind: 'refuse', errorType: 'ProvisionedThroughputExceededException' },
    ],
    [
      'DynamoDB, second kind',
      'dynamodb',
      'GetItem',
      0.1,
      [0.05, 0.7],
      { kind: 'refuse', errorType: 'ThrottlingException' },
    ],
    [
      'Comprehend',
      'comprehend',
      'DetectSentiment',
      0.5,
      [0.3],
      { kind: 'refuse', errorType: 'ThrottlingException' },
    ],
  ] as const)('%s', (_case, service, operation, rate, values, expected) => {
    // Prepare
    const draws = drawsOf(...values);

    // Act
    const decision = throttleDecision(service, operation, rate, draws, noEntries);

    // Assess
    expect(decision).toEqual(expected);
    expect(draws.used()).toBe(values.length);
  });

  it.each([
    ['refuses the whole call', 'kinesis', 'PutRecords', 3, [0.01, 0.4], { kind: 'refuse' }],
    ['fails some entries', 'kinesis', 'PutRecords', 3, [0.01, 0.6, 0.1, 0.9, 0.3], { rejected: [0, 2] }],
    ['leaves some unprocessed', 'dynamodb', 'BatchWriteItem', 2, [0.01, 0.6, 0.9, 0.2], { rejected: [1] }],
    [
      'fails at least one entry',
      'kinesis',
      'PutRecords',
      4,
      [0.01, 0.6, 0.9, 0.9, 0.9, 0.9, 0.6],
      { rejected: [2] },
    ],
    [
      'refuses a batch call with no entries',
      'dynamodb',
      'BatchWriteItem',
      0,
      [0.01, 0.9],
      { kind: 'refuse', errorType: 'ThrottlingException' },
    ],
  ] as const)('for a throttled batch call, %s', (_case, service, operation, entries, values, expected) => {
    // Prepare
    const draws = drawsOf(...values);

    // Act
    const decision = throttleDecision(service, operation, 0.1, draws, () => entries);

    // Assess
    expect(decision).toMatchObject(expected);
    expect(draws.used()).toBe(values.length);
  });
});

describe('invocationDecision', () => {
  it.each([
    ['nothing when both rates are 0', { crash: 0, timeout: 0 }, [], undefined],
    ['nothing above both rates', { crash: 0.1, timeout: 0.1 }, [0.2], undefined],
    ['a crash before the answer', { crash: 0.1, timeout: 0.1 }, [0.05, 0.3], { kind: 'crash' }],
    ['a crash mid-run', { crash: 0.1, timeout: 0.1 }, [0.05, 0.7, 0.5], { kind: 'crash', afterMs: 50 }],
    [
      'a timeout between the crash rate and both rates, mid-run',
      { crash: 0.1, timeout: 0.1 },
      [0.15, 0.5, 0.999],
      { kind: 'timeout', afterMs: 99 },
    ],
    ['a timeout alone, before the answer', { crash: 0, timeout: 1 }, [0.5, 0], { kind: 'timeout' }],
  ] as const)('%s', (_case, rates, values, expected) => {
    // Prepare
    const draws = drawsOf(...values);

    // Act
    const fault = invocationDecision(rates, draws);

    // Assess
    expect(fault).toEqual(expected);
    expect(draws.used()).toBe(values.length);
  });
});
