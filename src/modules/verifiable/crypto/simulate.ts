/**
 * A whole election run in memory: trustees' ceremony, ballots, tally, decryption, record. For
 * tests, benchmarks and the documentation's example record; never used by the server (which
 * never holds trustees' seeds).
 */
import { encryptBallot, checkAudit, type BallotJson, type RevealJson } from './ballot';
import { emptyTally, partialDecrypt, combine, discreteLog } from './decrypt';
import {
  collectShares,
  commitRound,
  confirmRound,
  dealRound,
  electionKey,
  newSeed,
  verifyCommitment,
  type CeremonyShape,
} from './dkg';
import { sha512 } from '@noble/hashes/sha2.js';
import { utf8ToBytes } from '@noble/hashes/utils.js';
import { decodePoint, pointToHex, systemRandom, type Point, type RandomSource } from './group';
import {
  RECORD_FORMAT,
  fingerprintOf,
  paramsOf,
  type ElectionDefinition,
  type ElectionRecord,
  type RecordBallot,
} from './record';

/** A deterministic random source (SHA-512 in counter mode) for known-answer tests. */
export function seededRandom(seed: string): RandomSource {
  let counter = 0;
  let buf = new Uint8Array(0);
  return (n: number) => {
    const out = new Uint8Array(n);
    let o = 0;
    while (o < n) {
      if (buf.length === 0) buf = sha512(utf8ToBytes(`${seed}/${counter++}`));
      const take = Math.min(buf.length, n - o);
      out.set(buf.subarray(0, take), o);
      buf = buf.subarray(take);
      o += take;
    }
    return out;
  };
}

export function exampleElection(
  opts: {
    voteId?: string;
    trustees?: number;
    threshold?: number;
    choices?: number;
    min?: number;
    max?: number;
    questions?: number;
  } = {},
): ElectionDefinition {
  const n = opts.trustees ?? 3;
  return {
    voteId: opts.voteId ?? 'a4b2c3d4-0000-4000-8000-000000000001',
    municipalityCode: '0793',
    title: { et: 'Näidishääletus', en: 'Example vote', ru: 'Пример голосования' },
    questions: Array.from({ length: opts.questions ?? 1 }, (_, qi) => ({
      id: `q${qi + 1}`,
      title: { et: `Küsimus ${qi + 1}`, en: `Question ${qi + 1}`, ru: `Вопрос ${qi + 1}` },
      minSelections: opts.min ?? 0,
      maxSelections: opts.max ?? 1,
      choices: Array.from({ length: opts.choices ?? 3 }, (_, ci) => ({
        id: `c${ci + 1}`,
        label: { et: `Valik ${ci + 1}`, en: `Choice ${ci + 1}`, ru: `Вариант ${ci + 1}` },
      })),
    })),
    trustees: Array.from({ length: n }, (_, i) => ({ index: i + 1, name: `Trustee ${i + 1}` })),
    threshold: opts.threshold ?? n,
  };
}

export interface SimulatedCeremony {
  shape: CeremonyShape;
  seeds: Uint8Array[];
  ceremony: ElectionRecord['ceremony'];
  publicKey: string;
  shares: bigint[];
}

export function runCeremony(election: ElectionDefinition, rng: RandomSource = systemRandom): SimulatedCeremony {
  const shape: CeremonyShape = {
    voteId: election.voteId,
    trustees: election.trustees.length,
    threshold: election.threshold,
  };
  const seeds = election.trustees.map(() => newSeed(rng));
  const commitments = seeds.map((s, i) => commitRound(shape, i + 1, s, rng));
  const decoded = commitments.map((m, i) => verifyCommitment(shape, m, `commitments[${i}]`));
  const deals = seeds.map((s, i) => dealRound(shape, i + 1, s, decoded, rng));
  const shares = seeds.map((s, i) => {
    const out = collectShares(shape, i + 1, s, decoded, deals);
    if (!out.share) throw new Error(`trustee ${i + 1} complains: ${JSON.stringify(out.complaints)}`);
    return out.share;
  });
  const publicShares = shares.map((x, i) => confirmRound(election.voteId, i + 1, x, deals, rng));
  return {
    shape,
    seeds,
    ceremony: { commitments, shares: deals, publicShares },
    publicKey: pointToHex(electionKey(decoded)),
    shares,
  };
}

