import { describe, expect, it } from 'vitest';
import { validateStartOptions } from './start-options.ts';

const good = { port: 4566, host: '127.0.0.1', windowSeconds: 60 };

describe('validateStartOptions', () => {
  it.each([
    ['the defaults', {}],
    ['any free port', { port: 0 }],
    ['the highest port', { port: 65_535 }],
    ['a one-second window', { windowSeconds: 1 }],
    ["Lambda's longest window", { windowSeconds: 900 }],
    ['ten shards', { shards: 10 }],
  ])('accepts %s', (_, change) => {
    // Act & Assess
    expect(() => validateStartOptions({ ...good, ...change })).not.toThrow();
  });

  it.each([
    ['a port that is not a number', { port: Number.NaN }, /--port takes a port number/],
    ['a negative port', { port: -1 }, /--port takes a port number/],
    ['a port above 65535', { port: 70_000 }, /--port takes a port number .*\(got '70000'\)/],
    ['a fractional port', { port: 45.5 }, /--port takes a port number/],
    ['an empty host', { host: ' ' }, /--host needs an address/],
    ['a zero window', { windowSeconds: 0 }, /--window-seconds takes whole seconds from 1 to 900/],
    ['a window over 900 s', { windowSeconds: 901 }, /--window-seconds/],
    ['a window that is not a number', { windowSeconds: Number.NaN }, /--window-seconds/],
    ['no shard', { shards: 0 }, /--shards takes a whole number of shards per stream from 1 to 100/],
    ['half a shard', { shards: 1.5 }, /--shards/],
  ])('refuses %s with a usage error (exit 2)', (_, change, message) => {
    // Act
    const act = () => validateStartOptions({ ...good, ...change });

    // Assess
    expect(act).toThrow(message);
    expect(act).toThrow(expect.objectContaining({ exitCode: 2 }));
  });
});
