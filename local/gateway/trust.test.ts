import { describe, expect, it } from 'vitest';
import { decideTrust, type RequestHead } from './trust.ts';

const head = (headers: Record<string, string>, peer = '127.0.0.1'): RequestHead => ({
  method: 'POST',
  url: '/',
  headers: { host: '127.0.0.1:4566', ...headers },
  peer,
});
const remote = { allowRemote: true, secret: 's3cret', ownAddresses: new Set(['10.0.0.2']) };

describe('decideTrust', () => {
  it.each([
    ['the SDK on loopback', head({}), {}, 'trusted'],
    ['the SDK at localhost', head({ host: 'localhost:4566' }), {}, 'trusted'],
    ['the SDK at [::1]', head({ host: '[::1]:4566' }, '::1'), {}, 'trusted'],
    ['an S3 virtual host', head({ host: 'bucket.localhost:4566' }), {}, 'trusted'],
    ['a page (Origin)', head({ origin: 'https://evil.example' }), {}, 'refused'],
    ['a sandboxed page (Origin: null)', head({ origin: 'null' }), {}, 'refused'],
    ['a cross-site image', head({ 'sec-fetch-site': 'cross-site' }), {}, 'refused'],
    ['a page on another port', head({ 'sec-fetch-site': 'same-site' }), {}, 'refused'],
    [
      'an allowed origin',
      head({ origin: 'http://127.0.0.1:4567' }),
      { allowedOrigins: ['http://127.0.0.1:4567'] },
      'trusted',
    ],
    ['a rebound domain', head({ host: 'evil.example:4566' }), {}, 'refused'],
    ['no Host at all', head({ host: '' }), {}, 'refused'],
    ['another machine without allowRemote', head({}, '10.0.0.9'), {}, 'refused'],
    ['another machine, AWS call', head({ host: '10.0.0.2:4566' }, '10.0.0.9'), remote, 'prove'],
    ['this machine at its own address', head({ host: '10.0.0.2:4566' }, '10.0.0.2'), remote, 'trusted'],
    ['a page on another machine', head({ origin: 'http://x' }, '10.0.0.9'), remote, 'refused'],
  ])('%s: %s', (_what, request, opts, verdict) => {
    // Act & Assess
    expect(decideTrust(request, 'sqs', opts).verdict).toBe(verdict);
  });

  it('lets another machine call a control endpoint with the bearer token only', () => {
    // Prepare
    const call = (authorization?: string) =>
      decideTrust(head(authorization ? { authorization } : {}, '10.0.0.9'), 'control', remote).verdict;

    // Act & Assess
    expect([call('Bearer s3cret'), call('Bearer nope'), call()]).toEqual(['trusted', 'refused', 'refused']);
  });
});
