import { test } from 'node:test';
import assert from 'node:assert/strict';
import { testContext } from '../../../test/support/app';
import { seedDemo } from '../../platform/demo/seed';
import { anonymous } from './testkit';
import { councilModule } from '.';
import { getCouncil } from './getCouncil';
import { listSittings } from './getSitting';
import { listDecisions, votingRecords } from './archive';
import { getMinutesStatus } from './minutes';

const { ctx } = await testContext();

test('demo data: Elva vald has a council, a sitting held with signed minutes, and a scheduled sitting', async () => {
  const lines: string[] = [];
  assert.equal(await seedDemo(ctx, [councilModule], { residents: 1200, seed: 2026, log: (l) => lines.push(l) }), true);
  const council = await getCouncil(ctx, anonymous, '0171');
  assert.equal(council.name, 'Elva Vallavolikogu');
  assert.equal(council.seats, 21);
  assert.equal(council.acting, 21, 'a substitute holds the suspended member’s seat');
  assert.ok(council.members.some((m) => m.status === 'suspended'));
  assert.ok(council.members.some((m) => m.office === 'chair'));
  const sittings = await listSittings(ctx, anonymous, '0171');
  assert.deepEqual(sittings.map((s) => s.status).sort(), ['closed', 'published']);
  const next = sittings.find((s) => s.status === 'published')!;
  assert.ok(new Date(next.startsAt) > new Date(), 'the scheduled sitting is in the future');
  const held = sittings.find((s) => s.status === 'closed')!;
  assert.equal((await getMinutesStatus(ctx, anonymous, '0171', held.id)).approved, true);
  const decisions = await listDecisions(ctx, anonymous, '0171');
  assert.equal(decisions.decisions.length, 3);
  assert.ok(decisions.decisions.some((d) => d.kind === 'secret'));
  const records = await votingRecords(ctx, anonymous, '0171');
  assert.ok(records.records.some((r) => r.record === 'recused'));
  assert.ok(
    records.records
      .filter((r) => r.kind === 'secret')
      .every((r) => ['took_part', 'absent', 'not_voted'].includes(r.record)),
  );
});
