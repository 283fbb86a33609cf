import { describe, expect, it } from 'vitest';
import { liveEndpoint, processAlive } from './endpoint-file.ts';

describe('liveEndpoint', () => {
  const record = JSON.stringify({ endpoint: 'http://127.0.0.1:4800', pid: 4242 });

  it('gives the endpoint a running npm start recorded', () => {
    // Act
    const endpoint = liveEndpoint(record, (pid) => pid === 4242);

    // Assess
    expect(endpoint).toBe('http://127.0.0.1:4800');
  });

  it('ignores a record left by a cloud whose process is gone', () => {
    // Act
    const endpoint = liveEndpoint(record, () => false);

    // Assess
    expect(endpoint).toBeUndefined();
  });

  it.each(['', 'not json', '{"endpoint":4800,"pid":1}', '{"endpoint":"http://x"}', 'null'])(
    'ignores a damaged record %j',
    (text) => {
      // Act & Assess
      expect(liveEndpoint(text, () => true)).toBeUndefined();
    },
  );
});

describe('processAlive', () => {
  it('tells this process from one that is not running', () => {
    // Act & Assess
    expect(processAlive(process.pid)).toBe(true);
    expect(processAlive(2 ** 22 + 12_345)).toBe(false);
  });
});
