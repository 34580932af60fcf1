import { test } from 'node:test';
import assert from 'node:assert/strict';
import { testContext, makePerson, grantRole } from '../../../test/support/app';
import type { SeedOptions } from '../../platform/module';
import type { Actor } from '../../platform/auth/actor';
import { programmeModule } from './index';
import { hubModule } from '../hub/index';
import { communityModule } from '../community/index';
import { planOverview } from './planOverview';
import { trackerOverview } from '../hub';
import { listEvents } from '../community';

/** The demo data of the three modules seeds, and the demo's programme office shows the real plan's figures. */
const { ctx } = await testContext();
const officials: SeedOptions['officials'] = { '0000': {}, '0784': {}, '0793': {}, '0171': {} };
for (const code of Object.keys(officials)) {
  for (const role of ['admin', 'editor', 'analyst'] as const) {
    const p = await makePerson(ctx);
    await grantRole(ctx, code, p.id, role);
    officials[code]![role] = p.id;
  }
}
const opts: SeedOptions = { seed: 42, log: () => {}, population: [], officials };
for (const m of [programmeModule, hubModule, communityModule]) await m.seedDemo!(ctx, opts);
const elvlAnalyst: Actor = {
  kind: 'person',
  personId: officials['0000']!.analyst!,
  givenName: null,
  familyName: null,
  birthDate: '',
  idCodeMasked: '',
  roles: [{ municipalityCode: '0000', role: 'analyst' }],
  acr: null,
};

test("the demo's programme office reproduces the summary's totals and flags the 10 560 € difference", async () => {
  const o = await planOverview(ctx, elvlAnalyst, 'elvl-digipoore-2023-2026');
  const e = (euros: number) => euros * 100;
  assert.deepEqual([o.totals.byYear['2024']!.gross, o.totals.byYear['2025']!.gross], [e(148_101), e(691_560)]);
  assert.deepEqual(
    [o.totals.byYear['2024']!.net, o.totals.byYear['2025']!.net, o.totals.byYear['2026']!.net],
    [e(145_186), e(592_200), e(697_279)],
  );
  assert.equal(o.totals.byMeasureActivity['2']!.total.gross, e(196_414));
  assert.equal(o.totals.byMeasureActivity['3']!.total.gross, e(189_765));
  assert.equal(o.totals.byMeasureActivity['4']!.total.gross, e(424_850));
  assert.equal(o.inconsistencies, 6);
  for (const c of o.checks.filter((x) => !x.ok)) assert.equal(c.differenceCents, -e(10_560));
  const header = o.checks.find((c) => c.id === 'header')!;
  assert.deepEqual([header.statedCents, header.computedCents], [e(1_445_225), e(1_434_665)]);
});

test('the demo has trackers for three municipalities and coming events', async () => {
  const overview = await trackerOverview(ctx, elvlAnalyst, false);
  assert.deepEqual(overview.municipalities.map((m) => m.municipalityCode).sort(), ['0171', '0784', '0793']);
  const events = await listEvents(ctx, elvlAnalyst, {});
  assert.equal(events.length, 4);
});
