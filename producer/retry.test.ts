import { describe, expect, it } from 'vitest';
import { backoffDelay } from '../contracts/backoff.ts';
import { DEFAULT_BACKOFF, isRetryableEntryError, isTransientError } from './retry.ts';

describe('the producer backoff', () => {
  it.each([
    [1, 100],
    [2, 200],
    [4, 800],
    [6, 3_200],
    [7, 5_000],
  ])("with the producer's bounds, retry %d waits at most %d ms", (retry, ceiling) => {
    // Act
    const longest = backoffDelay(retry, { ...DEFAULT_BACKOFF, random: () => 0.999_999_9 });

    // Assess
    expect(longest).toBeLessThanOrEqual(ceiling);
    expect(longest).toBeGreaterThanOrEqual(Math.floor(ceiling * 0.99));
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
