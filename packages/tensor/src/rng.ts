import { ArgumentError } from './errors';
import { cosTurns, portableLog } from './portable-math';

const TWO_POW_MINUS_24 = 1 / 16777216;

/** SplitMix32 step: turns any 32-bit state into a well-mixed 32-bit output. */
function splitMix32(state: number): number {
  let z = (state + 0x9e3779b9) | 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

/**
 * A seeded, splittable pseudo-random generator.
 *
 * Algorithm: xoshiro128** (Blackman & Vigna) on four 32-bit words, seeded through SplitMix32.
 * Only 32-bit integer arithmetic (`Math.imul`, shifts) is used, so the same seed gives the same
 * stream in Node and in every browser. Uniform floats take the top 24 bits, so every value is an
 * exact float32 in [0, 1). Normals use the Box–Muller transform on two uniforms, with the
 * logarithm and cosine of `portable-math` (basic IEEE operations only), since `Math.log` and
 * `Math.cos` round differently from engine to engine.
 * `split()` derives an independent child generator and advances the parent, so the parent's stream
 * after a split is still a pure function of the seed.
 *
 * @example
 * const rng = new Rng(42);
 * rng.uniform(); // same number on every machine
 */
export class Rng {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;

  /** @param seed any finite number; it is reduced to 32 bits. */
  constructor(seed: number) {
    if (!Number.isFinite(seed))
      throw new ArgumentError(`Rng: seed ${seed} is not a finite number; expected an integer`);
    let s = Math.trunc(seed) >>> 0;
    this.s0 = s = splitMix32(s);
    this.s1 = s = splitMix32(s);
    this.s2 = s = splitMix32(s);
    this.s3 = splitMix32(s);
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 1;
  }

  /** Next raw 32-bit unsigned integer. */
  nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5), 7), 9) >>> 0;
    const t = this.s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return result;
  }

  /** Uniform float in [0, 1), exact in float32. */
  uniform(): number {
    return (this.nextUint32() >>> 8) * TWO_POW_MINUS_24;
  }

  /** Standard normal draw (Box–Muller). */
  normal(): number {
    const u1 = 1 - this.uniform();
    const u2 = this.uniform();
    return Math.sqrt(-2 * portableLog(u1)) * cosTurns(u2);
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    if (!Number.isInteger(n) || n <= 0)
      throw new ArgumentError(`Rng.int: n=${n}; expected a positive integer`);
    return Math.floor(this.uniform() * n);
  }

  /** Fills `out` with uniforms in [low, high). */
  fillUniform(out: Float32Array, low = 0, high = 1): Float32Array {
    const span = high - low;
    for (let i = 0; i < out.length; i++) out[i] = low + span * this.uniform();
    return out;
  }

  /** Fills `out` with normals of the given mean and standard deviation. */
  fillNormal(out: Float32Array, mean = 0, std = 1): Float32Array {
    for (let i = 0; i < out.length; i++) out[i] = mean + std * this.normal();
    return out;
  }

  /** In-place Fisher–Yates shuffle. */
  shuffle<T extends { length: number; [i: number]: unknown }>(items: T): T {
    for (let i = items.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const tmp = items[i];
      items[i] = items[j];
      items[j] = tmp;
    }
    return items;
  }

  /** A random permutation of 0..n-1. */
  permutation(n: number): Int32Array {
    const p = new Int32Array(n);
    for (let i = 0; i < n; i++) p[i] = i;
    return this.shuffle(p);
  }

  /** An independent child generator; advances this one by two draws. */
  split(): Rng {
    const a = this.nextUint32();
    const b = this.nextUint32();
    return new Rng((splitMix32(a) ^ Math.imul(b, 0x27d4eb2d)) >>> 0);
  }

  /** A child generator for a named purpose that does not advance this one (same key → same child). */
  fork(key: string | number): Rng {
    let h = this.s0 ^ 0x811c9dc5;
    const text = String(key);
    for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
    return new Rng((h ^ this.s1 ^ rotl(this.s2, 13) ^ rotl(this.s3, 7)) >>> 0);
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}
