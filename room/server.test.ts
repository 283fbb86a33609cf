import { describe, expect, it } from 'vitest';
import { fromInstructor, isLoopback } from './server.ts';

/** A request as far as fromInstructor reads it. */
const req = (peer: string, local: string, headers: Record<string, string>) => ({
  headers,
  socket: { remoteAddress: peer, localAddress: local },
});

describe('who sees the board', () => {
  it.each([
    [
      'the browser on the board machine, by loopback',
      '127.0.0.1',
      '127.0.0.1',
      '127.0.0.1:4570',
      undefined,
      true,
    ],
    ['the same, as localhost over IPv6', '::1', '::1', 'localhost:4570', 'same-origin', true],
    ['the same, IPv4 mapped', '::ffff:127.0.0.1', '::ffff:127.0.0.1', '[::1]:4570', 'none', true],
    [
      'the board machine by its LAN address',
      '192.168.1.20',
      '192.168.1.20',
      '192.168.1.20:4570',
      undefined,
      true,
    ],
    ['another machine on the LAN', '192.168.1.7', '192.168.1.20', '192.168.1.20:4570', undefined, false],
    ['another machine naming loopback', '192.168.1.7', '192.168.1.20', '127.0.0.1:4570', undefined, false],
    [
      'a page rebinding its domain to loopback',
      '127.0.0.1',
      '127.0.0.1',
      'evil.example:4570',
      undefined,
      false,
    ],
    ['a request another site made', '127.0.0.1', '127.0.0.1', '127.0.0.1:4570', 'cross-site', false],
    ['no Host at all', '127.0.0.1', '127.0.0.1', '', undefined, false],
  ] as const)('%s: %s', (_, peer, local, host, site, expected) => {
    // Act
    const seen = fromInstructor(req(peer, local, { host, ...(site ? { 'sec-fetch-site': site } : {}) }));

    // Assess
    expect(seen).toBe(expected);
  });

  it.each([
    ['127.0.0.1', true],
    ['127.8.9.10', true],
    ['[::1]', true],
    ['localhost', true],
    ['board.localhost', true],
    ['0.0.0.0', false],
    ['192.168.1.20', false],
    ['localhost.evil.example', false],
  ])('%s is loopback: %s', (name, expected) => {
    expect(isLoopback(name)).toBe(expected);
  });
});
