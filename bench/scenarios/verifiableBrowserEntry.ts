/// <reference lib="dom" />
/**
 * Bundled by the verifiable-browser scenario (Vite, IIFE) and run in Chromium: the same crypto
 * code the web app's ballot page runs, timed there, with the raw curve operations it is made of.
 */
import { encryptBallot, type ElectionParams } from '../../src/modules/verifiable/crypto/ballot';
import { G, pointToHex, randomScalar, withTable, decodePoint } from '../../src/modules/verifiable/crypto/group';

function time(n: number, f: () => void): number {
  for (let i = 0; i < Math.min(3, n); i++) f();
  const t0 = performance.now();
  for (let i = 0; i < n; i++) f();
  return (performance.now() - t0) / n;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

(window as unknown as { kovBench: unknown }).kovBench = {
  /** ms per ballot (each run: fresh randomness), median and p90 over `runs`. */
  ballot(params: ElectionParams, selections: number[][], runs: number) {
    const ms: number[] = [];
    encryptBallot(params, 'bench-slot', selections); // warm-up: JIT, the election key's table
    for (let i = 0; i < runs; i++) {
      const t0 = performance.now();
      encryptBallot(params, `bench-slot-${i}`, selections);
      ms.push(performance.now() - t0);
    }
    const sorted = [...ms].sort((a, b) => a - b);
    return { median: median(ms), p90: sorted[Math.floor(sorted.length * 0.9)]!, first: ms[0]! };
  },
  /** µs per raw operation in this browser. */
  raw(publicKey: string) {
    const Y = withTable(decodePoint(publicKey, 'Y'));
    const P = G.multiply(randomScalar());
    const bytes = pointToHex(P);
    return {
      fixedMulUs: time(200, () => G.multiply(randomScalar())) * 1000,
      keyMulUs: time(200, () => Y.multiply(randomScalar())) * 1000,
      varMulUs: time(50, () => P.multiplyUnsafe(randomScalar())) * 1000,
      addUs: time(5000, () => P.add(G)) * 1000,
      encodeUs: time(500, () => P.toBytes()) * 1000,
      decodeUs: time(500, () => decodePoint(bytes, 'p')) * 1000,
      scalarUs: time(2000, () => randomScalar()) * 1000,
    };
  },
};
