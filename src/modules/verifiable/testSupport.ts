/**
 * Test helpers (not used by the application): a trustee's browser and a voter's browser, done in
 * the test process with the same crypto code the web app runs, talking to the API.
 */
import type { Api } from '../../platform/module';
import { encryptBallot, type ElectionParams, type EncryptedBallot } from './crypto/ballot';
import { partialDecrypt } from './crypto/decrypt';
import {
  collectShares,
  commitRound,
  confirmRound,
  dealRound,
  newSeed,
  verifyCommitment,
  type CeremonyShape,
  type SharesMessage,
} from './crypto/dkg';
import { decodePoint } from './crypto/group';

export type Headers = Record<string, string>;

export async function call(app: Api, method: string, url: string, headers: Headers | undefined, payload?: unknown) {
  const res = await app.inject({
    method: method as 'GET',
    url,
    headers: headers ?? {},
    ...(payload === undefined ? {} : { payload: payload as object }),
  });
  return { status: res.statusCode, body: res.body ? (safeJson(res.body) as Record<string, any>) : {}, raw: res.body };
}

function safeJson(s: string) {
  try {
    return JSON.parse(s);
  } catch {
    return s;
  }
}

/** A trustee: keeps its seed (as its key file would) and answers each ceremony round. */
export class TrusteeSim {
  readonly seed = newSeed();
  share?: bigint;
  constructor(
    readonly index: number,
    readonly headers: Headers,
  ) {}

  private async ceremony(app: Api, base: string) {
    const r = await call(app, 'GET', `${base}/ceremony`, undefined);
    if (r.status !== 200) throw new Error(`ceremony: ${r.raw}`);
    return r.body as {
      voteId: string;
      threshold: number;
      trustees: { index: number; commitment: unknown; deal: SharesMessage | null }[];
    };
  }

  private shape(c: { voteId: string; threshold: number; trustees: unknown[] }): CeremonyShape {
    return { voteId: c.voteId, trustees: c.trustees.length, threshold: c.threshold };
  }

  async commit(app: Api, base: string) {
    const c = await this.ceremony(app, base);
    return call(
      app,
      'POST',
      `${base}/ceremony/commitment`,
      this.headers,
      commitRound(this.shape(c), this.index, this.seed),
    );
  }

  async deal(app: Api, base: string) {
    const c = await this.ceremony(app, base);
    const shape = this.shape(c);
    const decoded = c.trustees.map((t) => verifyCommitment(shape, t.commitment, `trustee ${t.index}`));
    return call(app, 'POST', `${base}/ceremony/deal`, this.headers, dealRound(shape, this.index, this.seed, decoded));
  }

  async confirm(app: Api, base: string) {
    const c = await this.ceremony(app, base);
    const shape = this.shape(c);
    const decoded = c.trustees.map((t) => verifyCommitment(shape, t.commitment, `trustee ${t.index}`));
    const deals = c.trustees.flatMap((t) => (t.deal ? [t.deal] : []));
    const out = collectShares(shape, this.index, this.seed, decoded, deals);
    if (!out.share)
      return call(app, 'POST', `${base}/ceremony/confirmation`, this.headers, {
        complaint: { against: out.complaints[0]!.against, reason: out.complaints[0]!.reason },
      });
    this.share = out.share;
    return call(app, 'POST', `${base}/ceremony/confirmation`, this.headers, {
      publicShare: confirmRound(c.voteId, this.index, out.share, deals),
    });
  }

  async decrypt(app: Api, base: string, voteId: string) {
    const e = await call(app, 'GET', base, undefined);
    const tally = (e.body.tally ?? { questions: [] }) as { questions: { choices: { alpha: string }[] }[] };
    const alphas = tally.questions.map((q) =>
      q.choices.map((c) => decodePoint(c.alpha, 'alpha', { allowIdentity: true })),
    );
    return call(
      app,
      'POST',
      `${base}/decryptions`,
      this.headers,
      alphas.length ? partialDecrypt(voteId, this.index, this.share!, alphas) : { index: this.index, decryptions: [] },
    );
  }
}

/** A voter's browser: asks for its slot and the election parameters, encrypts and casts. */
export async function encryptFor(
  app: Api,
  base: string,
  headers: Headers,
  selections: number[][],
): Promise<EncryptedBallot & { slot: string; params: ElectionParams }> {
  const r = await call(app, 'GET', `${base}/my-slot`, headers);
  if (r.status !== 200) throw new Error(`my-slot: ${r.raw}`);
  const params = r.body.params as ElectionParams;
  return { ...encryptBallot(params, r.body.slot as string, selections), slot: r.body.slot as string, params };
}
