import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import pg from 'pg';
import { testContext, makePerson } from '../../../test/support/app';
import { testServer, withRole } from '../../../test/support/db';
import { inScope, withDatabase } from '../../platform/db/database';
import * as bb from './index';
import { encodeBallot } from './seal';

/**
 * Ballot secrecy against anyone who reads the database (issue 13), tried as an attacker would:
 * with the application's own role and with the owner's, during an open vote and after it closed;
 * then in a dump, in the table files and in the WAL of the finished vote.
 *
 * Twelve voters each choose a different pair of six choices (1001–1006), so that any link from a
 * voter to their ballot's content would show. Before this issue one query joining bb_voter to
 * bb_ballot on xmin read 12 of 12.
 */
const M = '0793';
const { ctx, ownerUrl } = await testContext();
const { serverUrl } = testServer();
const MAX = 2;
const choices = [1001, 1002, 1003, 1004, 1005, 1006];
const pairs: number[][] = [];
for (let i = 0; i < choices.length; i++)
  for (let j = i + 1; j < choices.length; j++) if (pairs.length < 12) pairs.push([choices[i]!, choices[j]!]);

// A marker written in the clear on purpose, next to the ballots: every scan below must find it,
// which shows the scan reads what it claims to read (a scan that finds nothing proves nothing).
const CONTROL = [4242, 4343];
const controlMarker = `secrecy-control-${Math.random().toString(36).slice(2)}`;

