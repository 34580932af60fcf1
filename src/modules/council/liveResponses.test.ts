/**
 * The typed live-view and archive schemas (liveSchemas.ts: SnapshotSchema and its parts, MyPlaceSchema,
 * ClosedVoteSchema) leave nothing out: GET …/state equals `loadSnapshot`, GET …/me equals
 * `getMyPlace`, POST …/close equals the closed vote's counts and the archive (decisions, voting
 * records) equals `listDecisions`/`votingRecords`, as JSON (the serializer writes only
 * the fields a schema names). The sitting has an open vote by a qualified majority with a recusal
 * and members online, then a secret election, so every field appears.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { testPlatform, sessionFor } from '../../../test/support/app';
import { inScope } from '../../platform/db/database';
import { anonymous, makeCouncil, makeSitting } from './testkit';
import { listDecisions, votingRecords } from './archive';
import { loadResults, loadSnapshot } from './liveState';
import { getMyPlace } from './getMyPlace';

const { ctx, app } = await testPlatform();
const asJson = (v: unknown) => JSON.parse(JSON.stringify(v)) as unknown;

test('the live view, my place, the close answer and the archive in full over HTTP', async () => {
  const f = await makeCouncil(ctx, { seats: 7 });
  const { sittingId, itemIds } = await makeSitting(ctx, f, [
    { title: 'Arengukava', kind: 'decision', majority: { kind: 'qualified', num: 2, den: 3, base: 'cast' } },
    { title: 'Esimehe valimine', kind: 'election', majority: { kind: 'cast' }, candidates: [{ name: 'Üks' }] },
  ]);
  const base = `/api/v1/municipalities/${f.code}/council`;
  const sessions = await Promise.all(f.members.map((m) => sessionFor(ctx, m.id)));
  const send = async (method: 'GET' | 'POST' | 'PUT', url: string, who: number | null, payload?: object) => {
    const res = await app.inject({
      method,
      url: `${base}${url}`,
      headers: who === null ? {} : sessions[who]!.headers,
      ...(payload ? { payload } : {}),
    });
    assert.equal(res.statusCode, 200, `${method} ${url}: ${res.body}`);
    return res.json<Record<string, unknown>>();
  };
  for (const [i] of sessions.entries())
    await send('PUT', `/sittings/${sittingId}/attendance/me`, i, { present: true, mode: i % 2 ? 'online' : 'room' });
  await send('POST', `/sittings/${sittingId}/items/${itemIds[0]}/recusals`, 6, { reason: 'Huvide konflikt' });
  const snapshot = () => inScope(ctx.db, { tenant: f.code }, (t) => loadSnapshot(t, f.code, sittingId));
  const compare = async (who: number) => {
    assert.deepEqual(await send('GET', `/sittings/${sittingId}/state`, null), asJson(await snapshot()));
    const mine = await getMyPlace(ctx, f.members[who]!.actor, f.code, sittingId);
    assert.deepEqual(await send('GET', `/sittings/${sittingId}/me`, who), asJson(mine));
    return mine;
  };

  const open = await send('POST', `/sittings/${sittingId}/votes`, 0, { itemId: itemIds[0] });
  for (const [i, choice] of ['for', 'for', 'against'].entries())
    await send('POST', `/votes/${String(open.id)}/ballot`, i, { choice });
  assert.equal((await compare(0)).currentVote?.choice, 'for');
  assert.equal((await compare(6)).currentVote?.reason, 'recused');
  const closed = await send('POST', `/votes/${String(open.id)}/close`, 0);
  const [result] = await inScope(ctx.db, { tenant: f.code }, (t) => loadResults(t, f.code, sittingId, String(open.id)));
  const { id, number, outcome, for: yes, against, abstain, electedCandidateId, closedAt } = result!;
  assert.deepEqual(closed, asJson({ id, number, outcome, for: yes, against, abstain, electedCandidateId, closedAt }));
  assert.ok(Object.keys(result!.records).length > 0, 'an open vote records each member');
  // The archive (also the open-data JSON): decisions, and one member's voting record.
  const decisions = asJson(await listDecisions(ctx, anonymous, f.code));
  assert.deepEqual(await send('GET', '/decisions', null), decisions);
  assert.deepEqual(await send('GET', '/open-data/decisions.json', null), decisions);
  const memberId = f.members[2]!.memberId;
  const records = await votingRecords(ctx, anonymous, f.code, { memberId });
  assert.equal(records.records[0]?.record, 'against');
  assert.deepEqual(await send('GET', `/voting-records?memberId=${memberId}`, null), asJson(records));
  assert.deepEqual(
    await send('GET', '/open-data/voting-records.json', null),
    asJson(await votingRecords(ctx, anonymous, f.code)),
  );

  await send('POST', `/sittings/${sittingId}/votes`, 0, { itemId: itemIds[1] });
  await send('POST', `/votes/${String((await snapshot()).state.vote!.id)}/ballot`, 1, { choice: 'abstain' });
  const secret = await compare(1);
  assert.deepEqual([secret.currentVote?.kind, secret.currentVote?.voted], ['secret', true]);
  assert.equal((await snapshot()).state.vote?.candidates.length, 1);
});
