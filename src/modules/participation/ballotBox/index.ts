import { createHmac, randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import type { Db, Trx } from '../../../platform/db/database';
import { Problem, defineProblem } from '../../../platform/http/problems';

/**
 * The ballot box: one reusable component for every secret vote on the platform: municipal polls,
 * village elder elections and participatory budgets (this module), secret votes in council
 * sittings (council module: "who took part is recorded, never how") and encrypted ballots of
 * verifiable voting (verifiable module: its own payload format on the same slots).
 *
 * Guarantees, whatever the payload format:
 *  - who voted (`bb_voter`, by person) and what was voted (`bb_ballot`, by slot) are stored apart;
 *    a slot is HMAC-SHA256(pseudonym key, box, person): only the server, holding the key, can find
 *    a voter's slot (to replace it on re-vote); no table, export or log links a ballot to a person;
 *  - one current ballot per slot: a re-vote replaces it, so the last ballot counts; 200 parallel
 *    casts of one voter leave exactly one ballot (they serialise on the voter's row);
 *  - casts are accepted only while the box is open and inside its window; closing waits for casts
 *    in flight, so no cast commits after the box closed (and every receipt given is counted);
 *  - a paper vote of a voter cancels their internet ballot and refuses later ones (IVXV rule);
 *  - nothing about the content can be read while the box is open: `tally*`, `countedBallots`,
 *    `countedReceipts` and `ballotSets` refuse until it is closed.
 *
 * The payload is `{ format, content, selections?, weights? }`: `format` names the format and its
 * version (e.g. 'plain/1'); `content` is opaque JSON kept as given; `selections`/`weights` are
 * the chosen choice numbers (and points) for formats that are counted in the clear, null for
 * encrypted formats, whose owners count `countedBallots` themselves.
 *
 * Transactions: functions taking `trx` run inside the caller's `inScope` transaction (tenant
 * scope set). `castBallot` may run on its own (one round trip) or inside the caller's transaction.
 */
export interface BallotPayload {
  format: string;
  content: unknown;
  selections?: number[] | null;
  weights?: number[] | null;
}

export type BoxState = 'ready' | 'open' | 'closed';
export type ReceiptStatus = 'counted' | 'cancelled' | 'superseded' | 'unknown';

export const BB = {
  notOpen: defineProblem(
    'ballot-box-not-open',
    409,
    'Voting is not open',
    'Ballots are accepted only while the vote is open, between its opening and closing time.',
  ),
  votedOnPaper: defineProblem(
    'voted-on-paper',
    409,
    'You have voted on paper',
    'A paper vote has been recorded for you; it cancels internet ballots, and no further ballot can be cast.',
  ),
  stillOpen: defineProblem(
    'results-hidden',
    409,
    'Results are hidden until the vote closes',
    'No partial result is ever shown: ballots can be counted only after the vote has closed.',
  ),
};

// ---------------------------------------------------------------------------------------------
// Boxes

declare module '../../../platform/db/tables' {
  interface KovTables {
    bb_box: {
      municipality_code: string;
      id: string;
      owner: string;
      state: BoxState;
      opens_at: Date | null;
      closes_at: Date | null;
      created_at: Date;
      closed_at: Date | null;
    };
    bb_voter: {
      municipality_code: string;
      box_id: string;
      person_id: string;
      settlement_code: string | null;
      channel: 'internet' | 'paper';
      first_voted_at: Date;
      paper_recorded_at: Date | null;
      paper_recorded_by: string | null;
    };
    bb_ballot: {
      municipality_code: string;
      box_id: string;
      slot: Buffer;
      receipt: string;
      channel: 'internet' | 'paper' | 'import';
      status: 'counted' | 'cancelled';
      format: string;
      content: string;
      selections: number[] | null;
      weights: number[] | null;
    };
    bb_receipt_history: {
      municipality_code: string;
      box_id: string;
      receipt: string;
      status: 'superseded' | 'cancelled';
    };
  }
}

export interface BoxRef {
  municipalityCode: string;
  boxId: string;
}

export async function createBox(
  trx: Trx,
  b: { municipalityCode: string; owner: string; opensAt?: Date | null; closesAt?: Date | null },
): Promise<string> {
  const row = await trx
    .insertInto('bb_box')
    .values({
      municipality_code: b.municipalityCode,
      owner: b.owner,
      opens_at: b.opensAt ?? null,
      closes_at: b.closesAt ?? null,
    } as never)
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function getBox(trx: Trx, ref: BoxRef) {
  const r = await trx
    .selectFrom('bb_box')
    .selectAll()
    .where('municipality_code', '=', ref.municipalityCode)
    .where('id', '=', ref.boxId)
    .executeTakeFirst();
  return r
    ? { id: r.id, owner: r.owner, state: r.state, opensAt: r.opens_at, closesAt: r.closes_at, closedAt: r.closed_at }
    : undefined;
}

/** Opens the box for casting within [opensAt, closesAt) (either may be null = unbounded). */
export async function openBox(
  trx: Trx,
  ref: BoxRef & { opensAt?: Date | null; closesAt?: Date | null },
): Promise<void> {
  await trx
    .updateTable('bb_box')
    .set({ state: 'open', opens_at: ref.opensAt ?? null, closes_at: ref.closesAt ?? null })
    .where('municipality_code', '=', ref.municipalityCode)
    .where('id', '=', ref.boxId)
    .where('state', '!=', 'closed')
    .execute();
}

/** Changes the closing time of an open box (the owner decides whether that is allowed). */
export async function setClosingTime(trx: Trx, ref: BoxRef & { closesAt: Date }): Promise<void> {
  await trx
    .updateTable('bb_box')
    .set({ closes_at: ref.closesAt })
    .where('municipality_code', '=', ref.municipalityCode)
    .where('id', '=', ref.boxId)
    .execute();
}

/**
 * Closes the box: waits for every cast in flight (they hold the box's lock in shared mode), then
 * refuses all later ones. After this commits, the counted ballots are final.
 */
export async function closeBox(trx: Trx, ref: BoxRef): Promise<void> {
  await sql`SELECT pg_advisory_xact_lock(1650, hashtext(${ref.boxId}::text))`.execute(trx);
  await trx
    .updateTable('bb_box')
    .set({ state: 'closed', closed_at: new Date() })
    .where('municipality_code', '=', ref.municipalityCode)
    .where('id', '=', ref.boxId)
    .where('state', '!=', 'closed')
    .execute();
}

async function requireClosed(trx: Trx, ref: BoxRef) {
  const box = await getBox(trx, ref);
  if (!box) throw new Problem(BB.notOpen, 'No such ballot box');
  if (box.state !== 'closed')
    throw new Problem(
      BB.stillOpen,
      'The vote has not closed yet: ballots cannot be counted or listed before it closes',
    );
}

// ---------------------------------------------------------------------------------------------
// Casting

/** The voter's slot in a box: a keyed pseudonym that only the holder of the key can compute. */
export function voterSlot(pseudonymKey: string, boxId: string, personId: string): Buffer {
  return createHmac('sha256', Buffer.from(pseudonymKey, 'hex'))
    .update(`bb-slot\u0000${boxId}\u0000${personId}`)
    .digest();
}

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
/** A receipt code: 80 random bits in Crockford base32, grouped by four (e.g. `7KQ2-M9XD-PA4F-0RTE`). */
export function newReceipt(): string {
  const bytes = randomBytes(10);
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += CROCKFORD[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  return out.match(/.{4}/g)!.join('-');
}

/** Normalises what a person typed as a receipt code (case, spaces, I/L/O). */
export function normaliseReceipt(code: string): string {
  const c = code
    .toUpperCase()
    .replace(/[^0-9A-Z]/g, '')
    .replace(/[IL]/g, '1')
    .replace(/O/g, '0');
  return (c.match(/.{1,4}/g) ?? []).join('-');
}

export interface CastInput extends BoxRef {
  personId: string;
  /** The person acting (usually the voter) for the transaction scope. */
  actorId?: string;
  /** Settlement unit of the voter's residence (for turnout by settlement unit). */
  settlementCode: string | null;
  ballot: BallotPayload;
  pseudonymKey: string;
}

/**
 * Casts (or replaces) the voter's ballot. Answers the receipt code; `replaced` is true when an
 * earlier ballot of the voter was replaced. Refuses with 409 when the box is not open or the
 * voter voted on paper. Runs as one statement on `db`, or inside the caller's transaction.
 */
export async function castBallot(dbOrTrx: Db | Trx, c: CastInput): Promise<{ receipt: string; replaced: boolean }> {
  const receipt = newReceipt();
  const slot = voterSlot(c.pseudonymKey, c.boxId, c.personId);
  const sel = c.ballot.selections ?? null;
  const w = c.ballot.weights ?? null;
  const { rows } = await sql<{ outcome: string; replaced: boolean }>`
    SELECT * FROM bb_cast(${c.municipalityCode}, ${c.actorId ?? c.personId}, ${c.boxId}::uuid, ${c.personId}::uuid, ${c.settlementCode},
                          ${slot}, ${receipt}, ${c.ballot.format}, ${JSON.stringify(c.ballot.content ?? null)}::jsonb,
                          ${sel ? `{${sel.join(',')}}` : null}::integer[], ${w ? `{${w.join(',')}}` : null}::integer[])`.execute(
    dbOrTrx,
  );
  const r = rows[0]!;
  if (r.outcome === 'not-open' || r.outcome === 'no-box')
    throw new Problem(BB.notOpen, 'Voting is not open: ballots are accepted only between the opening and closing time');
  if (r.outcome === 'voted-on-paper')
    throw new Problem(
      BB.votedOnPaper,
      'A paper vote has been recorded for you at a service point; it replaces internet voting, so no ballot can be cast',
    );
  return { receipt, replaced: r.replaced };
}

/**
 * Records that a person voted on paper at a service point (IVXV rule): their internet ballot, if
 * any, is cancelled and no further internet ballot is accepted. Refuses a second paper vote.
 * The paper ballot itself goes into the box anonymously (`addAnonymousBallots`).
 */
export async function recordPaperVoter(
  trx: Trx,
  p: BoxRef & { personId: string; settlementCode: string | null; recordedBy: string; pseudonymKey: string },
): Promise<{ cancelledInternetBallot: boolean }> {
  const { rows } = await sql<{ channel: string; inserted: boolean }>`
    INSERT INTO bb_voter AS v (municipality_code, box_id, person_id, settlement_code, channel, paper_recorded_at, paper_recorded_by)
    VALUES (${p.municipalityCode}, ${p.boxId}, ${p.personId}, ${p.settlementCode}, 'paper', now(), ${p.recordedBy})
    ON CONFLICT (municipality_code, box_id, person_id) DO UPDATE
      SET channel = 'paper', paper_recorded_at = now(), paper_recorded_by = EXCLUDED.paper_recorded_by
      WHERE v.channel = 'internet'
    RETURNING v.channel, (xmax = 0) AS inserted`.execute(trx);
  if (rows.length === 0) throw new Problem(PAPER_TWICE, 'A paper vote of this person has already been recorded');
  const slot = voterSlot(p.pseudonymKey, p.boxId, p.personId);
  const cancelled = await sql<{ receipt: string }>`
    UPDATE bb_ballot SET status = 'cancelled'
     WHERE municipality_code = ${p.municipalityCode} AND box_id = ${p.boxId} AND slot = ${slot} AND status = 'counted'
    RETURNING receipt`.execute(trx);
  for (const r of cancelled.rows) {
    await trx
      .insertInto('bb_receipt_history')
      .values({ municipality_code: p.municipalityCode, box_id: p.boxId, receipt: r.receipt, status: 'cancelled' })
      .onConflict((oc) => oc.doNothing())
      .execute();
  }
  return { cancelledInternetBallot: cancelled.rows.length > 0 };
}
const PAPER_TWICE = defineProblem(
  'already-voted-on-paper',
  409,
  'Already voted on paper',
  'A paper vote of this person has already been recorded for this vote.',
);

/**
 * Adds ballots that belong to nobody identifiable: paper ballots counted at a service point, or
 * ballots imported from a historical record (Pabulib). Each gets a random slot and a receipt.
 */
export async function addAnonymousBallots(
  trx: Trx,
  a: BoxRef & { channel: 'paper' | 'import'; ballots: BallotPayload[] },
): Promise<string[]> {
  const receipts: string[] = [];
  const CHUNK = 5000;
  for (let i = 0; i < a.ballots.length; i += CHUNK) {
    const part = a.ballots.slice(i, i + CHUNK);
    const rc = part.map(() => newReceipt());
    receipts.push(...rc);
    const arr = (xs: number[] | null | undefined) => (xs ? `{${xs.join(',')}}` : null);
    await sql`
      INSERT INTO bb_ballot (municipality_code, box_id, slot, receipt, channel, format, content, selections, weights)
      SELECT ${a.municipalityCode}, ${a.boxId}::uuid, uuid_send(gen_random_uuid()), r, ${a.channel}, f, c::jsonb, s::integer[], w::integer[]
        FROM unnest(${rc}::text[], ${part.map((b) => b.format)}::text[], ${part.map((b) => JSON.stringify(b.content ?? null))}::text[],
                    ${part.map((b) => arr(b.selections))}::text[], ${part.map((b) => arr(b.weights))}::text[]) AS t(r, f, c, s, w)`.execute(
      trx,
    );
  }
  return receipts;
}

// ---------------------------------------------------------------------------------------------
// Participation (no content): safe while the box is open

export interface Turnout {
  voters: number;
  internet: number;
  paper: number;
  bySettlement: { settlementCode: string | null; voters: number }[];
}

export async function turnout(trx: Trx, ref: BoxRef): Promise<Turnout> {
  const rows = await trx
    .selectFrom('bb_voter')
    .select(['settlement_code', 'channel', (eb) => eb.fn.countAll<number>().as('n')])
    .where('municipality_code', '=', ref.municipalityCode)
    .where('box_id', '=', ref.boxId)
    .groupBy(['settlement_code', 'channel'])
    .execute();
  const by = new Map<string | null, number>();
  let internet = 0;
  let paper = 0;
  for (const r of rows) {
    const n = Number(r.n);
    if (r.channel === 'paper') paper += n;
    else internet += n;
    by.set(r.settlement_code, (by.get(r.settlement_code) ?? 0) + n);
  }
  return {
    voters: internet + paper,
    internet,
    paper,
    bySettlement: [...by.entries()]
      .map(([settlementCode, voters]) => ({ settlementCode, voters }))
      .sort((a, b) => String(a.settlementCode).localeCompare(String(b.settlementCode))),
  };
}

/** Whether this person has voted (for the voter themselves: "you voted on …"; never the content). */
export async function voterStatus(
  trx: Trx,
  ref: BoxRef & { personId: string },
): Promise<{ channel: 'internet' | 'paper'; firstVotedAt: Date } | null> {
  const r = await trx
    .selectFrom('bb_voter')
    .select(['channel', 'first_voted_at'])
    .where('municipality_code', '=', ref.municipalityCode)
    .where('box_id', '=', ref.boxId)
    .where('person_id', '=', ref.personId)
    .executeTakeFirst();
  return r ? { channel: r.channel, firstVotedAt: r.first_voted_at } : null;
}

/** Persons who took part (council sittings record who took part in a secret vote). */
export async function participants(
  trx: Trx,
  ref: BoxRef,
): Promise<{ personId: string; channel: 'internet' | 'paper' }[]> {
  const rows = await trx
    .selectFrom('bb_voter')
    .select(['person_id', 'channel'])
    .where('municipality_code', '=', ref.municipalityCode)
    .where('box_id', '=', ref.boxId)
    .orderBy('person_id')
    .execute();
  return rows.map((r) => ({ personId: r.person_id, channel: r.channel }));
}

/** What became of a receipt: counted (or, while open, recorded to be counted), superseded, cancelled, unknown. */
export async function receiptStatus(trx: Trx, ref: BoxRef & { receipt: string }): Promise<ReceiptStatus> {
  const receipt = normaliseReceipt(ref.receipt);
  const cur = await trx
    .selectFrom('bb_ballot')
    .select('status')
    .where('municipality_code', '=', ref.municipalityCode)
    .where('box_id', '=', ref.boxId)
    .where('receipt', '=', receipt)
    .executeTakeFirst();
  if (cur) return cur.status === 'counted' ? 'counted' : 'cancelled';
  const old = await trx
    .selectFrom('bb_receipt_history')
    .select('status')
    .where('municipality_code', '=', ref.municipalityCode)
    .where('box_id', '=', ref.boxId)
    .where('receipt', '=', receipt)
    .executeTakeFirst();
  return old ? old.status : 'unknown';
}

// ---------------------------------------------------------------------------------------------
// Counting: only after the box has closed

/** Receipt codes of the counted ballots, sorted (the published ballot list). */
export async function countedReceipts(trx: Trx, ref: BoxRef): Promise<string[]> {
  await requireClosed(trx, ref);
  const rows = await trx
    .selectFrom('bb_ballot')
    .select('receipt')
    .where('municipality_code', '=', ref.municipalityCode)
    .where('box_id', '=', ref.boxId)
    .where('status', '=', 'counted')
    .orderBy('receipt')
    .execute();
  return rows.map((r) => r.receipt);
}

export interface SelectionTally {
  /** Counted ballots (all formats). */
  ballots: number;
  /** Per choice number: ballots that chose it, and the points given to it (cumulative votes). */
  choices: Map<number, { ballots: number; points: number }>;
  /** Ballots by channel. */
  byChannel: Record<'internet' | 'paper' | 'import', number>;
}

/** Counts the clear-text selections of the counted ballots in the database (one aggregate query). */
export async function tallySelections(trx: Trx, ref: BoxRef): Promise<SelectionTally> {
  await requireClosed(trx, ref);
  // One pass over the box's ballots: a row per selection (a ballot without selections, e.g. an
  // encrypted one, gives one row without a choice); each ballot is counted once, at its first row.
  const { rows } = await sql<{
    channel: 'internet' | 'paper' | 'import';
    choice: number | null;
    ballots: number;
    points: number;
    counted: number;
  }>`
    SELECT b.channel, s.choice, count(s.choice)::int AS ballots, COALESCE(sum(s.w), count(s.choice))::bigint AS points,
           count(*) FILTER (WHERE s.i IS NULL OR s.i = 1)::int AS counted
      FROM bb_ballot b
      LEFT JOIN LATERAL unnest(b.selections, b.weights) WITH ORDINALITY AS s(choice, w, i) ON true
     WHERE b.municipality_code = ${ref.municipalityCode} AND b.box_id = ${ref.boxId} AND b.status = 'counted'
     GROUP BY b.channel, s.choice`.execute(trx);
  const byChannel = { internet: 0, paper: 0, import: 0 };
  const choices = new Map<number, { ballots: number; points: number }>();
  for (const r of rows) {
    byChannel[r.channel] += Number(r.counted);
    if (r.choice === null) continue;
    const c = choices.get(Number(r.choice)) ?? { ballots: 0, points: 0 };
    c.ballots += Number(r.ballots);
    c.points += Number(r.points);
    choices.set(Number(r.choice), c);
  }
  return { ballots: byChannel.internet + byChannel.paper + byChannel.import, choices, byChannel };
}

/** Counted ballots whose selections include any of `choiceGroups[k]`, for each group (e.g. district voters). */
export async function ballotsTouching(trx: Trx, ref: BoxRef, choiceGroups: number[][]): Promise<number[]> {
  await requireClosed(trx, ref);
  if (choiceGroups.length === 0) return [];
  const { rows } = await sql<{ g: number; n: number }>`
    SELECT g.i AS g, count(b.*)::int AS n
      FROM unnest(${choiceGroups.map((g) => `{${g.join(',')}}`)}::text[]) WITH ORDINALITY AS g(arr, i)
      LEFT JOIN bb_ballot b ON b.municipality_code = ${ref.municipalityCode} AND b.box_id = ${ref.boxId} AND b.status = 'counted'
                           AND b.selections && g.arr::integer[]
     GROUP BY g.i ORDER BY g.i`.execute(trx);
  return rows.map((r) => Number(r.n));
}

/**
 * The counted ballots' selections (and weights), in an order unrelated to casting (sorted by the
 * random receipt), held in memory by the caller: for counting rules that need whole ballots
 * (equal shares) and exports such as Pabulib. With `content`, each ballot's content too (e.g. an
 * imported ballot's voter metadata). Never includes slots or receipts.
 */
export async function ballotSets(
  trx: Trx,
  ref: BoxRef,
  opts: { content?: boolean } = {},
): Promise<{ selections: number[]; weights: number[] | null; content?: unknown }[]> {
  await requireClosed(trx, ref);
  const rows = await trx
    .selectFrom('bb_ballot')
    .select(opts.content ? ['selections', 'weights', 'content'] : ['selections', 'weights'])
    .where('municipality_code', '=', ref.municipalityCode)
    .where('box_id', '=', ref.boxId)
    .where('status', '=', 'counted')
    .orderBy('receipt')
    .execute();
  return rows.map((r) => ({
    selections: r.selections ?? [],
    weights: r.weights,
    ...(opts.content ? { content: (r as { content?: unknown }).content } : {}),
  }));
}

/**
 * Streams the counted ballots' payloads (format + content) in batches, for owners that count
 * themselves (encrypted ballots: homomorphic tally). Ordered by receipt, never by casting time.
 */
export async function* countedBallots(
  trx: Trx,
  ref: BoxRef,
  batchSize = 1000,
): AsyncGenerator<{ receipt: string; format: string; content: unknown; channel: string }[]> {
  await requireClosed(trx, ref);
  let after = '';
  for (;;) {
    const rows = await trx
      .selectFrom('bb_ballot')
      .select(['receipt', 'format', 'content', 'channel'])
      .where('municipality_code', '=', ref.municipalityCode)
      .where('box_id', '=', ref.boxId)
      .where('status', '=', 'counted')
      .where('receipt', '>', after)
      .orderBy('receipt')
      .limit(batchSize)
      .execute();
    if (rows.length === 0) return;
    yield rows.map((r) => ({
      receipt: r.receipt,
      format: r.format,
      content: r.content as unknown,
      channel: r.channel,
    }));
    after = rows[rows.length - 1]!.receipt;
  }
}