// The control, written in the clear into a table of the same database before the vote opens: the
// same encodings of a ballot nobody cast.
// A replication slot holds the WAL from here on: the other tests of the run write WAL too, and the
// server would otherwise recycle the segments of this vote before the scan reads them.
const walSlot = `kov_secrecy_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
await superQuery(`SELECT pg_create_physical_replication_slot($1, true)`, [walSlot]);
after(() => superQuery(`SELECT pg_drop_replication_slot($1)`, [walSlot]).catch(() => {}));
const walStart = (await superQuery<{ lsn: string }>(`SELECT pg_current_wal_lsn()::text AS lsn`))[0]!.lsn;
await superQuery(`CREATE TABLE secrecy_control (marker text, ours bytea, arr integer[], txt text)`);
await superQuery(`INSERT INTO secrecy_control VALUES ($1, $2, $3, $4)`, [
  controlMarker,
  plaintextPatterns(CONTROL)[0],
  CONTROL,
  `{${CONTROL.join(',')}} [${CONTROL.join(',')}]`,
]);

const boxId = await inScope(ctx.db, { tenant: M }, (trx) =>
  bb.createBox(trx, { municipalityCode: M, owner: `test:${controlMarker}`, maxSelections: MAX, keepSets: true }),
);
const ref = { municipalityCode: M, boxId };
await inScope(ctx.db, { tenant: M }, (trx) => bb.openBox(ctx, trx, ref));

// The voters cast one after another (each its own transaction: the attacker's best case).
const voters: { personId: string; selections: number[] }[] = [];
for (const sel of pairs) {
  const p = await makePerson(ctx);
  await bb.castBallot(ctx, null, {
    ...ref,
    personId: p.id,
    settlementCode: null,
    ballot: { format: 'plain/1', selections: sel },
  });
  voters.push({ personId: p.id, selections: sel });
}
// One voter changes their mind (a re-vote replaces the sealed ballot in place).
await bb.castBallot(ctx, null, {
  ...ref,
  personId: voters[0]!.personId,
  settlementCode: null,
  ballot: { format: 'plain/1', selections: pairs[11]! },
});
voters[0]!.selections = pairs[11]!;

async function superQuery<T>(text: string, values: unknown[] = []): Promise<T[]> {
  const c = new pg.Client({ connectionString: withDatabase(serverUrl, new URL(ownerUrl).pathname.slice(1)) });
  await c.connect();
  try {
    return (await c.query(text, values)).rows as T[];
  } finally {
    await c.end();
  }
}

async function as<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    await c.query(`SELECT set_config('kov.tenant', $1, false)`, [M]);
    return await fn(c);
  } finally {
    await c.end();
  }
}

const ROLES = { 'the application role': withRole(ownerUrl, 'app'), 'the owner': withRole(ownerUrl, 'owner') };

/** Everything a reader of these tables can see about each voter's ballot row (the xmin join of issue 13). */
async function linkedRows(c: pg.Client) {
  const { rows } = await c.query<{ person_id: string; row: Record<string, unknown> | null }>(
    `SELECT v.person_id, to_jsonb(b) - 'municipality_code' - 'box_id' AS row
       FROM bb_voter v LEFT JOIN bb_ballot b ON b.xmin = v.xmin AND b.box_id = v.box_id
      WHERE v.box_id = $1 ORDER BY v.first_voted_at`,
    [boxId],
  );
  return rows;
}

test('while the vote is open: the xmin join links a voter to a sealed row that says nothing', async () => {
  for (const [who, url] of Object.entries(ROLES)) {
    await as(url, async (c) => {
      const linked = await linkedRows(c);
      assert.equal(linked.length, 12);
      // The join itself works (it links 11 of 12; the re-voter's ballot was rewritten later)…
      assert.ok(linked.filter((l) => l.row).length >= 11, `${who}: the xmin join does link voters to rows`);
      // …but every linked row is the same to a reader: same columns, same format, no content, and
      // sealed values of one length, whatever the voter chose.
      const shapes = new Set(
        linked
          .filter((l) => l.row)
          .map((l) => {
            const r = l.row!;
            return JSON.stringify({
              keys: Object.keys(r).sort(),
              format: r.format,
              content: r.content,
              channel: r.channel,
              status: r.status,
              sealedLength: String(r.sealed).length,
            });
          }),
      );
      assert.equal(shapes.size, 1, `${who}: every ballot row looks alike: ${[...shapes].join(' | ')}`);
      const only = JSON.parse([...shapes][0]!);
      assert.deepEqual(only.keys, ['channel', 'content', 'format', 'receipt', 'sealed', 'slot', 'status']);
      assert.equal(only.content, null);
      // No linked row holds the plaintext of its voter's ballot in any encoding we know of.
      for (const l of linked) {
        const v = voters.find((x) => x.personId === l.person_id)!;
        const text = JSON.stringify(l.row);
        for (const pattern of plaintextPatterns(v.selections))
          assert.ok(!text.includes(pattern.toString('hex')), `${who}: a ballot row holds its plaintext`);
      }
      // Physical order (ctid) is casting order, but it orders sealed rows only.
      const byCtid = await c.query(
        `SELECT sealed IS NOT NULL AS sealed FROM bb_ballot WHERE box_id = $1 ORDER BY ctid`,
        [boxId],
      );
      assert.ok(byCtid.rows.every((r) => r.sealed));
      // Nothing counted yet: no counts, no whole ballots.
      for (const t of ['bb_tally', 'bb_ballot_set'])
        assert.equal((await c.query(`SELECT count(*)::int AS n FROM ${t} WHERE box_id = $1`, [boxId])).rows[0].n, 0);
      // The statistics views hold no ballot either.
      const stats = await c.query(
        `SELECT (SELECT coalesce(string_agg(query, ' '), '') FROM pg_stat_activity) ||
                (SELECT coalesce(string_agg(to_jsonb(s)::text, ' '), '') FROM pg_stat_user_tables s) AS t`,
      );
      for (const v of voters) assert.ok(!stats.rows[0].t.includes(`{${v.selections.join(',')}}`));
    });
  }
});

let walClose = '';
test('after close: the counts and the whole ballots (random order) cannot be linked to a voter', async () => {
  walClose = (await superQuery<{ lsn: string }>(`SELECT pg_current_wal_lsn()::text AS lsn`))[0]!.lsn;
  await inScope(ctx.db, { tenant: M }, (trx) => bb.closeBox(ctx, trx, ref));
  const tally = await inScope(ctx.db, { tenant: M }, (trx) => bb.tallySelections(ctx, trx, ref));
  assert.equal(tally.ballots, 12);
  for (const [who, url] of Object.entries(ROLES)) {
    await as(url, async (c) => {
      const voterX = new Set(
        (await c.query(`SELECT xmin::text AS x FROM bb_voter WHERE box_id = $1`, [boxId])).rows.map((r) => r.x),
      );
      const sets = await c.query<{ x: string; selections: number[] }>(
        `SELECT xmin::text AS x, selections FROM bb_ballot_set WHERE box_id = $1 ORDER BY ctid`,
        [boxId],
      );
      assert.equal(sets.rows.length, 12);
      // One transaction wrote them all (the count), none of the voters' transactions.
      assert.equal(new Set(sets.rows.map((r) => r.x)).size, 1, `${who}: whole ballots were written together`);
      assert.ok(!voterX.has(sets.rows[0]!.x), `${who}: no voter's transaction wrote a whole ballot`);
      const tallyX = (await c.query(`SELECT DISTINCT xmin::text AS x FROM bb_tally WHERE box_id = $1`, [boxId])).rows;
      assert.ok(tallyX.every((r) => !voterX.has(r.x)));
      // Their physical order is not the voters' order (12 different ballots: a match by chance is 1 in 12!).
      const castOrder = (
        await c.query(`SELECT person_id FROM bb_voter WHERE box_id = $1 ORDER BY first_voted_at, xmin::text::bigint`, [
          boxId,
        ])
      ).rows.map((r) => JSON.stringify(voters.find((v) => v.personId === r.person_id)!.selections));
      const stored = sets.rows.map((r) => JSON.stringify(r.selections));
      assert.deepEqual([...stored].sort(), [...castOrder].sort(), 'the whole ballots are the cast ones');
      assert.notDeepEqual(stored, castOrder, `${who}: the whole ballots are not in casting order`);
      // The whole-ballot rows hold choices only: no slot, receipt, time, channel or person.
      const cols = (
        await c.query(`SELECT column_name AS c FROM information_schema.columns WHERE table_name = 'bb_ballot_set'`)
      ).rows.map((r) => r.c);
      assert.deepEqual(cols.sort(), ['box_id', 'municipality_code', 'n', 'selections', 'weights']);
      // The sealed rows are still sealed (receipts still check): still nothing to read in them.
      const open = await c.query(`SELECT count(*)::int AS n FROM bb_ballot WHERE box_id = $1 AND content IS NOT NULL`, [
        boxId,
      ]);
      assert.equal(open.rows[0].n, 0);
    });
  }
  // Commit timestamps (when the server records them) would date the voters' transactions only.
  const ts = await superQuery<{ on: string }>(`SELECT current_setting('track_commit_timestamp') AS on`);
  if (ts[0]!.on === 'on') {
    const when = await superQuery<{ n: number }>(
      `SELECT count(DISTINCT pg_xact_commit_timestamp(xmin))::int AS n FROM bb_ballot_set WHERE box_id = $1`,
      [boxId],
    );
    assert.equal(when[0]!.n, 1);
  }
});

