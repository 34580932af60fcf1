import { test } from 'node:test';
import assert from 'node:assert/strict';
import { testContext } from '../../../test/support/app';
import { Problem } from '../../platform/http/problems';
import { inScope } from '../../platform/db/database';
import { makeCouncil, makeSitting, person } from './testkit';
import { markAttendance, registerOwnAttendance } from './attendance';
import { startVote } from './startVote';
import { castBallot } from './castBallot';
import { closeVote, previewCloseVote } from './closeVote';
import { declareRecusal } from './declareRecusal';
import { changeMandate } from './changeMandate';
import { getMyPlace } from './getMyPlace';
import { loadResults } from './liveState';
import { changeSittingStatus } from './sittings';
import { updateAgendaItem } from './editAgenda';
import { getSitting } from './getSitting';
import { addMember } from './addMember';

const { ctx } = await testContext();

/** Rejects with a Problem of this type slug. */
async function problem(p: Promise<unknown>, slug: string, detail?: RegExp) {
  await assert.rejects(p, (err: unknown) => {
    assert.ok(err instanceof Problem, `expected a Problem, got ${String(err)}`);
    assert.equal(err.kind.slug, slug, `${err.kind.slug}: ${err.detail}`);
    if (detail) assert.match(err.detail, detail);
    return true;
  });
}

async function attend(f: Awaited<ReturnType<typeof makeCouncil>>, sittingId: string, n: number) {
  for (const m of f.members.slice(0, n))
    await registerOwnAttendance(ctx, m.actor, f.code, sittingId, { present: true });
}

test('a vote cannot start without a quorum: exactly half of the composition is not one, and the chair is told why', async () => {
  const f = await makeCouncil(ctx, { seats: 8 });
  const { sittingId, itemIds } = await makeSitting(ctx, f);
  await attend(f, sittingId, 4);
  await problem(
    startVote(ctx, f.chair.actor, f.code, sittingId, { itemId: itemIds[0]! }),
    'council-no-quorum',
    /4 of 8 members are present; a quorum needs at least 5/,
  );
  await markAttendance(ctx, f.secretary.actor, f.code, sittingId, f.members[4]!.memberId, {
    present: true,
    mode: 'room',
  });
  const vote = await startVote(ctx, f.chair.actor, f.code, sittingId, { itemId: itemIds[0]! });
  assert.equal(vote.kind, 'open');
  // Only the chair or the secretary runs the sitting.
  await problem(closeVote(ctx, f.members[2]!.actor, f.code, vote.id), 'council-not-operator');
  await problem(startVote(ctx, f.chair.actor, f.code, sittingId, { itemId: itemIds[0]! }), 'council-vote-in-progress');
});

test('an open vote: the last choice counts while open; after close, non-members, recused and absent members are refused', async () => {
  const f = await makeCouncil(ctx, { seats: 7 });
  const { sittingId, itemIds } = await makeSitting(ctx, f, [
    { title: 'Teede remont', kind: 'decision', majority: { kind: 'cast' } },
    { title: 'Planeering', kind: 'decision', majority: { kind: 'composition' } },
  ]);
  await attend(f, sittingId, 6); // member 6 is absent
  await declareRecusal(ctx, f.members[5]!.actor, f.code, sittingId, itemIds[0]!, { reason: 'huvide konflikt' });
  const vote = await startVote(ctx, f.chair.actor, f.code, sittingId, { itemId: itemIds[0]! });
  const [m0, m1, m2, m3, m4, m5, m6] = f.members;
  await castBallot(ctx, m0!.actor, f.code, vote.id, 'for');
  await castBallot(ctx, m1!.actor, f.code, vote.id, 'against');
  const again = await castBallot(ctx, m1!.actor, f.code, vote.id, 'for');
  assert.equal(again.replaced, true, 'a second vote replaces the first');
  await castBallot(ctx, m2!.actor, f.code, vote.id, 'against');
  await castBallot(ctx, m3!.actor, f.code, vote.id, 'abstain');
  // m4 present but does not vote.
  await problem(castBallot(ctx, m5!.actor, f.code, vote.id, 'for'), 'council-recused');
  await problem(castBallot(ctx, m6!.actor, f.code, vote.id, 'for'), 'council-not-present');
  const outsider = await person(ctx, f.code, 'Välis Isik');
  await problem(castBallot(ctx, outsider.actor, f.code, vote.id, 'for'), 'council-not-a-member');
  await problem(castBallot(ctx, f.secretary.actor, f.code, vote.id, 'for'), 'council-not-a-member');
  await problem(castBallot(ctx, m0!.actor, f.code, vote.id, 'candidate'), 'council-wrong-ballot');
  const mine = await getMyPlace(ctx, m1!.actor, f.code, sittingId);
  assert.deepEqual(mine.currentVote && { voted: mine.currentVote.voted, choice: mine.currentVote.choice }, {
    voted: true,
    choice: 'for',
  });

  const closed = await closeVote(ctx, f.chair.actor, f.code, vote.id);
  assert.deepEqual([closed.for, closed.against, closed.abstain, closed.outcome], [2, 1, 1, 'adopted']);
  await problem(castBallot(ctx, m4!.actor, f.code, vote.id, 'for'), 'council-vote-closed');
  await problem(castBallot(ctx, m0!.actor, f.code, vote.id, 'against'), 'council-vote-closed');
  await problem(closeVote(ctx, f.chair.actor, f.code, vote.id), 'council-vote-closed');

  const [result] = await inScope(ctx.db, { tenant: f.code }, (t) => loadResults(t, f.code, sittingId, vote.id));
  assert.equal(result!.notVoted, 1);
  assert.equal(result!.recused, 1, 'the recused member is counted apart');
  assert.equal(result!.absent, 1);
  assert.equal(result!.records[m1!.memberId], 'for', 'the last choice is recorded');
  assert.equal(result!.records[m5!.memberId], 'recused');
  assert.equal(result!.records[m6!.memberId], 'absent');
  assert.equal(result!.records[m4!.memberId], 'not_voted');
  assert.equal(result!.rule.kind, 'cast');
});

