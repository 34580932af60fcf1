/**
 * Exact rational numbers on BigInt, for counting rules whose decisions must not depend on
 * floating-point rounding (the Method of Equal Shares: who can still afford a project, which
 * project is cheapest per unit of utility, exact ties). Always reduced, denominator > 0.
 */
export interface Q {
  readonly n: bigint;
  readonly d: bigint;
}

function gcd(a: bigint, b: bigint): bigint {
  if (a < 0n) a = -a;
  while (b !== 0n) {
    const t = a % b;
    a = b;
    b = t;
  }
  return a;
}

export function q(n: bigint | number, d: bigint | number = 1n): Q {
  let nn = BigInt(n);
  let dd = BigInt(d);
  if (dd === 0n) throw new RangeError('division by zero');
  if (dd < 0n) {
    nn = -nn;
    dd = -dd;
  }
  if (dd === 1n) return { n: nn, d: 1n };
  const g = gcd(nn, dd);
  return g === 1n ? { n: nn, d: dd } : { n: nn / g, d: dd / g };
}

export const ZERO: Q = { n: 0n, d: 1n };
export const add = (a: Q, b: Q): Q => (a.d === b.d ? q(a.n + b.n, a.d) : q(a.n * b.d + b.n * a.d, a.d * b.d));
export const sub = (a: Q, b: Q): Q => (a.d === b.d ? q(a.n - b.n, a.d) : q(a.n * b.d - b.n * a.d, a.d * b.d));
export const mul = (a: Q, b: Q): Q => q(a.n * b.n, a.d * b.d);
export const mulInt = (a: Q, k: bigint): Q => q(a.n * k, a.d);
export const div = (a: Q, b: Q): Q => q(a.n * b.d, a.d * b.n);
export const divInt = (a: Q, k: bigint): Q => q(a.n, a.d * k);
/** -1, 0 or 1. */
export const cmp = (a: Q, b: Q): number => {
  const x = a.n * b.d - b.n * a.d;
  return x < 0n ? -1 : x > 0n ? 1 : 0;
};
export const lt = (a: Q, b: Q) => cmp(a, b) < 0;
export const le = (a: Q, b: Q) => cmp(a, b) <= 0;
export const eq = (a: Q, b: Q) => a.n === b.n && a.d === b.d;
export const min = (a: Q, b: Q) => (cmp(a, b) <= 0 ? a : b);
export const key = (a: Q) => (a.d === 1n ? a.n.toString() : `${a.n}/${a.d}`);

function bitLength(x: bigint): number {
  return x === 0n ? 0 : (x < 0n ? -x : x).toString(2).length;
}

/** An approximation for display and for pre-sorting (never for a decision). */
export function toNumber(a: Q): number {
  const shift = Math.max(0, Math.max(bitLength(a.n), bitLength(a.d)) - 1000);
  if (shift === 0) return Number(a.n) / Number(a.d);
  const s = BigInt(shift);
  return Number(a.n >> s) / Number(a.d >> s);
}

/** Rounded to the nearest integer (half away from zero), e.g. cents for display. */
export function round(a: Q): number {
  const twice = 2n * a.n;
  const r = twice >= 0n ? (twice + a.d) / (2n * a.d) : -((-twice + a.d) / (2n * a.d));
  return Number(r);
}

export const floorInt = (a: Q): bigint => (a.n >= 0n ? a.n / a.d : -((-a.n + a.d - 1n) / a.d));