/** The byte patterns in which a ballot's choices would sit in a table file, the WAL or a dump if stored in the clear. */
function plaintextPatterns(selections: number[]): Buffer[] {
  // Our own sealed-plaintext encoding (before encryption), without its zero padding.
  const ours = encodeBallot({ selections, weights: null }, MAX).subarray(0, 4 + selections.length * 4);
  // PostgreSQL's int4[] as stored (after the varlena header): ndim 1, no nulls, int4, dims, lower bound 1, values.
  const arr = Buffer.alloc(20 + 4 * selections.length);
  arr.writeInt32LE(1, 0);
  arr.writeInt32LE(0, 4);
  arr.writeInt32LE(23, 8);
  arr.writeInt32LE(selections.length, 12);
  arr.writeInt32LE(1, 16);
  selections.forEach((s, i) => arr.writeInt32LE(s, 20 + 4 * i));
  // As text: an array literal, and JSON.
  return [ours, arr, Buffer.from(`{${selections.join(',')}}`), Buffer.from(`[${selections.join(',')}]`)];
}

test('the dump, the table files and the WAL of the finished vote hold no voter’s choice', async (t) => {
  await superQuery('CHECKPOINT');
  const database = new URL(ownerUrl).pathname.slice(1);

  // 1. A logical dump: pg_dump where one of the server's version is installed, else what pg_dump
  // does — every table COPYed out, as text.
  const serverMajor = Number(
    (await superQuery<{ v: string }>(`SELECT current_setting('server_version_num') AS v`))[0]!.v.slice(0, -4),
  );
  let dump = '';
  try {
    dump = execFileSync(
      `/usr/lib/postgresql/${serverMajor}/bin/pg_dump`,
      ['--data-only', withDatabase(serverUrl, database)],
      { encoding: 'utf8', maxBuffer: 1 << 30 },
    );
    t.diagnostic(`pg_dump ${serverMajor} used`);
  } catch {
    t.diagnostic(`no pg_dump ${serverMajor} here: every table COPYed out instead`);
    const tables = await superQuery<{ t: string }>(
      `SELECT format('%I.%I', schemaname, tablename) AS t FROM pg_tables WHERE schemaname NOT IN ('pg_catalog', 'information_schema')`,
    );
    const c = new pg.Client({ connectionString: withDatabase(serverUrl, database) });
    await c.connect();
    for (const { t: table } of tables) {
      const rows = (await c.query<{ x: string }>(`SELECT t::text AS x FROM ${table} t`)).rows;
      dump += `-- ${table}\n` + rows.map((r) => r.x).join('\n') + '\n';
    }
    await c.end();
  }

  // 2. The files of the database (what a base backup copies): every relation, its TOAST and
  // indexes — except those of bb_ballot_set, the whole ballots written in random order after close.
  const files = await superQuery<{ f: string; rel: string }>(
    `SELECT pg_relation_filepath(c.oid) AS f, c.relname AS rel FROM pg_class c
      WHERE pg_relation_filepath(c.oid) IS NOT NULL AND c.relkind IN ('r', 't', 'i', 'm')
        AND c.oid NOT IN (SELECT 'bb_ballot_set'::regclass UNION SELECT reltoastrelid FROM pg_class WHERE oid = 'bb_ballot_set'::regclass
                          UNION SELECT indexrelid FROM pg_index WHERE indrelid = 'bb_ballot_set'::regclass)`,
  );
  const read = await superQuery<{ b: Buffer | null }>(
    `SELECT pg_read_binary_file(f, 0, (pg_stat_file(f, true)).size, true) AS b FROM unnest($1::text[]) AS f`,
    [files.map((x) => x.f)],
  );
  const tableFiles = Buffer.concat(read.map((r) => r.b).filter((b): b is Buffer => b !== null));

  // 3. The WAL from before the vote opened until it closed, byte for byte (uncompressed: a
  // compressed page image would hide plaintext from a byte scan, so the test insists).
  const [comp] = await superQuery<{ c: string }>(`SELECT current_setting('wal_compression') AS c`);
  assert.equal(comp!.c, 'off', 'WAL records are written uncompressed (the scan reads them as written)');
  const wal = await walBetween(walStart, walClose);
  t.diagnostic(`scanned ${dump.length} bytes of dump, ${tableFiles.length} of table files, ${wal.length} of WAL`);

  const dumpBytes = Buffer.from(dump);
  for (const [where, bytes] of [
    ['the dump', dumpBytes],
    ['the table files', tableFiles],
    ['the WAL while the vote was open', wal],
  ] as const) {
    // The control is found in every encoding (the scan works) …
    const [cOurs, cArr, cText, cJson] = plaintextPatterns(CONTROL);
    assert.ok(bytes.includes(Buffer.from(controlMarker)), `${where}: the control marker is found`);
    assert.ok(bytes.includes(cText!) && bytes.includes(cJson!), `${where}: the control's text forms are found`);
    if (where === 'the dump')
      assert.ok(dump.includes(`\\x${cOurs!.toString('hex')}`), `${where}: the control bytea is found`);
    else assert.ok(bytes.includes(cOurs!) && bytes.includes(cArr!), `${where}: the control's binary forms are found`);
    // … and no voter's choices, in any of these encodings.
    for (const v of voters) {
      const [own, arr, text, json] = plaintextPatterns(v.selections);
      assert.ok(!bytes.includes(json!), `${where}: a ballot as JSON`);
      if (where === 'the dump') {
        assert.ok(!dump.includes(own!.toString('hex')), `${where}: the plaintext of a sealed ballot`);
        // The whole ballots of bb_ballot_set (after close, in random order, no link) are the only array literals.
        const section = dump.split(/^-- |^COPY /m).filter((part) => part.includes(text!.toString()));
        assert.ok(
          section.every((part) => /bb_ballot_set/.test(part.split('\n')[0]!)),
          `${where}: a ballot outside the unlinked whole ballots`,
        );
      } else {
        assert.ok(!bytes.includes(own!), `${where}: the plaintext of a sealed ballot`);
        assert.ok(!bytes.includes(arr!), `${where}: a ballot as an integer array`);
        assert.ok(!bytes.includes(text!), `${where}: a ballot as an array literal`);
      }
    }
  }
  await superQuery(`DROP TABLE secrecy_control`);
});