test('a tie under the majority of votes cast fails; the composition rule counts seats, not those present', async () => {
  const f = await makeCouncil(ctx, { seats: 9 });
  const { sittingId, itemIds } = await makeSitting(ctx, f, [
    { title: 'Viik', kind: 'decision', majority: { kind: 'cast' } },
    { title: 'Koosseis', kind: 'decision', majority: { kind: 'composition' } },
    {
      title: 'Kaks kolmandikku',
      kind: 'decision',
      majority: { kind: 'qualified', num: 2, den: 3, base: 'composition' },
    },
  ]);
  await attend(f, sittingId, 8);
  const v1 = await startVote(ctx, f.chair.actor, f.code, sittingId, { itemId: itemIds[0]! });
  for (const [i, m] of f.members.slice(0, 8).entries())
    await castBallot(ctx, m.actor, f.code, v1.id, i < 4 ? 'for' : 'against');
  const r1 = await closeVote(ctx, f.chair.actor, f.code, v1.id);
  assert.deepEqual([r1.for, r1.against, r1.outcome], [4, 4, 'rejected']);
  const [res1] = await inScope(ctx.db, { tenant: f.code }, (t) => loadResults(t, f.code, sittingId, v1.id));
  assert.equal(res1!.tie, true);

  // 5 for of 9 seats is a majority of the composition even with 3 against; 4 for would not be.
  const v2 = await startVote(ctx, f.chair.actor, f.code, sittingId, { itemId: itemIds[1]! });
  for (const [i, m] of f.members.slice(0, 8).entries())
    await castBallot(ctx, m.actor, f.code, v2.id, i < 5 ? 'for' : 'against');
  assert.equal((await closeVote(ctx, f.chair.actor, f.code, v2.id)).outcome, 'adopted');
  // 2/3 of 9 seats is 6: 5 for fails even with nobody against.
  const v3 = await startVote(ctx, f.chair.actor, f.code, sittingId, { itemId: itemIds[2]! });
  for (const m of f.members.slice(0, 5)) await castBallot(ctx, m.actor, f.code, v3.id, 'for');
  const r3 = await closeVote(ctx, f.chair.actor, f.code, v3.id);
  assert.deepEqual([r3.for, r3.against, r3.outcome], [5, 0, 'rejected']);
});

