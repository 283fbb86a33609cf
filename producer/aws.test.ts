import { describe, expect, it } from 'vitest';
import { UsageError } from '../core/errors.ts';
import { LOCAL_CREDENTIALS } from '../core/local-cloud.ts';
import { explainAwsError, isLoopback, resolveConnection } from './aws.ts';

describe('isLoopback', () => {
  it.each([
    ['http://127.0.0.1:4566', true],
    ['http://localhost:4566', true],
    ['http://[::1]:4566', true],
    ['http://127.1.2.3', true],
    ['https://kinesis.us-east-1.amazonaws.com', false],
    ['http://192.168.1.10:4566', false],
    ['not a url', false],
  ])('%s → %s', (endpoint, expected) => {
    // Act & Assess
    expect(isLoopback(endpoint)).toBe(expected);
  });
});

describe('resolveConnection', () => {
  it.each([
    ['--region wins', { region: 'eu-west-1' }, { AWS_REGION: 'us-west-2' }, 'eu-west-1'],
    ['AWS_REGION', {}, { AWS_REGION: 'us-west-2', AWS_DEFAULT_REGION: 'eu-north-1' }, 'us-west-2'],
    ['AWS_DEFAULT_REGION', {}, { AWS_DEFAULT_REGION: 'eu-north-1' }, 'eu-north-1'],
    ['us-east-1 with an endpoint', { endpoint: 'http://127.0.0.1:4566' }, {}, 'us-east-1'],
    ['us-east-1 with AWS_ENDPOINT_URL', {}, { AWS_ENDPOINT_URL: 'http://127.0.0.1:4566' }, 'us-east-1'],
    ['the SDK config otherwise', {}, {}, undefined],
  ])('region: %s', (_, opts, env, expected) => {
    // Act & Assess
    expect(resolveConnection(opts, env).region).toBe(expected);
  });

  it.each([
    ['--endpoint', { endpoint: 'http://a:1' }, { AWS_ENDPOINT_URL: 'http://b:2' }, 'http://a:1'],
    [
      'AWS_ENDPOINT_URL_KINESIS',
      {},
      { AWS_ENDPOINT_URL_KINESIS: 'http://c:3', AWS_ENDPOINT_URL: 'http://b:2' },
      'http://c:3',
    ],
    ['AWS_ENDPOINT_URL', {}, { AWS_ENDPOINT_URL: 'http://b:2' }, 'http://b:2'],
    ['none: AWS itself', {}, {}, undefined],
  ])('endpoint: %s', (_, opts, env, expected) => {
    // Act & Assess
    expect(resolveConnection(opts, env).endpoint).toBe(expected);
  });

  it.each([
    ['loopback, no credentials in the environment', 'http://127.0.0.1:4566', {}, LOCAL_CREDENTIALS],
    ['loopback with AWS_ACCESS_KEY_ID', 'http://127.0.0.1:4566', { AWS_ACCESS_KEY_ID: 'AKID' }, undefined],
    ['loopback with AWS_PROFILE', 'http://localhost:4566', { AWS_PROFILE: 'dev' }, undefined],
    ['a remote endpoint', 'http://192.0.2.1:4566', {}, undefined],
    ['AWS', undefined, {}, undefined],
  ])('credentials: %s', (_, endpoint, env, expected) => {
    // Act & Assess
    expect(resolveConnection({ endpoint }, env).credentials).toEqual(expected);
  });
});

describe('explainAwsError', () => {
  const local = resolveConnection({ endpoint: 'http://127.0.0.1:4566' }, {});
  const aws = resolveConnection({ region: 'eu-west-1' }, {});

  it.each([
    [
      'a missing stream (local)',
      local,
      Object.assign(new Error('not found'), { name: 'ResourceNotFoundException' }),
      "stream 'wildrydes' does not exist in http://127.0.0.1:4566: deploy module 2 first (`npm run deploy -- 2`)",
    ],
    [
      'a missing stream (AWS)',
      aws,
      Object.assign(new Error('not found'), { name: 'ResourceNotFoundException' }),
      "stream 'wildrydes' does not exist in AWS (eu-west-1): deploy module 2 first (`npm run deploy -- 2 --target aws`)",
    ],
    [
      'a timeout',
      local,
      Object.assign(new Error('Stream timed out'), { name: 'TimeoutError' }),
      'cannot reach http://127.0.0.1:4566 (no answer within 5 s): check --endpoint / AWS_ENDPOINT_URL, or start the local cloud with `npm start`',
    ],
    [
      'something that is not Kinesis',
      local,
      Object.assign(new Error('UnknownError'), { name: 'Unknown', $metadata: { httpStatusCode: 404 } }),
      "http://127.0.0.1:4566 answered HTTP 404, but not as an AWS service does: is it the local cloud's port (4566, not the site's 4567)? Check --endpoint / AWS_ENDPOINT_URL",
    ],
  ])('explains %s in one line', (_, conn, error, message) => {
    // Act
    const explained = explainAwsError(error, conn, 'wildrydes');

    // Assess
    expect(explained).toBeInstanceOf(UsageError);
    expect((explained as UsageError).message).toBe(message);
  });

  it('leaves a bug as it is', () => {
    // Prepare
    const bug = new TypeError('x is undefined');

    // Act & Assess
    expect(explainAwsError(bug, local, 'wildrydes')).toBe(bug);
  });
});
