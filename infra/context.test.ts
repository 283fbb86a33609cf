import { describe, expect, it } from 'vitest';
import { readContext } from './context.ts';

const context = (values: Record<string, unknown>) => readContext((key) => values[key]);

describe('the CDK context `shards`', () => {
  it('is 1 by default, and what `-c shards=10` says otherwise', () => {
    // Act & Assess
    expect(context({}).shards).toBe(1);
    expect(context({ shards: '10' }).shards).toBe(10);
  });

  it.each(['0', '2.5', 'many', '101'])('fails synth on %s, naming the key', (shards) => {
    // Act & Assess
    expect(() => context({ shards })).toThrow(
      /context 'shards' must be a whole number of shards from 1 to 100/,
    );
  });
});

describe('the CDK context `attendee`', () => {
  it('is none by default or empty, and what `-c attendee=ada` says otherwise', () => {
    // Act & Assess
    expect(context({}).attendee).toBeUndefined();
    expect(context({ attendee: '' }).attendee).toBeUndefined();
    expect(context({ attendee: 'ada' }).attendee).toBe('ada');
  });

  it.each(['Ada', 'ada_lovelace', 'a-very-long-name'])('fails synth on %s, naming the key', (attendee) => {
    // Act & Assess
    expect(() => context({ attendee })).toThrow(
      new RegExp(`^context 'attendee' cannot prefix AWS names, got '${attendee}'`),
    );
  });
});
