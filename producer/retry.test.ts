import { describe, expect, it } from 'vitest';
import { backoffDelay, DEFAULT_BACKOFF, isRetryableEntryError, isTransientError } from './retry.ts';

describe('backoffDelay', () => {
  it.each([
    [0, 100],
    [1, 200],
    [3, 800],
    [5, 3_200],
    [6, 5_000],
    [30, 5_000],
  ])('waits at most min(5 s, 100 ms × 2^%d) = %d ms before that retry', (retry, ceiling) => {
    // Act
    const longest = backoffDelay(retry, () => 0.999_999_9);
    const shortest = backoffDelay(retry, () => 0);

    // Assess
    expect(longest).toBeLessThanOrEqual(ceiling);
    expect(longest).toBeGreaterThan(ceiling * 0.99);
    expect(shortest).toBe(0);
  });

  it('spreads the wait uniformly below the ceiling (full jitter)', () => {
    // Act
    const half = backoffDelay(2, () => 0.5, DEFAULT_BACKOFF);

    // Assess
    expect(half).toBe(200);
  });
});

describe('isTransientError', () => {
  const err = (name: string, extra: object = {}) => Object.assign(new Error(name), { name, ...extra });

  it.each([
    [err('ProvisionedThroughputExceededException'), true],
    [err('LimitExceededException'), true],
    [err('ThrottlingException'), true],
    [err('InternalFailure'), true],
    [err('ServiceUnavailable', { $metadata: { httpStatusCode: 503 } }), true],
    [err('Unknown', { $metadata: { httpStatusCode: 502 } }), true],
    [err('Error', { code: 'ECONNRESET' }), true],
    [err('TimeoutError'), true],
    [new Error('socket hang up'), true],
    [err('ResourceNotFoundException', { $metadata: { httpStatusCode: 400 } }), false],
    [err('AccessDeniedException'), false],
    [err('Error', { code: 'ECONNREFUSED' }), false],
    [err('CredentialsProviderError'), false],
    ['a string', false],
  ])('%s → %s', (error, expected) => {
    // Act & Assess
    expect(isTransientError(error)).toBe(expected);
  });
});

describe('isRetryableEntryError', () => {
  it.each([
    ['ProvisionedThroughputExceededException', true],
    ['InternalFailure', true],
    ['KMSThrottlingException', true],
    ['KMSDisabledException', false],
    ['KMSAccessDeniedException', false],
  ])('%s → %s', (code, expected) => {
    // Act & Assess
    expect(isRetryableEntryError(code)).toBe(expected);
  });
});
