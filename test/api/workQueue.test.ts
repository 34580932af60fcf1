import { test } from 'node:test';
import assert from 'node:assert/strict';
import { testPlatform, makePerson, grantRole, sessionFor } from '../support/app';
import { ANONYMOUS } from '../../src/platform/auth/actor';
import { submitReport } from '../../src/modules/reports/submitReport';
import { assignReport } from '../../src/modules/reports/assignReport';
import { makeCouncil, asActor } from '../../src/modules/council/testkit';
import { createSitting } from '../../src/modules/council/sittings';

/** The officials' work queue (issue 18) over real HTTP: one municipality's items, by role, overdue first. */
const TARTU = '0793';
const ELVA = '0171';
const RAEKODA = { lat: 58.3804, lon: 26.7225 };
const ELVA_CENTRE = { lat: 58.2225, lon: 26.4215 };

const platform = await testPlatform();
const { ctx, app } = platform;

const tartuEditor = await makePerson(ctx, { givenName: 'Tiina', familyName: 'Toimetaja' });
const tartuAnalyst = await makePerson(ctx, { givenName: 'Aivar', familyName: 'Analüütik' });
const elvaEditor = await makePerson(ctx, { givenName: 'Eero', familyName: 'Elvast' });
const resident = await makePerson(ctx, { givenName: 'Rita', familyName: 'Resident' });
await grantRole(ctx, TARTU, tartuEditor.id, 'editor');
await grantRole(ctx, TARTU, tartuAnalyst.id, 'analyst');
await grantRole(ctx, ELVA, elvaEditor.id, 'editor');

// Tartu: three open reports, one held by the editor; Elva: two nobody holds.
const report = (where: typeof RAEKODA, description: string) =>
  submitReport(ctx, ANONYMOUS, { categoryCode: 'roads', description, ...where, channel: 'web' });
const t1 = await report(RAEKODA, 'Auk Raekoja platsil');
await report(RAEKODA, 'Teine auk');
await report(RAEKODA, 'Kolmas auk');
await report(ELVA_CENTRE, 'Elva auk');
await report(ELVA_CENTRE, 'Teine Elva auk');
await assignReport(ctx, asActor(tartuEditor.id, TARTU, ['editor']), TARTU, t1.id, { assigneePersonId: tartuEditor.id });

// A draft sitting in each municipality, four days away (notice period 7 days: already late).
for (const code of [TARTU, ELVA]) {
  const f = await makeCouncil(ctx, { code });
  await createSitting(ctx, f.admin.actor, code, f.councilId, {
    title: code === TARTU ? 'Tartu eelarve' : 'Elva eelarve',
    format: 'in_person',
    startsAt: new Date(ctx.now().getTime() + 4 * 86_400_000).toISOString(),
    place: 'Raekoda',
    link: null,
    secretaryId: f.secretary.id,
  });
}

const get = async (who: { id: string } | null, code = TARTU) => {
  const headers = who ? (await sessionFor(ctx, who.id)).headers : {};
  const res = await app.inject({ method: 'GET', url: `/api/v1/municipalities/${code}/work-queue`, headers });
  return { status: res.statusCode, body: res.json() };
};

test("Tartu's editor sees Tartu's work only: reports held and unheld, the late sitting first, counts per group", async () => {
  const { status, body } = await get(tartuEditor);
  assert.equal(status, 200, JSON.stringify(body));
  assert.equal(body.municipalityCode, TARTU);
  const byKey = new Map<string, Record<string, unknown>>(body.items.map((i: Record<string, unknown>) => [i.key, i]));
  assert.equal(byKey.get('reports.mine')?.count, 1);
  assert.equal(byKey.get('reports.unassigned')?.count, 2);
  assert.equal(byKey.get('reports.mine')?.link, '/teated/haldus?assignee=me');
  const sitting = byKey.get('council.prepare')!;
  assert.equal(sitting.subject, '1. Tartu eelarve');
  assert.equal(sitting.overdue, 1, 'the notice deadline (7 days before) has passed');
  assert.equal(sitting.link, `/volikogu/${TARTU}/haldus`);
  // Overdue first.
  assert.equal(body.items[0].key, 'council.prepare');
  assert.ok(!JSON.stringify(body).includes('Elva'), 'nothing of Elva');
  assert.equal(body.totals.byGroup.handle, 3);
  assert.equal(body.totals.byGroup.prepare, 1);
  assert.ok(body.items.every((i: { since: string | null }) => i.since === null || !Number.isNaN(Date.parse(i.since))));
});

test("Elva's editor sees Elva's: two unheld reports, no Tartu sitting", async () => {
  const { status, body } = await get(elvaEditor, ELVA);
  assert.equal(status, 200);
  const keys = body.items.map((i: { key: string }) => i.key).sort();
  assert.deepEqual(keys, ['council.prepare', 'reports.unassigned']);
  assert.equal(body.items.find((i: { key: string }) => i.key === 'reports.unassigned').count, 2);
  assert.equal(body.items.find((i: { key: string }) => i.key === 'council.prepare').subject, '1. Elva eelarve');
});

test('an analyst sees no handling work (the providers ask for their own roles)', async () => {
  const { status, body } = await get(tartuAnalyst);
  assert.equal(status, 200);
  assert.deepEqual(body.items, []);
  assert.equal(body.totals.all, 0);
});

test("another municipality's official and a resident are refused; nobody logged in is asked to log in", async () => {
  assert.equal((await get(elvaEditor, TARTU)).status, 403);
  assert.equal((await get(resident)).status, 403);
  assert.equal((await get(null)).status, 401);
});