/** The WAL bytes from one LSN to another (every segment in between, cut at both ends). */
async function walBetween(from: string, to: string): Promise<Buffer> {
  const [a] = await superQuery<{ f: string; o: number }>(
    `SELECT file_name AS f, file_offset AS o FROM pg_walfile_name_offset($1::pg_lsn)`,
    [from],
  );
  const [b] = await superQuery<{ f: string; o: number }>(
    `SELECT file_name AS f, file_offset AS o FROM pg_walfile_name_offset($1::pg_lsn)`,
    [to],
  );
  const segs = await superQuery<{ name: string }>(
    `SELECT name FROM pg_ls_waldir() WHERE name ~ '^[0-9A-F]{24}$' AND name >= $1 AND name <= $2 ORDER BY name`,
    [a!.f, b!.f],
  );
  assert.ok(
    segs.length >= 1 && segs[0]!.name === a!.f && segs[segs.length - 1]!.name === b!.f,
    'the WAL of the vote is still there',
  );
  const read = await superQuery<{ name: string; b: Buffer }>(
    `SELECT name, pg_read_binary_file('pg_wal/' || name) AS b FROM unnest($1::text[]) AS name ORDER BY name`,
    [segs.map((x) => x.name)],
  );
  return Buffer.concat(
    read.map((s) => s.b.subarray(s.name === a!.f ? Number(a!.o) : 0, s.name === b!.f ? Number(b!.o) : s.b.length)),
  );
}
