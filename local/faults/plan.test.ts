import { describe, expect, it } from 'vitest';
import { describeFaultPlan, FaultSpecError, parseFaultSpec } from './plan.ts';

describe('parseFaultSpec', () => {
  it.each([[undefined], [''], ['  '], ['off']])('is off for %j', (spec) => {
    // Act
    const plan = parseFaultSpec(spec);

    // Assess
    expect(plan).toBeUndefined();
  });

  it.each([
    [
      'kinesis=0.1,dynamodb=0.1,crash=0.05,seed=7',
      { throttle: { kinesis: 0.1, dynamodb: 0.1 }, crash: 0.05, timeout: 0, seed: 7 },
    ],
    [' comprehend = 1 , timeout=0.5 ', { throttle: { comprehend: 1 }, crash: 0, timeout: 0.5, seed: 1 }],
    ['crash=0', { throttle: {}, crash: 0, timeout: 0, seed: 1 }],
    ['window=0.3,crash=0.1', { throttle: {}, crash: 0.1, timeout: 0, window: 0.3, seed: 1 }],
  ])('reads %j', (spec, expected) => {
    // Act
    const plan = parseFaultSpec(spec);

    // Assess
    expect(plan).toEqual(expected);
  });

  it.each([
    ['kinesis=2', "'kinesis=2' is not a fraction between 0 and 1: write e.g. kinesis=0.1"],
    ['kinesis=', "'kinesis=' is not a fraction"],
    ['crash=-0.1', "'crash=-0.1' is not a fraction"],
    ['dynamodb=lots', "'dynamodb=lots' is not a fraction"],
    ['kinesis', "'kinesis' is not key=value"],
    ['kinesis=0.1,,crash=0.1', "'' is not key=value"],
    ['a=b=c', "'a=b=c' is not key=value"],
    ['s3=0.1', "there is no fault 's3': use kinesis, dynamodb, comprehend, crash, timeout, window, seed"],
    ['seed=1.5', "'seed=1.5' is not a whole number"],
    ['seed=-3', "'seed=-3' is not a whole number"],
    ['crash=0.1,crash=0.2', "'crash' is given twice"],
    ['crash=0.6,timeout=0.5', 'add up to more than 1'],
  ])('refuses %j, naming the fix', (spec, message) => {
    // Act
    const parse = () => parseFaultSpec(spec);

    // Assess
    expect(parse).toThrow(FaultSpecError);
    expect(parse).toThrow(message);
  });
});

describe('describeFaultPlan', () => {
  it('says what is injected and the seed that reproduces it', () => {
    // Prepare
    const plan = {
      throttle: { kinesis: 0.1, dynamodb: 0.125 },
      crash: 0.05,
      timeout: 0.01,
      window: 0.2,
      seed: 7,
    };

    // Act
    const line = describeFaultPlan(plan);

    // Assess
    expect(line).toBe(
      '10% of kinesis calls throttled, 12.5% of dynamodb calls throttled, 5% of invocations crash mid-batch, 1% of invocations time out, 20% of tumbling windows end early (seed 7)',
    );
  });
});
