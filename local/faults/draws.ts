/**
 * Seeded, stateless pseudo-random draws: draw number `index` of a named stream is a pure
 * function of (seed, stream, index). Each service and each function has its own stream, so the
 * faults one of them sees do not depend on how busy the others are.
 */

/** FNV-1a, 32 bits: a stream name to a number. */
function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/** A 32-bit finaliser (lowbias32): every input bit affects every output bit. */
function mix(x: number): number {
  let h = x >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x7feb352d);
  h ^= h >>> 15;
  h = Math.imul(h, 0x846ca68b);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Draw `index` of `stream` under `seed`: a number in [0, 1). */
export function draw(seed: number, stream: string, index: number): number {
  const key = mix(fnv1a(stream) ^ mix(seed >>> 0) ^ mix(Math.floor(seed / 2 ** 32)));
  return mix(key ^ mix(index + 0x9e3779b9)) / 2 ** 32;
}

/** The draws of one stream, in order. */
export class DrawStream {
  private index = 0;

  constructor(
    private readonly seed: number,
    readonly name: string,
  ) {}

  /** The next number in [0, 1). */
  next(): number {
    return draw(this.seed, this.name, this.index++);
  }
}
