import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import { extractText } from 'unpdf';
import { createTestDatabase } from '../../../test/support/db';
import { testConfig, sessionFor } from '../../../test/support/app';
import { createContext } from '../../platform/context';
import { createLogger } from '../../platform/log';
import { buildApp } from '../../app';
import { inScope } from '../../platform/db/database';
import { makeCouncil, makeSitting } from './testkit';

/**
 * A secret vote records who took part, never how: not in any table, API answer, the minutes
 * or the logs (everything logged at trace level is captured here).
 */
const ownerUrl = await createTestDatabase();
const logLines: string[] = [];
const ctx = createContext(
  testConfig({ LOG_LEVEL: 'trace' }),
  ownerUrl,
  createLogger('trace', { write: (s: string) => void logLines.push(s) }),
  { jobWorkers: false, poolSize: 5 },
);
const app = await buildApp(ctx);
await app.ready();
after(async () => {
  await app.close();
  await ctx.database.close();
});

test('a secret election: last ballot counts, counts are right, and no individual vote can be found anywhere', async () => {
  const f = await makeCouncil(ctx, { seats: 7 });
  const { sittingId, itemIds } = await makeSitting(ctx, f, [
    {
      title: 'Volikogu esimehe valimine',
      kind: 'election',
      majority: { kind: 'cast' },
      candidates: [{ name: 'Kandidaat Üks' }, { name: 'Kandidaat Kaks' }, { name: 'Kandidaat Kolm' }],
    },
  ]);
  const base = `/api/v1/municipalities/${f.code}`;
  const sessions = await Promise.all(f.members.map((m) => sessionFor(ctx, m.id)));
  const chair = sessions[0]!;
  for (const s of sessions)
    assert.equal(
      (
        await app.inject({
          method: 'PUT',
          url: `${base}/council/sittings/${sittingId}/attendance/me`,
          headers: s.headers,
          payload: { present: true },
        })
      ).statusCode,
      200,
    );
  const start = await app.inject({
    method: 'POST',
    url: `${base}/council/sittings/${sittingId}/votes`,
    headers: chair.headers,
    payload: { itemId: itemIds[0] },
  });
  assert.equal(start.statusCode, 200, start.body);
  const voteId: string = start.json().id;
  assert.equal(start.json().kind, 'secret');
  const cands = await inScope(ctx.db, { tenant: f.code }, (t) =>
    t
      .selectFrom('council_candidate')
      .select(['id', 'name'])
      .where('item_id', '=', itemIds[0]!)
      .orderBy('position')
      .execute(),
  );
  const [c1, c2, c3] = cands.map((x) => x.id);
  const choices = [c1, c2, c3, c1, 'against', 'abstain', c2];
  const receipts: string[] = [];
  for (const [i, s] of sessions.entries()) {
    const res = await app.inject({
      method: 'POST',
      url: `${base}/council/votes/${voteId}/ballot`,
      headers: s.headers,
      payload: { choice: choices[i] },
    });
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.json().choice, null, 'the answer does not echo the secret choice');
    receipts.push(res.json().receipt);
  }
  // The last member changes their mind while the vote is open: the last ballot counts.
  const changed = await app.inject({
    method: 'POST',
    url: `${base}/council/votes/${voteId}/ballot`,
    headers: sessions[6]!.headers,
    payload: { choice: c1 },
  });
  assert.equal(changed.json().replaced, true);
  const notACandidate = await app.inject({
    method: 'POST',
    url: `${base}/council/votes/${voteId}/ballot`,
    headers: sessions[1]!.headers,
    payload: { choice: 'for' },
  });
  assert.equal(notACandidate.json().type, '/problems/council-wrong-ballot');

  const me = (
    await app.inject({
      method: 'GET',
      url: `${base}/council/sittings/${sittingId}/me`,
      headers: { cookie: sessions[0]!.cookie },
    })
  ).json();
  assert.deepEqual({ voted: me.currentVote.voted, choice: me.currentVote.choice }, { voted: true, choice: null });
  const during = (await app.inject({ method: 'GET', url: `${base}/council/sittings/${sittingId}/state` })).json();
  assert.deepEqual([during.state.vote.voted, during.state.vote.eligible], [7, 7]);

  const closed = await app.inject({
    method: 'POST',
    url: `${base}/council/votes/${voteId}/close`,
    headers: chair.headers,
  });
  assert.equal(closed.statusCode, 200, closed.body);
  const state = (await app.inject({ method: 'GET', url: `${base}/council/sittings/${sittingId}/state` })).json();
  const result = state.results.find((r: { id: string }) => r.id === voteId);
  assert.deepEqual(
    result.candidates.map((x: { votes: number }) => x.votes),
    [3, 1, 1],
    'c1 got 3 (the changed ballot counts once, for c1)',
  );
  assert.deepEqual(
    [result.for, result.against, result.abstain, result.outcome],
    [3, 3, 1, 'not_elected'],
    '3 is not more than the 3 other non-blank ballots',
  );
  assert.ok(
    Object.values(result.records).every((r) => r === 'took_part'),
    'the record of a secret vote says only who took part',
  );

  // --- tables: no row anywhere holds a voter together with a candidate.
  const voterIds = [...f.members.map((m) => m.id), ...f.members.map((m) => m.memberId)];
  const owner = new pg.Client({ connectionString: ownerUrl });
  await owner.connect();
  try {
    const tables = (
      await owner.query<{ t: string }>(
        "SELECT table_name AS t FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'",
      )
    ).rows.map((r) => r.t);
    let rowsWithVoters = 0;
    for (const t of tables) {
      const { rows } = await owner.query<{ j: string }>(`SELECT row_to_json(x)::text AS j FROM "${t}" x`);
      for (const { j } of rows) {
        if (!voterIds.some((id) => j.includes(id))) continue;
        rowsWithVoters += 1;
        for (const cd of cands)
          assert.ok(!j.includes(cd.id), `table ${t} links a voter to a candidate: ${j.slice(0, 300)}`);
      }
    }
    assert.ok(rowsWithVoters > 20, 'the scan did look at the voters’ rows');
    const ballots = await owner.query<{ j: string }>('SELECT row_to_json(b)::text AS j FROM bb_ballot b');
    assert.equal(ballots.rows.length, 7, 'one ballot per voter');
    for (const { j } of ballots.rows) for (const id of voterIds) assert.ok(!j.includes(id), 'a ballot names no person');
    const voterCols = (
      await owner.query<{ c: string }>(
        "SELECT column_name AS c FROM information_schema.columns WHERE table_name = 'bb_ballot'",
      )
    ).rows.map((r) => r.c);
    assert.ok(
      !voterCols.some((col) => /person|member|voter|_at$|time/.test(col)),
      `bb_ballot has no person or time column: ${voterCols.join(', ')}`,
    );
  } finally {
    await owner.end();
  }

  // --- API: every answer a voter or the public can get.
  const urls = [
    `${base}/council/sittings/${sittingId}/state`,
    `${base}/council/sittings/${sittingId}`,
    `${base}/council/decisions`,
    `${base}/council/voting-records`,
    `${base}/council/open-data/voting-records.csv`,
    `${base}/council/open-data/decisions.json`,
  ];
  for (const [i, s] of sessions.entries()) {
    const mine = await app.inject({
      method: 'GET',
      url: `${base}/council/voting-records?memberId=${f.members[i]!.memberId}`,
    });
    assert.ok(mine.json().records.every((r: { record: string }) => r.record === 'took_part'));
    for (const url of urls) {
      const res = await app.inject({ method: 'GET', url, headers: { cookie: s.cookie } });
      // Candidate ids appear in results (with counts) but never beside a member: checked per
      // JSON object (its own keys and plain values) or per CSV line.
      const units = String(res.headers['content-type']).includes('json')
        ? flatObjects(res.json())
        : res.body.split(/\r?\n/);
      for (const unit of units) {
        if (voterIds.some((id) => unit.includes(id)))
          for (const cd of cands)
            assert.ok(
              !unit.includes(cd.id) && !unit.includes(cd.name),
              `${url} pairs a voter with a candidate: ${unit.slice(0, 200)}`,
            );
      }
    }
  }

  // --- minutes: names appear only in the list of who took part.
  assert.equal(
    (
      await app.inject({
        method: 'POST',
        url: `${base}/council/sittings/${sittingId}/status`,
        headers: chair.headers,
        payload: { action: 'close' },
      })
    ).statusCode,
    200,
  );
  const gen = await app.inject({
    method: 'POST',
    url: `${base}/council/sittings/${sittingId}/minutes`,
    headers: sessions[0]!.headers,
  });
  assert.equal(gen.statusCode, 200, gen.body);
  const html = (
    await app.inject({
      method: 'GET',
      url: `${base}/council/sittings/${sittingId}/minutes.html`,
      headers: { cookie: sessions[1]!.cookie },
    })
  ).body;
  const section = html.slice(html.indexOf('Hääletus nr 1 (salajane)'), html.indexOf('<div class="sign">'));
  assert.ok(section.length > 100);
  for (const m of f.members)
    assert.equal(section.split(m.name).length - 1, 1, `${m.name} appears once (took part) in the secret vote`);
  assert.match(section, /Kandidaat Üks<\/td><td>3</);
  const pdf = await app.inject({
    method: 'GET',
    url: `${base}/council/sittings/${sittingId}/minutes.pdf`,
    headers: { cookie: sessions[1]!.cookie },
  });
  const { text } = await extractText(new Uint8Array(pdf.rawPayload), { mergePages: true });
  const pdfSection = text.slice(text.indexOf('Hääletus nr 1 (salajane)'));
  assert.match(pdfSection, /Salajasel hääletusel osalesid:/);
  for (const m of f.members)
    assert.equal(
      pdfSection.split(m.name).length - 1,
      1 + (m === f.chair ? 1 : 0),
      `${m.name} in the PDF's secret vote: only as taking part (and the chair's signature line)`,
    );

  // --- logs: requests were logged (at trace level), but no ballot content.
  const logs = logLines.join('');
  assert.ok(logs.includes(`/council/votes/${voteId}/ballot`), 'the ballot requests were logged');
  for (const cd of cands) assert.ok(!logs.includes(cd.id), 'no candidate id in the logs');
  assert.ok(!logs.includes('"choice"') && !logs.includes('selections'), 'no ballot bodies in the logs');
  for (const r of receipts) assert.ok(!logs.includes(r), 'no receipt code in the logs');
});

/** Each object of a JSON document as the text of its own keys and plain values (not nested ones). */
function flatObjects(v: unknown, out: string[] = []): string[] {
  if (Array.isArray(v)) {
    out.push(
      v
        .filter((x) => typeof x !== 'object' || x === null)
        .map(String)
        .join(' '),
    );
    for (const x of v) flatObjects(x, out);
  } else if (v && typeof v === 'object') {
    const own: string[] = [];
    for (const [k, x] of Object.entries(v)) {
      own.push(k);
      if (typeof x !== 'object' || x === null) own.push(String(x));
      else flatObjects(x, out);
    }
    out.push(own.join(' '));
  }
  return out;
}