test('a suspended member is replaced by the first substitute of their list, who attends and votes until the member is restored', async () => {
  const f = await makeCouncil(ctx, { seats: 7, substitutes: 2 });
  const target = f.members[2]!; // faction B (index 2 → A? factions alternate: 0 A, 1 B, 2 A)
  const sameList = f.substitutes.find((s, i) => i % 2 === 2 % 2)!;
  const r = await changeMandate(ctx, f.admin.actor, f.code, f.councilId, target.memberId, { action: 'suspend' });
  assert.equal(r.substituteMemberId, sameList.memberId, 'the substitute of the same list steps in');
  const { sittingId, itemIds } = await makeSitting(ctx, f);
  await problem(
    registerOwnAttendance(ctx, target.actor, f.code, sittingId, { present: true }),
    'council-not-a-member',
    /suspended/,
  );
  await registerOwnAttendance(ctx, sameList.actor, f.code, sittingId, { present: true });
  for (const m of f.members.filter((m) => m !== target).slice(0, 3))
    await registerOwnAttendance(ctx, m.actor, f.code, sittingId, { present: true });
  const vote = await startVote(ctx, f.chair.actor, f.code, sittingId, { itemId: itemIds[0]! });
  await castBallot(ctx, sameList.actor, f.code, vote.id, 'for');
  await problem(castBallot(ctx, target.actor, f.code, vote.id, 'for'), 'council-not-a-member');
  await closeVote(ctx, f.chair.actor, f.code, vote.id);
  const [res] = await inScope(ctx.db, { tenant: f.code }, (t) => loadResults(t, f.code, sittingId, vote.id));
  assert.equal(res!.records[sameList.memberId], 'for');
  assert.equal(res!.records[target.memberId], undefined, 'the suspended member is not in the vote');

  await changeMandate(ctx, f.admin.actor, f.code, f.councilId, target.memberId, { action: 'restore' });
  const v2 = await startVote(ctx, f.chair.actor, f.code, sittingId, { itemId: itemIds[0]! }).catch((e) => e);
  // The substitute left the seat, so only 3 acting members remain present: no quorum (7 seats → 4).
  assert.ok(v2 instanceof Problem && v2.kind.slug === 'council-no-quorum');
  await registerOwnAttendance(ctx, target.actor, f.code, sittingId, { present: true });
  const v3 = await startVote(ctx, f.chair.actor, f.code, sittingId, { itemId: itemIds[0]! });
  await problem(castBallot(ctx, sameList.actor, f.code, v3.id, 'for'), 'council-not-a-member');
  await castBallot(ctx, target.actor, f.code, v3.id, 'for');
  await closeVote(ctx, f.chair.actor, f.code, v3.id);
});

test('the composition keeps to its seats; a substitute needs a list', async () => {
  const f = await makeCouncil(ctx, { seats: 7, substitutes: 0 });
  const extra = await person(ctx, f.code, 'Liigne Liige');
  await problem(
    addMember(ctx, f.admin.actor, f.code, f.councilId, { idCode: extra.idCode, kind: 'elected' }),
    'conflict',
    /All 7 seats/,
  );
  await problem(
    addMember(ctx, f.admin.actor, f.code, f.councilId, { idCode: extra.idCode, kind: 'substitute' }),
    'validation',
  );
  await problem(
    addMember(ctx, f.members[0]!.actor, f.code, f.councilId, {
      idCode: extra.idCode,
      kind: 'substitute',
      factionId: f.factionIds[0]!,
    }),
    'forbidden',
  );
});

test('recusal: excluded from the counts, recorded, not possible once the member voted in the vote in progress', async () => {
  const f = await makeCouncil(ctx, { seats: 7 });
  const { sittingId, itemIds } = await makeSitting(ctx, f);
  await attend(f, sittingId, 7);
  const vote = await startVote(ctx, f.chair.actor, f.code, sittingId, { itemId: itemIds[0]! });
  await castBallot(ctx, f.members[1]!.actor, f.code, vote.id, 'for');
  await assert.rejects(declareRecusal(ctx, f.members[1]!.actor, f.code, sittingId, itemIds[0]!, {}), /already voted/);
  // Declared during the vote by someone who has not voted: they can no longer vote.
  await declareRecusal(ctx, f.members[2]!.actor, f.code, sittingId, itemIds[0]!, {});
  await problem(castBallot(ctx, f.members[2]!.actor, f.code, vote.id, 'for'), 'council-recused');
  // The secretary records another member's recusal; a member cannot record someone else's.
  await declareRecusal(ctx, f.secretary.actor, f.code, sittingId, itemIds[0]!, {
    memberId: f.members[3]!.memberId,
    reason: 'Abikaasa ettevõte',
  });
  await problem(
    declareRecusal(ctx, f.members[4]!.actor, f.code, sittingId, itemIds[0]!, { memberId: f.members[5]!.memberId }),
    'council-not-operator',
  );
  for (const m of f.members.slice(4)) await castBallot(ctx, m.actor, f.code, vote.id, 'against');
  const r = await closeVote(ctx, f.chair.actor, f.code, vote.id);
  assert.deepEqual([r.for, r.against, r.outcome], [1, 3, 'rejected']);
  const [res] = await inScope(ctx.db, { tenant: f.code }, (t) => loadResults(t, f.code, sittingId, vote.id));
  assert.equal(res!.recused, 2);
  assert.equal(res!.notVoted, 1, 'only the chair did not vote');
  const me = await getMyPlace(ctx, f.members[3]!.actor, f.code, sittingId);
  assert.deepEqual(me.recusedItemIds, [itemIds[0]]);
});

