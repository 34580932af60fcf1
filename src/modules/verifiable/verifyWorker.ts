/**
 * A worker thread that verifies ballots (about 20 ms of CPU for a ten-choice ballot), so the
 * server's event loop stays free for other requests. See verifyPool.ts.
 */
import { parentPort } from 'node:worker_threads';
import { verifyBallot, type ElectionParams } from './crypto/ballot';
import { CryptoError } from './crypto/errors';
import { encodeTallyForm } from './tallyForm';

export interface VerifyRequest {
  id: number;
  params: ElectionParams;
  slot: string;
  ballot: unknown;
}

export type VerifyResponse =
  | { id: number; ok: true; tracker: string; form: Uint8Array }
  | { id: number; ok: false; kind: CryptoError['kind'] | 'internal'; message: string };

export function verifyForCasting(
  params: ElectionParams,
  slot: string,
  ballot: unknown,
): { tracker: string; form: Uint8Array } {
  const v = verifyBallot(params, slot, ballot);
  return { tracker: v.tracker, form: encodeTallyForm(v.alphas, v.betas) };
}

parentPort?.on('message', (req: VerifyRequest) => {
  let res: VerifyResponse;
  try {
    const r = verifyForCasting(req.params, req.slot, req.ballot);
    res = { id: req.id, ok: true, tracker: r.tracker, form: r.form };
  } catch (err) {
    res =
      err instanceof CryptoError
        ? { id: req.id, ok: false, kind: err.kind, message: err.message }
        : { id: req.id, ok: false, kind: 'internal', message: (err as Error).message };
  }
  parentPort!.postMessage(res);
});
