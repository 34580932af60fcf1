/**
 * Batch verification of group equations. Each equation Σ kᵢ·Pᵢ = 0 is multiplied by a fresh
 * random 128-bit weight and all of them are added up; the sum is the identity for valid proofs,
 * and for any false equation it is the identity with probability at most 2^-128. One
 * multi-scalar multiplication then checks a whole ballot. The weights come from the verifier's
 * own random source, never from the prover.
 */
import { G, ZERO, mod, msmPublic, randomShortScalar, systemRandom, type Point, type RandomSource } from './group';

export class Batch {
  private variable = new Map<Point, bigint>();
  /** Bases with a window table (G, the election key): multiplied separately, fast. */
  private fixed = new Map<Point, bigint>();
  private weight: bigint = 1n;

  constructor(private readonly rng: RandomSource = systemRandom) {}

  /** Starts a new equation: later terms are scaled by a fresh random weight. */
  equation(): this {
    this.weight = randomShortScalar(128, this.rng);
    return this;
  }

  /** Adds k·P to the current equation. */
  term(p: Point, k: bigint): this {
    if (p === G || this.fixed.has(p)) return this.fixedTerm(p, k);
    this.variable.set(p, mod((this.variable.get(p) ?? 0n) + this.weight * k));
    return this;
  }

  /** Adds k·(P₁ + P₂ + …) to the current equation, without computing the sum. */
  sumTerm(ps: Point[], k: bigint): this {
    for (const p of ps) this.term(p, k);
    return this;
  }

  /** Adds k·P for a base that has a precomputed table (G, an election key). */
  fixedTerm(p: Point, k: bigint): this {
    this.fixed.set(p, mod((this.fixed.get(p) ?? 0n) + this.weight * k));
    return this;
  }

  /** True when every equation added holds (with overwhelming probability). */
  holds(): boolean {
    let acc = msmPublic([...this.variable.keys()], [...this.variable.values()]);
    for (const [p, k] of this.fixed) if (k !== 0n) acc = acc.add(p.multiplyUnsafe(k));
    return acc.equals(ZERO);
  }
}
