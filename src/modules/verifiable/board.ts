/**
 * The public bulletin board: for each verifiable vote, its parameters, the trustees' public keys
 * and ceremony messages, every cast ballot (ciphertexts, proofs, tracker, status; no identity, no
 * time), the audited ballots, the tally, the partial decryptions and the result; exported as one
 * election record (crypto/record.ts, docs/verifiable-voting.md).
 */
import { PassThrough, type Readable } from 'node:stream';
import { sql } from 'kysely';
import type { AppContext } from '../../platform/context';
import { inScope, type Trx } from '../../platform/db/database';
import { notFound } from '../../platform/http/problems';
import * as bb from '../ballotBox';
import { RECORD_FORMAT } from './crypto/record';
import { findElection, listTrustees } from './store';

async function visible(trx: Trx, municipalityCode: string, id: string) {
  const e = await findElection(trx, municipalityCode, id);
  if (!e || e.status === 'draft') throw notFound('Verifiable vote');
  return e;
}

export async function boardPage(
  ctx: AppContext,
  municipalityCode: string,
  id: string,
  page: { offset: number; limit: number },
) {
  return inScope(ctx.db, { tenant: municipalityCode }, async (trx) => {
    await visible(trx, municipalityCode, id);
    const rows = await trx
      .selectFrom('vv_ballot')
      .select(['slot', 'version', 'tracker', 'status'])
      .where('municipality_code', '=', municipalityCode)
      .where('election_id', '=', id)
      .orderBy('slot')
      .orderBy('version')
      .offset(page.offset)
      .limit(page.limit)
      .execute();
    const total = await trx
      .selectFrom('vv_ballot')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('municipality_code', '=', municipalityCode)
      .where('election_id', '=', id)
      .executeTakeFirstOrThrow();
    const audited = await trx
      .selectFrom('vv_audited')
      .select(['tracker', 'reveal'])
      .where('municipality_code', '=', municipalityCode)
      .where('election_id', '=', id)
      .orderBy('tracker')
      .limit(500)
      .execute();
    return {
      total: Number(total.n),
      ballots: rows,
      audited: audited.map((a) => ({
        tracker: a.tracker,
        selections: (a.reveal as { answers: { choices: { m: number }[] }[] }).answers.map((q) =>
          q.choices.flatMap((c, i) => (c.m === 1 ? [i] : [])),
        ),
      })),
    };
  });
}

/** One ballot of the board, in full (by its tracker), or an audited ballot. */
export async function boardBallot(ctx: AppContext, municipalityCode: string, id: string, tracker: string) {
  return inScope(ctx.db, { tenant: municipalityCode }, async (trx) => {
    await visible(trx, municipalityCode, id);
    const b = await trx
      .selectFrom('vv_ballot')
      .select(['slot', 'version', 'tracker', 'status', 'ballot'])
      .where('municipality_code', '=', municipalityCode)
      .where('election_id', '=', id)
      .where('tracker', '=', tracker)
      .executeTakeFirst();
    if (b) return { kind: 'cast' as const, ...b };
    const a = await trx
      .selectFrom('vv_audited')
      .select(['tracker', 'ballot', 'reveal'])
      .where('municipality_code', '=', municipalityCode)
      .where('election_id', '=', id)
      .where('tracker', '=', tracker)
      .executeTakeFirst();
    if (a) return { kind: 'audited' as const, ...a };
    throw notFound('Ballot');
  });
}

/** What became of a receipt (the ballot box's answer) and where its ballot is on the board. */
export async function receiptLookup(ctx: AppContext, municipalityCode: string, id: string, receipt: string) {
  return inScope(ctx.db, { tenant: municipalityCode }, async (trx) => {
    const e = await visible(trx, municipalityCode, id);
    const code = bb.normaliseReceipt(receipt);
    const status = await bb.receiptStatus(trx, { municipalityCode, boxId: e.box_id, receipt: code });
    const b = await trx
      .selectFrom('vv_ballot')
      .select(['tracker', 'slot', 'version'])
      .where('municipality_code', '=', municipalityCode)
      .where('election_id', '=', id)
      .where('receipt', '=', code)
      .executeTakeFirst();
    return { receipt: code, status, tracker: b?.tracker ?? null, slot: b?.slot ?? null, version: b?.version ?? null };
  });
}