test('concurrent ballots: one member voting many times at once leaves one ballot; ballots racing the close are counted or refused, never lost', async () => {
  const f = await makeCouncil(ctx, { seats: 15 });
  const { sittingId, itemIds } = await makeSitting(ctx, f);
  await attend(f, sittingId, 15);
  const vote = await startVote(ctx, f.chair.actor, f.code, sittingId, { itemId: itemIds[0]! });
  const storm = await Promise.allSettled(
    Array.from({ length: 20 }, (_, i) =>
      castBallot(ctx, f.members[1]!.actor, f.code, vote.id, i % 2 ? 'for' : 'against'),
    ),
  );
  assert.ok(
    storm.every((s) => s.status === 'fulfilled'),
    'concurrent casts by one member all succeed (one after another)',
  );
  const racing = f.members.slice(2).map((m) => castBallot(ctx, m.actor, f.code, vote.id, 'for'));
  const closing = closeVote(ctx, f.chair.actor, f.code, vote.id);
  const outcomes = await Promise.allSettled(racing);
  const closed = await closing;
  const accepted = outcomes.filter((o) => o.status === 'fulfilled').length;
  for (const o of outcomes)
    if (o.status === 'rejected') assert.equal((o.reason as Problem).kind.slug, 'council-vote-closed');
  assert.equal(closed.for + closed.against, accepted + 1, 'every accepted ballot is counted, the refused ones are not');
  const rows = await inScope(ctx.db, { tenant: f.code }, (t) =>
    t.selectFrom('council_open_ballot').select('member_id').where('vote_id', '=', vote.id).execute(),
  );
  assert.equal(rows.length, accepted + 1);
});

test('agenda changes after publication are recorded; rules freeze once voted; a closed item hides its texts from the public', async () => {
  const f = await makeCouncil(ctx, { seats: 7 });
  const { sittingId, itemIds } = await makeSitting(ctx, f, [
    { title: 'Avalik', kind: 'decision', majority: { kind: 'cast' }, draftDecision: 'Avalik eelnõu' },
    { title: 'Kinnine', kind: 'decision', majority: { kind: 'cast' }, isPublic: false, draftDecision: 'Salajane sisu' },
  ]);
  await updateAgendaItem(ctx, f.admin.actor, f.code, sittingId, itemIds[1]!, { position: 1 });
  const pub = await getSitting(ctx, { kind: 'anonymous' }, f.code, sittingId);
  assert.deepEqual(
    pub.items.map((i) => i.title),
    ['Kinnine', 'Avalik'],
  );
  assert.equal(pub.items[0]!.draftDecision, '', 'closed item text hidden');
  assert.equal(pub.items[0]!.restricted, true);
  assert.equal(pub.items[1]!.draftDecision, 'Avalik eelnõu');
  assert.ok(pub.changes.some((ch) => ch.action === 'item.moved' && ch.itemId === itemIds[1]));
  assert.ok(!pub.changes.some((ch) => ch.action === 'item.added'), 'changes before publication are not public');
  const inside = await getSitting(ctx, f.members[3]!.actor, f.code, sittingId);
  assert.equal(inside.items[0]!.draftDecision, 'Salajane sisu');
  await attend(f, sittingId, 4);
  const vote = await startVote(ctx, f.chair.actor, f.code, sittingId, { itemId: itemIds[0]! });
  await closeVote(ctx, f.chair.actor, f.code, vote.id);
  await problem(
    updateAgendaItem(ctx, f.admin.actor, f.code, sittingId, itemIds[0]!, { majority: { kind: 'composition' } }),
    'conflict',
  );
  await problem(updateAgendaItem(ctx, f.admin.actor, f.code, sittingId, itemIds[0]!, { withdrawn: true }), 'conflict');
  await changeSittingStatus(ctx, f.chair.actor, f.code, sittingId, 'close');
  await problem(startVote(ctx, f.chair.actor, f.code, sittingId, { itemId: itemIds[1]! }), 'council-sitting-state');
  await problem(
    registerOwnAttendance(ctx, f.members[5]!.actor, f.code, sittingId, { present: true }),
    'council-sitting-state',
  );
});

