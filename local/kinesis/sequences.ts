/**
 * kinesalite's sequence numbers and hash keys, the same values computed with native BigInt.
 *
 * kinesalite does its 128- to 188-bit arithmetic with bignumber.js, whose base conversions cost
 * about 70 µs of CPU per record put and 90 µs per record read: profiled with 10,000 unicorns
 * through the pipeline, they were a fifth of the local cloud's CPU, its largest single cost.
 * These functions return exactly what kinesalite's own return (sequence-numbers.test.ts checks
 * them against each other) and leave anything unusual (a malformed number, a negative shard
 * index, an unknown version) to the originals, errors included.
 */
import { createHash } from 'node:crypto';
import { emulatorInternals } from '../emulator-internals.ts';

/** A sequence number's parts, as kinesalite's `parseSequence` returns and `stringifySequence` takes them. */
export interface SequenceParts {
  shardCreateTime: number;
  seqIx?: string | number;
  byte1?: string;
  seqTime?: number;
  seqRand?: string;
  shardIx?: number;
  version?: number | null;
}

/** The functions of kinesalite's `db` module that its actions call per record. */
export interface SequenceFunctions {
  parseSequence(seq: string): SequenceParts;
  stringifySequence(parts: SequenceParts): string;
  /** kinesalite compares it with the bounds of shards' hash key ranges. */
  partitionKeyToHashKey(partitionKey: string): { toFixed(): string; comparedTo(other: unknown): number };
}

type BigNumberClass = new (
  value: string,
  base?: number,
) => { toFixed(): string; comparedTo(other: unknown): number };

const kinesalite = emulatorInternals('kinesalite');
const db = kinesalite.db as unknown as SequenceFunctions & {
  shardIxToHex(shardIx: number | undefined): string;
};
// The BigNumber class kinesalite itself loads, for what BigInt cannot read.
const BigNumber = kinesalite.requireDependency('bignumber.js') as BigNumberClass;

/** kinesalite's own functions, before `useFastSequenceNumbers` replaces them. */
export const originalSequenceFunctions: SequenceFunctions = {
  parseSequence: db.parseSequence,
  stringifySequence: db.stringifySequence,
  partitionKeyToHashKey: db.partitionKeyToHashKey,
};

const POW_2_124 = 1n << 124n;
const POW_2_124_NEXT = 1n << 129n; // kinesalite: 2^125 × 16
const POW_2_185 = 1n << 185n;
const POW_2_185_NEXT = (POW_2_185 * 3n) / 2n; // kinesalite: 2^185 × 1.5
const DECIMAL = /^[0-9]{1,90}$/;
const HEX = /^[0-9a-fA-F]{1,90}$/;

const pad = (text: string, width: number) => text.padStart(width, '0').slice(-width);
const hexSeconds = (ms: number) => pad(Math.floor(ms / 1000).toString(16), 9);

function parseSequence(seq: string): SequenceParts {
  if (typeof seq !== 'string' || !DECIMAL.test(seq)) return originalSequenceFunctions.parseSequence(seq);
  let n = BigInt(seq);
  if (n < POW_2_124) n += POW_2_124;
  const hex = n.toString(16);
  const version =
    n < POW_2_124_NEXT ? 0 : n > POW_2_185 && n < POW_2_185_NEXT ? Number.parseInt(hex.slice(-1), 16) : null;
  const int = (from: number, to: number) => Number.parseInt(hex.slice(from, to), 16);
  if (version === 2) {
    const seqIxHex = hex.slice(11, 27);
    let shardIxHex = hex.slice(38, 46);
    if (Number.parseInt(seqIxHex[0] ?? '', 16) > 7) throw new Error('Sequence index too high');
    if (Number.parseInt(shardIxHex[0] ?? '', 16) > 7) shardIxHex = `-${shardIxHex}`;
    const shardCreateSecs = int(1, 10);
    if (shardCreateSecs >= 16025175000) throw new Error(`Date too large: ${shardCreateSecs}`);
    return {
      shardCreateTime: shardCreateSecs * 1000,
      seqIx: BigInt(`0x${seqIxHex}`).toString(),
      byte1: hex.slice(27, 29),
      seqTime: int(29, 38) * 1000,
      shardIx: Number.parseInt(shardIxHex, 16),
      version,
    };
  }
  if (version === 1) {
    return {
      shardCreateTime: int(1, 10) * 1000,
      byte1: hex.slice(11, 13),
      seqTime: int(13, 22) * 1000,
      seqRand: hex.slice(22, 36),
      seqIx: int(36, 38),
      shardIx: int(38, 46),
      version,
    };
  }
  if (version === 0) {
    const shardCreateSecs = int(1, 10);
    if (shardCreateSecs >= 16025175000) throw new Error(`Date too large: ${shardCreateSecs}`);
    return {
      shardCreateTime: shardCreateSecs * 1000,
      byte1: hex.slice(10, 12),
      seqRand: hex.slice(12, 28),
      shardIx: int(28, 32),
      version,
    };
  }
  return originalSequenceFunctions.parseSequence(seq);
}

