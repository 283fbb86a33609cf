import { describe, expect, it } from 'vitest';
import {
  fastSequenceFunctions as fast,
  originalSequenceFunctions as original,
  type SequenceParts,
} from './sequences.ts';

/** A seeded generator, so a failing case can be found again. */
function random(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
  return { next, int: (max: number) => Math.floor(next() * max) };
}

/** What kinesalite computes, or the error it throws. */
const outcome = <T>(f: () => T): { value: T } | { error: string } => {
  try {
    return { value: f() };
  } catch (err) {
    return { error: (err as Error).message };
  }
};

const rng = random(20261122);
const hex = (digits: number) => Array.from({ length: digits }, () => rng.int(16).toString(16)).join('');
const pick = <T>(xs: readonly T[]): T => xs[rng.int(xs.length)] as T;

/** Parts as kinesalite's actions make them (puts, shard creation, iterators), and odd ones. */
const parts: SequenceParts[] = Array.from({ length: 3000 }, () => ({
  shardCreateTime: pick([1_600_000_000_000, 1_795_339_028_189, 4_102_444_800_000]) + rng.int(1e9),
  shardIx: pick([0, 1, 3, 15, 16, 4095, 10_000, rng.int(2 ** 31), -1]),
  seqIx: pick<string | number | undefined>([
    undefined,
    0,
    rng.int(1000),
    rng.int(2 ** 53),
    String(rng.int(2 ** 53)),
    BigInt(`0x7${hex(15)}`).toString(),
    -7,
    1.5,
  ]),
  seqTime: pick([undefined, 1_795_339_028_189 + rng.int(1e8)]),
  byte1: pick([undefined, '00', hex(2)]),
  seqRand: pick([undefined, hex(14), hex(16)]),
  version: pick<number | null | undefined>([undefined, null, 2, 1, 0, 3]),
}));

describe('kinesalite sequence numbers with BigInt', () => {
  it('stringifies every kind of sequence number exactly as kinesalite does', () => {
    for (const p of parts) {
      // Act / Assess
      expect(
        outcome(() => fast.stringifySequence(p)),
        JSON.stringify(p),
      ).toEqual(outcome(() => original.stringifySequence(p)));
    }
  });

  it('parses its own sequence numbers, and odd strings, exactly as kinesalite does (errors too)', () => {
    // Prepare
    const made = parts.flatMap((p) => {
      const made = outcome(() => original.stringifySequence(p));
      return 'value' in made ? [made.value] : [];
    });
    const odd = [
      '0',
      '1',
      '49590338271490256608559692538361571095921575989136588898', // one from AWS's documentation
      BigInt(`0x${hex(40)}`).toString(),
      BigInt(`0x2${hex(45)}3`).toString(), // an unknown version
      BigInt(`0x2${hex(9)}0f${hex(35)}2`).toString(), // a sequence index too high
      '-5',
      '12.5',
      'abc',
      '',
    ];

    for (const seq of [...made, ...odd]) {
      // Act / Assess
      expect(
        outcome(() => fast.parseSequence(seq)),
        seq,
      ).toEqual(outcome(() => original.parseSequence(seq)));
    }
    expect(made.length).toBeGreaterThan(2000);
  });

  it.each([['Shadowfax'], [''], ['Ünïcörn 🦄'], ['x'.repeat(256)], ['__proto__']])(
    'hashes partition key %j to the same 128-bit key',
    (key) => {
      // Act / Assess
      expect(fast.partitionKeyToHashKey(key).toFixed()).toBe(original.partitionKeyToHashKey(key).toFixed());
    },
  );

  it('compares hash keys with the bounds of shards’ ranges as kinesalite does', () => {
    // Prepare: the bounds of 1, 4 and 7 shards (as CreateStream splits 2^128), and odd ones
    const bounds = [1, 4, 7].flatMap((shards) =>
      Array.from({ length: shards + 1 }, (_, i) => ((2n ** 128n * BigInt(i)) / BigInt(shards)).toString()),
    );
    const odd = ['0', '340282366920938463463374607431768211455', '1e38', '12.5', '-3', 'x'];

    for (let i = 0; i < 200; i++) {
      const key = `unicorn-${i}`;
      const own = BigInt(original.partitionKeyToHashKey(key).toFixed());
      const around = [own - 1n, own, own + 1n].map(String); // a bound equal to the key, and its neighbours
      for (const bound of [...bounds, ...around, ...odd]) {
        // Act / Assess
        expect(fast.partitionKeyToHashKey(key).comparedTo(bound), `${key} vs ${bound}`).toBe(
          original.partitionKeyToHashKey(key).comparedTo(bound),
        );
      }
    }
  });
});