export interface SimulatedVoter {
  slot: string;
  /** Per question, the chosen indices; one entry per ballot the voter casts (re-voting). */
  ballots: number[][][];
  cancelled?: boolean;
}

/** Builds a complete record: ceremony, the voters' ballots, audits, tally, decryption by `decryptors`, result. */
export function simulateElection(opts: {
  election: ElectionDefinition;
  voters: SimulatedVoter[];
  audits?: number[][][];
  decryptors?: number[];
  rng?: RandomSource;
  stopAfter?: 'ballots' | 'tally';
}): { record: ElectionRecord; ceremony: SimulatedCeremony; expected: number[][] } {
  const rng = opts.rng ?? systemRandom;
  const election = opts.election;
  const cer = runCeremony(election, rng);
  const params = paramsOf(election, cer.publicKey);
  const ballots: RecordBallot[] = [];
  const expected = election.questions.map((q) => q.choices.map(() => 0));
  for (const v of opts.voters) {
    v.ballots.forEach((sel, i) => {
      const last = i === v.ballots.length - 1;
      const enc = encryptBallot(params, v.slot, sel, rng);
      const status = !last ? 'superseded' : v.cancelled ? 'cancelled' : 'counted';
      if (status === 'counted') sel.forEach((qs, qi) => qs.forEach((ci) => expected[qi]![ci]!++));
      ballots.push({ slot: v.slot, version: i + 1, tracker: enc.tracker, status, ballot: enc.ballot });
    });
  }
  const audited = (opts.audits ?? []).map((sel, i) => {
    const enc = encryptBallot(params, `audit-${i}`, sel, rng);
    checkAudit(params, enc.ballot, enc.reveal);
    return { tracker: enc.tracker, ballot: enc.ballot as BallotJson, reveal: enc.reveal as RevealJson };
  });
  const record: ElectionRecord = {
    format: RECORD_FORMAT,
    version: 1,
    fingerprint: fingerprintOf(election),
    election,
    ceremony: cer.ceremony,
    publicKey: cer.publicKey,
    ballots,
    audited,
  };
  if (opts.stopAfter === 'ballots') return { record, ceremony: cer, expected };
  const t = emptyTally(election.questions.map((q) => q.choices.length));
  let counted = 0;
  for (const b of ballots) {
    if (b.status !== 'counted') continue;
    counted++;
    b.ballot.answers.forEach((a, qi) =>
      a.choices.forEach((c, ci) => {
        t.alphas[qi]![ci] = t.alphas[qi]![ci]!.add(decodePoint(c.alpha, 'alpha'));
        t.betas[qi]![ci] = t.betas[qi]![ci]!.add(decodePoint(c.beta, 'beta', { allowIdentity: true }));
      }),
    );
  }
  record.tally = {
    ballotsCounted: counted,
    questions: t.alphas.map((q, qi) => ({
      choices: q.map((a, ci) => ({ alpha: pointToHex(a), beta: pointToHex(t.betas[qi]![ci]!) })),
    })),
  };
  if (opts.stopAfter === 'tally') return { record, ceremony: cer, expected };
  const who = opts.decryptors ?? election.trustees.map((t) => t.index);
  record.decryption = who.map((j) => partialDecrypt(election.voteId, j, cer.shares[j - 1]!, t.alphas, rng));
  record.result = {
    questions: t.alphas.map((q, qi) => ({
      counts: q.map((_a, ci) => {
        const partials = new Map<number, Point>();
        for (const m of record.decryption!)
          partials.set(m.index, decodePoint(m.decryptions[qi]![ci]!.factor, 'factor', { allowIdentity: true }));
        return discreteLog(combine(t.betas[qi]![ci]!, partials), counted);
      }),
    })),
  };
  return { record, ceremony: cer, expected };
}