/**
 * The election record as a stream of JSON text, read in one repeatable-read transaction (a
 * consistent snapshot even while votes are being cast). Ballots are ordered by slot and version.
 */
export async function exportRecord(ctx: AppContext, municipalityCode: string, id: string): Promise<Readable> {
  // 404 before anything is streamed.
  await inScope(ctx.db, { tenant: municipalityCode }, (trx) => visible(trx, municipalityCode, id));
  const out = new PassThrough();
  const write = async (s: string) => {
    if (!out.write(s)) await new Promise<void>((resolve) => out.once('drain', resolve));
  };
  ctx.db
    .transaction()
    .setIsolationLevel('repeatable read')
    .execute(async (trx) => {
      await sql`select set_config('kov.tenant', ${municipalityCode}, true), set_config('kov.actor', '', true)`.execute(
        trx,
      );
      const e = await visible(trx, municipalityCode, id);
      const trustees = await listTrustees(trx, municipalityCode, id);
      const head = {
        format: RECORD_FORMAT,
        version: 1,
        fingerprint: e.fingerprint,
        election: e.definition,
        ceremony: {
          commitments: trustees.map((t) => t.commitment).filter(Boolean),
          shares: trustees.map((t) => t.deal).filter(Boolean),
          publicShares: trustees.map((t) => t.public_share).filter(Boolean),
        },
        publicKey: e.public_key,
      };
      const headText = JSON.stringify(head);
      await write(`${headText.slice(0, -1)},\n"ballots":[`);
      let after: { slot: string; version: number } | undefined;
      let first = true;
      for (;;) {
        let qb = trx
          .selectFrom('vv_ballot')
          .select(['slot', 'version', 'tracker', 'status', 'ballot'])
          .where('municipality_code', '=', municipalityCode)
          .where('election_id', '=', id);
        if (after) {
          const a = after;
          qb = qb.where((eb) =>
            eb.or([eb('slot', '>', a.slot), eb.and([eb('slot', '=', a.slot), eb('version', '>', a.version)])]),
          );
        }
        const rows = await qb.orderBy('slot').orderBy('version').limit(1000).execute();
        if (rows.length === 0) break;
        for (const r of rows) {
          await write(
            `${first ? '\n' : ',\n'}${JSON.stringify({ slot: r.slot, version: r.version, tracker: r.tracker, status: r.status, ballot: r.ballot })}`,
          );
          first = false;
        }
        after = rows[rows.length - 1]!;
      }
      const audited = await trx
        .selectFrom('vv_audited')
        .select(['tracker', 'ballot', 'reveal'])
        .where('municipality_code', '=', municipalityCode)
        .where('election_id', '=', id)
        .orderBy('tracker')
        .execute();
      await write(`\n],\n"audited":${JSON.stringify(audited)}`);
      if (e.tally) await write(`,\n"tally":${JSON.stringify(e.tally)}`);
      const decryptions = trustees.map((t) => t.decryption).filter(Boolean);
      if (decryptions.length) await write(`,\n"decryption":${JSON.stringify(decryptions)}`);
      if (e.result) await write(`,\n"result":${JSON.stringify({ questions: e.result.questions })}`);
      if (e.paper && e.paper.ballots > 0) await write(`,\n"paper":${JSON.stringify(e.paper)}`);
      await write('\n}\n');
    })
    .then(
      () => out.end(),
      (err) => {
        ctx.log.error({ err, election: id }, 'exporting an election record failed');
        out.destroy(err as Error);
      },
    );
  return out;
}