test('a secret election: a member who took part cannot recuse mid-vote; a recused member cannot take part', async () => {
  const f = await makeCouncil(ctx, { seats: 7 });
  const { sittingId, itemIds } = await makeSitting(ctx, f, [
    {
      title: 'Valimine',
      kind: 'election',
      majority: { kind: 'cast' },
      candidates: [{ name: 'Kandidaat Üks' }, { name: 'Kandidaat Kaks' }],
    },
  ]);
  await attend(f, sittingId, 7);
  await declareRecusal(ctx, f.members[6]!.actor, f.code, sittingId, itemIds[0]!, {});
  const vote = await startVote(ctx, f.chair.actor, f.code, sittingId, { itemId: itemIds[0]! });
  await castBallot(ctx, f.members[1]!.actor, f.code, vote.id, 'abstain');
  await assert.rejects(declareRecusal(ctx, f.members[1]!.actor, f.code, sittingId, itemIds[0]!, {}), /already voted/);
  await problem(castBallot(ctx, f.members[6]!.actor, f.code, vote.id, 'against'), 'council-recused');
  const r = await closeVote(ctx, f.chair.actor, f.code, vote.id);
  assert.equal(r.outcome, 'not_elected', 'one abstention elects nobody');
  const [res] = await inScope(ctx.db, { tenant: f.code }, (t) => loadResults(t, f.code, sittingId, vote.id));
  assert.deepEqual(
    [res!.records[f.members[1]!.memberId], res!.records[f.members[6]!.memberId], res!.recused, res!.notVoted],
    ['took_part', 'recused', 1, 5],
  );
});

test('closing with members present who have not voted: the chair is told who, and a confirmation that no longer holds is refused with the list now', async () => {
  const f = await makeCouncil(ctx, { seats: 7 });
  const { sittingId, itemIds } = await makeSitting(ctx, f);
  await attend(f, sittingId, 5);
  const vote = await startVote(ctx, f.chair.actor, f.code, sittingId, { itemId: itemIds[0]! });
  const [m0, m1, m2, m3, m4] = f.members;
  await castBallot(ctx, m0!.actor, f.code, vote.id, 'for');
  await castBallot(ctx, m1!.actor, f.code, vote.id, 'for');
  const before = await previewCloseVote(ctx, f.chair.actor, f.code, vote.id);
  assert.equal(before.voted, 2);
  assert.deepEqual(before.notVoted.map((n) => n.memberId).sort(), [m2!, m3!, m4!].map((m) => m.memberId).sort());
  assert.ok(
    before.notVoted.every((n) => f.members.some((m) => m.name === n.name)),
    'named, not codes',
  );
  // A member is not an operator: the preview is for the chair and the secretary.
  await problem(previewCloseVote(ctx, m2!.actor, f.code, vote.id), 'council-not-operator');
  // The chair confirmed with three not voted; one votes meanwhile: refused, with the two left.
  const seen = before.notVoted.map((n) => n.memberId);
  await castBallot(ctx, m2!.actor, f.code, vote.id, 'against');
  await assert.rejects(closeVote(ctx, f.chair.actor, f.code, vote.id, { expectNotVoted: seen }), (err: unknown) => {
    assert.ok(err instanceof Problem && err.kind.slug === 'council-not-voted-changed', String(err));
    assert.deepEqual(
      (err.extras.notVoted as { memberId: string }[]).map((n) => n.memberId).sort(),
      [m3!, m4!].map((m) => m.memberId).sort(),
    );
    return true;
  });
  const now = await previewCloseVote(ctx, f.chair.actor, f.code, vote.id);
  const closed = await closeVote(ctx, f.chair.actor, f.code, vote.id, {
    expectNotVoted: now.notVoted.map((n) => n.memberId),
  });
  assert.equal(closed.for, 2);
  assert.equal(closed.against, 1);
});

test("the e-meeting link is shown to the council's members and officials, not to the public or other residents", async () => {
  const f = await makeCouncil(ctx, { seats: 7 });
  const { sittingId } = await makeSitting(ctx, f, undefined, { open: false });
  const outsider = await person(ctx, f.code, 'Olev Väline');
  assert.equal((await getSitting(ctx, f.members[3]!.actor, f.code, sittingId)).link, 'https://meet.example/volikogu');
  assert.equal((await getSitting(ctx, f.secretary.actor, f.code, sittingId)).link, 'https://meet.example/volikogu');
  assert.equal((await getSitting(ctx, { kind: 'anonymous' }, f.code, sittingId)).link, null);
  assert.equal((await getSitting(ctx, outsider.actor, f.code, sittingId)).link, null);
});
