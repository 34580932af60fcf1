/**
 * The "tally form" of a verified ballot: its ciphertexts as affine Edwards coordinates, 128 bytes
 * per choice (α.x, α.y, β.x, β.y, each 32 bytes little-endian), questions and choices in order.
 * Decoding a ristretto255 element costs a square root (~0.13 ms); rebuilding a point from its
 * affine coordinates costs one field multiplication, so the tally of 100,000 ten-choice ballots
 * is two million point additions instead of two million decodings. The form is computed by the
 * server from points it has just decoded and verified; the published record keeps the canonical
 * encodings, from which the verifier recomputes the product independently.
 */
import { Point, ZERO, pointToHex, type Point as P } from './crypto/group';

const CHOICE_BYTES = 128;

function put(view: DataView, offset: number, v: bigint) {
  let x = v;
  for (let i = 0; i < 4; i++) {
    view.setBigUint64(offset + i * 8, x & 0xffffffffffffffffn, true);
    x >>= 64n;
  }
}

function get(view: DataView, offset: number): bigint {
  return (
    view.getBigUint64(offset, true) |
    (view.getBigUint64(offset + 8, true) << 64n) |
    (view.getBigUint64(offset + 16, true) << 128n) |
    (view.getBigUint64(offset + 24, true) << 192n)
  );
}

/** Affine coordinates; points just decoded have Z = 1, which saves a field inversion each. */
function affine(p: P) {
  return (p as unknown as { ep: { Z: bigint } }).ep.Z === 1n ? p.toAffine(1n) : p.toAffine();
}

export function encodeTallyForm(alphas: P[][], betas: P[][]): Uint8Array {
  const n = alphas.reduce((s, q) => s + q.length, 0);
  const out = new Uint8Array(n * CHOICE_BYTES);
  const view = new DataView(out.buffer);
  let o = 0;
  alphas.forEach((q, qi) =>
    q.forEach((a, ci) => {
      const A = affine(a);
      const B = affine(betas[qi]![ci]!);
      put(view, o, A.x);
      put(view, o + 32, A.y);
      put(view, o + 64, B.x);
      put(view, o + 96, B.y);
      o += CHOICE_BYTES;
    }),
  );
  return out;
}

/** A running homomorphic product (sum) per question and choice. */
export class TallyAccumulator {
  readonly alphas: P[][];
  readonly betas: P[][];
  count = 0;

  constructor(readonly sizes: number[]) {
    this.alphas = sizes.map((n) => Array.from({ length: n }, () => ZERO));
    this.betas = sizes.map((n) => Array.from({ length: n }, () => ZERO));
  }

  add(form: Uint8Array) {
    const total = this.sizes.reduce((s, n) => s + n, 0);
    if (form.length !== total * CHOICE_BYTES)
      throw new Error(`tally form of ${form.length} bytes, expected ${total * CHOICE_BYTES}`);
    const view = new DataView(form.buffer, form.byteOffset, form.byteLength);
    let o = 0;
    this.sizes.forEach((n, qi) => {
      for (let ci = 0; ci < n; ci++) {
        this.alphas[qi]![ci] = this.alphas[qi]![ci]!.add(Point.fromAffine({ x: get(view, o), y: get(view, o + 32) }));
        this.betas[qi]![ci] = this.betas[qi]![ci]!.add(
          Point.fromAffine({ x: get(view, o + 64), y: get(view, o + 96) }),
        );
        o += CHOICE_BYTES;
      }
    });
    this.count++;
  }

  toJson() {
    return {
      ballotsCounted: this.count,
      questions: this.alphas.map((q, qi) => ({
        choices: q.map((a, ci) => ({ alpha: pointToHex(a), beta: pointToHex(this.betas[qi]![ci]!) })),
      })),
    };
  }
}
