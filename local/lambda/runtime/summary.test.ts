import { describe, expect, it } from 'vitest';
import { FunctionLog, isErrorLine, summaryLine } from './logs.ts';

describe('summaryLine', () => {
  it('says records and time of a batch, and the error of a failed one, in one line', () => {
    // Act
    const ok = summaryLine({ ms: 34.6, records: 12, errorLines: 0 });
    const one = summaryLine({ ms: 5, records: 1, errorLines: 2 });
    const failed = summaryLine({ ms: 8, error: 'TypeError: x is undefined', errorLines: 1 });

    // Assess
    expect(ok).toBe('12 records, 35 ms');
    expect(one).toBe('1 record, 5 ms, 2 error lines logged');
    expect(failed).toBe('✖ TypeError: x is undefined (8 ms, 1 error line logged)');
  });

  it('cuts a long error message', () => {
    // Act
    const line = summaryLine({ ms: 1, error: `Error: ${'x'.repeat(500)}`, errorLines: 0 });

    // Assess
    expect(line.length).toBeLessThan(200);
  });
});

describe('FunctionLog with echo: invocations', () => {
  it('echoes one line per invocation, not the lines the function writes', () => {
    // Arrange
    const echoed: string[] = [];
    const log = new FunctionLog('wildrydes-persist', { sink: (l) => echoed.push(l), echo: 'invocations' });

    // Act
    log.append('{"level":"INFO","message":"a long JSON line"}');
    log.invoked({ ms: 3, records: 2, errorLines: 0 });

    // Assess
    expect(echoed).toEqual(['[wildrydes-persist] 2 records, 3 ms']);
    expect(log.lines()).toEqual(['{"level":"INFO","message":"a long JSON line"}']);
  });

  it('echoes every line by default, and no summary', () => {
    // Arrange
    const echoed: string[] = [];
    const log = new FunctionLog('fn', { sink: (l) => echoed.push(l) });

    // Act
    log.append('hello');
    log.invoked({ ms: 3, errorLines: 0 });

    // Assess
    expect(echoed).toEqual(['[fn] hello']);
  });
});

describe('isErrorLine', () => {
  it('finds errors in the JSON and the text log formats', () => {
    // Act
    const found = [
      '{"timestamp":"t","level":"ERROR","message":"boom"}',
      '2026-01-01T00:00:00.000Z\tabc\tERROR\tboom',
      '{"timestamp":"t","level":"INFO","message":"ERROR in the name"}',
    ].map(isErrorLine);

    // Assess
    expect(found).toEqual([true, true, false]);
  });
});
