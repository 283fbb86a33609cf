import { describe, expect, it } from 'vitest';
import { finalWindowEvent, finalWindowEventJson, streamEvent, streamEventJson } from './kinesis-events.ts';

const origin = {
  streamArn: 'arn:aws:kinesis:us-east-1:000000000000:stream/wildrydes',
  shardId: 'shardId-000000000001',
  roleArn: 'arn:aws:iam::000000000000:role/r',
};
const records = [
  { sequenceNumber: '4959001', partitionKey: 'Shadowfax', data: 'eyJhIjoxfQ==', arrivalMs: 1795339028189 },
  // A partition key that looks like JSON must stay data.
  {
    sequenceNumber: '4959002',
    partitionKey: '","state":{}}',
    data: 'eyJhIjoyfQ==',
    arrivalMs: 1795339028689,
  },
];
const window = { startMs: Date.parse('2026-11-22T09:17:00Z'), endMs: Date.parse('2026-11-22T09:18:00Z') };

describe('events as JSON text with the state serialised already', () => {
  it.each([
    ['an empty state', {}],
    [
      'a tally per unicorn',
      { Shadowfax: { Distance: 350, MinMagicPoints: 97 }, __proto__x: { Distance: 1 } },
    ],
    ['a state that is not an object', [1, 'two', null]],
  ])('is the text of the event with the state, for %s', (_, state) => {
    // Act
    const text = streamEventJson(records, origin, { window, stateJson: JSON.stringify(state) });

    // Assess
    expect(text).toBe(JSON.stringify(streamEvent(records, origin, { window, state })));
  });

  it('is the text of the plain event without a window', () => {
    // Act / Assess
    expect(streamEventJson(records, origin)).toBe(JSON.stringify(streamEvent(records, origin)));
  });

  it('is the text of the final invocation of a window, ended early or not', () => {
    // Prepare
    const state = { Shadowfax: { Distance: 350 } };

    for (const terminateEarly of [false, true]) {
      // Act
      const open = { ...window, state, terminateEarly };
      const text = finalWindowEventJson(open, JSON.stringify(state), origin);

      // Assess
      expect(text).toBe(JSON.stringify(finalWindowEvent(open, origin)));
      expect(JSON.parse(text)).toMatchObject({
        isFinalInvokeForWindow: true,
        isWindowTerminatedEarly: terminateEarly,
      });
    }
  });
});