/** The hex digits kinesalite joins for a sequence number, or undefined to leave it to kinesalite. */
function sequenceHex(o: SequenceParts): string | undefined {
  const shardIx = db.shardIxToHex(o.shardIx);
  const seqTime = hexSeconds(o.seqTime || o.shardCreateTime);
  const shardDigit = (o.shardIx || 0).toString(16).slice(-1);
  if (o.version == null || o.version === 2) {
    const seqIx = o.seqIx || 0;
    if (!(typeof seqIx === 'number' ? Number.isSafeInteger(seqIx) : DECIMAL.test(seqIx))) return undefined;
    const ix = pad(BigInt(seqIx).toString(16), 16);
    return `2${hexSeconds(o.shardCreateTime)}${shardDigit}${ix}${o.byte1 || '00'}${seqTime}${shardIx}2`;
  }
  if (o.version === 1) {
    const ix = pad((o.seqIx || 0).toString(16), 2);
    return `2${hexSeconds(o.shardCreateTime)}${shardDigit}${o.byte1 || '00'}${seqTime}${o.seqRand || '00000000000000'}${ix}${shardIx}1`;
  }
  if (o.version === 0) {
    return `1${hexSeconds(o.shardCreateTime)}${o.byte1 || '00'}${o.seqRand || '0000000000000000'}${shardIx.slice(-4)}`;
  }
  return undefined;
}

function stringifySequence(parts: SequenceParts): string {
  const hex = sequenceHex(parts);
  return hex !== undefined && HEX.test(hex)
    ? BigInt(`0x${hex}`).toString()
    : originalSequenceFunctions.stringifySequence(parts);
}

/**
 * A partition key's 128-bit hash, as kinesalite uses it: compared with the decimal bounds of
 * each shard's hash key range (`comparedTo`, bignumber.js's name), which BigInt does without
 * parsing each bound into a BigNumber again for every record.
 */
class HashKey {
  constructor(private readonly value: bigint) {}

  comparedTo(other: unknown): number {
    const text = String(other);
    if (!DECIMAL.test(text)) return new BigNumber(this.value.toString()).comparedTo(other);
    const bound = BigInt(text);
    return this.value < bound ? -1 : this.value > bound ? 1 : 0;
  }

  toFixed(): string {
    return this.value.toString();
  }
}

function partitionKeyToHashKey(partitionKey: string): HashKey {
  return new HashKey(BigInt(`0x${createHash('md5').update(partitionKey, 'utf8').digest('hex')}`));
}

/** The BigInt replacements, for the test to compare with the originals. */
export const fastSequenceFunctions: SequenceFunctions = {
  parseSequence,
  stringifySequence,
  partitionKeyToHashKey,
};

/** Makes kinesalite use the BigInt functions (its actions look them up on `db` at each call). */
export function useFastSequenceNumbers(): void {
  Object.assign(db, fastSequenceFunctions);
}
