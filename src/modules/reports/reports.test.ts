import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import sharp from 'sharp';
import { testContext, makePerson, grantRole } from '../../../test/support/app';
import { ANONYMOUS, type Actor, type PersonActor } from '../../platform/auth/actor';
import { Problem } from '../../platform/http/problems';
import { hasMetadataBlocks } from '../../platform/files/images';
import { inScope } from '../../platform/db/database';
import { reportsModule } from './index';
import { submitReport } from './submitReport';
import { updateReport } from './changeStatus';
import { assignReport } from './assignReport';
import { mergeDuplicate } from './mergeDuplicate';
import { supportReport } from './supportReport';
import { moderateReport } from './moderateReport';
import { answerSurvey } from './answerSurvey';
import { findDuplicates } from './findDuplicates';
import { getReport, reportPhoto } from './getReport';
import { nextClock } from './reportState';
import { STATUSES, isClosed } from './statuses';
import { type ReportStatus } from './store';
import { saveCategory } from './categories';

const TARTU = '0793';
const ELVA = '0171';
const RAEKODA = { lat: 58.3804, lon: 26.7225 };

const { ctx } = await testContext({ jobs: false });
reportsModule.jobs!(ctx);
await ctx.jobs.start();
after(() => ctx.jobs.stop());

let clock = new Date('2026-03-02T08:00:00Z');
ctx.now = () => clock;
const at = (iso: string) => (clock = new Date(iso));

const editorP = await makePerson(ctx, { givenName: 'Ene', familyName: 'Editor' });
const residentP = await makePerson(ctx, { givenName: 'Rein', familyName: 'Resident' });
const otherP = await makePerson(ctx, { givenName: 'Olga', familyName: 'Other' });
await grantRole(ctx, TARTU, editorP.id, 'editor');
const person = (id: string, roles: PersonActor['roles'] = []): PersonActor => ({
  kind: 'person',
  personId: id,
  givenName: 'X',
  familyName: 'Y',
  birthDate: '1980-01-01',
  idCodeMasked: '',
  acr: 'high',
  roles,
});
const editor = person(editorP.id, [{ municipalityCode: TARTU, role: 'editor' }]);
const resident = person(residentP.id);
const other = person(otherP.id);

async function problem(p: Promise<unknown>): Promise<{ status: number; slug: string; pointers: string[] }> {
  try {
    await p;
  } catch (err) {
    assert.ok(err instanceof Problem, String(err));
    return { status: err.status, slug: err.kind.slug, pointers: (err.extras.errors ?? []).map((e) => e.pointer) };
  }
  assert.fail('expected a problem');
}

test('a report is routed by its point to the municipality and settlement unit; state roads to the Transport Administration', async () => {
  const r = await submitReport(ctx, ANONYMOUS, {
    categoryCode: 'roads',
    description: 'Auk Raekoja platsil',
    ...RAEKODA,
    channel: 'web',
  });
  assert.equal(r.municipalityCode, TARTU);
  assert.equal(r.settlementCode, '8151');
  assert.equal(r.bodyCode, null);
  assert.ok(r.manageToken.length >= 30);
  const elva = await submitReport(ctx, ANONYMOUS, {
    categoryCode: 'lighting',
    description: 'Lamp ei põle',
    lat: 58.2225,
    lon: 26.4215,
    channel: 'web',
  });
  assert.equal(elva.municipalityCode, ELVA);
  const tallinn = await submitReport(ctx, ANONYMOUS, {
    categoryCode: 'state-road',
    description: 'Roopad',
    lat: 59.4337,
    lon: 24.7446,
    channel: 'web',
  });
  assert.equal(tallinn.municipalityCode, '0784');
  assert.equal(tallinn.bodyCode, 'transpordiamet');
  // The non-map way: a settlement unit instead of coordinates.
  const bySettlement = await submitReport(ctx, ANONYMOUS, {
    categoryCode: 'greenery',
    description: 'Puu',
    settlementCode: '1586',
    address: 'Kesk 1',
    channel: 'web',
  });
  assert.equal(bySettlement.municipalityCode, ELVA);
  assert.equal(bySettlement.settlementCode, '1586');
  // The SLA sets the expected time: roads 14 days.
  assert.equal(new Date(r.slaDueAt!).getTime() - new Date(r.createdAt).getTime(), 14 * 86_400_000);
});

test('bad input: at sea, abroad, wrong municipality, unknown category, description too long, missing required answer', async () => {
  const base = { categoryCode: 'roads', description: 'x', channel: 'web' as const };
  assert.deepEqual(await problem(submitReport(ctx, ANONYMOUS, { ...base, lat: 59.8, lon: 25.0 })), {
    status: 400,
    slug: 'report-outside-estonia',
    pointers: ['/body/lat'],
  });
  assert.equal(
    (await problem(submitReport(ctx, ANONYMOUS, { ...base, lat: 56.95, lon: 24.1 }))).slug,
    'report-outside-estonia',
  );
  assert.equal(
    (await problem(submitReport(ctx, ANONYMOUS, { ...base, ...RAEKODA, municipalityCode: ELVA }))).slug,
    'report-wrong-municipality',
  );
  assert.deepEqual(await problem(submitReport(ctx, ANONYMOUS, { ...base, ...RAEKODA, categoryCode: 'ufo' })), {
    status: 400,
    slug: 'report-unknown-category',
    pointers: ['/body/categoryCode'],
  });
  assert.deepEqual(
    await problem(submitReport(ctx, ANONYMOUS, { ...base, ...RAEKODA, description: 'a'.repeat(4001) })),
    { status: 400, slug: 'validation', pointers: ['/body/description'] },
  );
  assert.deepEqual(await problem(submitReport(ctx, ANONYMOUS, { ...base, ...RAEKODA, description: '   ' })), {
    status: 400,
    slug: 'validation',
    pointers: ['/body/description'],
  });
  assert.deepEqual(await problem(submitReport(ctx, ANONYMOUS, { ...base, ...RAEKODA, categoryCode: 'hazard' })), {
    status: 400,
    slug: 'validation',
    pointers: ['/body/attributes/urgent'],
  });
  assert.deepEqual(
    await problem(
      submitReport(ctx, ANONYMOUS, { ...base, ...RAEKODA, categoryCode: 'hazard', attributes: { urgent: 'maybe' } }),
    ),
    { status: 400, slug: 'validation', pointers: ['/body/attributes/urgent'] },
  );
  assert.equal((await problem(submitReport(ctx, ANONYMOUS, { ...base, lat: 58.38 }))).slug, 'validation');
  assert.equal(
    (await problem(submitReport(ctx, ANONYMOUS, { ...base, ...RAEKODA, photos: [Buffer.from('not an image at all')] })))
      .slug,
    'not-an-image',
  );
  assert.equal(
    (
      await problem(
        submitReport(ctx, ANONYMOUS, { ...base, ...RAEKODA, photos: [Buffer.alloc(11 * 1024 * 1024, 0xff)] }),
      )
    ).status,
    413,
  );
  // Nothing half-written: no report without its photo.
  const n = await inScope(ctx.db, { tenant: TARTU }, (trx) =>
    trx
      .selectFrom('report')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('description', '=', 'x')
      .executeTakeFirstOrThrow(),
  );
  assert.equal(Number(n.n), 0);
});

test('photos are stored without EXIF and served to the public unless hidden', async () => {
  const photo = await sharp({ create: { width: 800, height: 600, channels: 3, background: '#777' } })
    .jpeg()
    .withExif({
      IFD0: { Make: 'PhoneMakerSecret', Artist: 'Rein Resident' },
      IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '58/1 22/1 49/1' },
    })
    .toBuffer();
  assert.ok(photo.includes('PhoneMakerSecret'));
  const r = await submitReport(ctx, resident, {
    categoryCode: 'cleanliness',
    description: 'Prügi',
    ...RAEKODA,
    channel: 'web',
    photos: [photo],
  });
  const img = await reportPhoto(ctx, ANONYMOUS, r.id, 1, false);
  assert.equal(img.mediaType, 'image/jpeg');
  assert.equal(img.content.includes('PhoneMakerSecret'), false);
  assert.equal(img.content.includes('Rein Resident'), false);
  assert.equal(hasMetadataBlocks(img.content), false);
  const thumb = await reportPhoto(ctx, ANONYMOUS, r.id, 1, true);
  assert.ok((await sharp(thumb.content).metadata()).width! <= 480);
  await moderateReport(ctx, editor, TARTU, r.id, {
    photos: [{ position: 1, hidden: true }],
    reason: 'A face is visible',
  });
  assert.equal((await problem(reportPhoto(ctx, ANONYMOUS, r.id, 1, false))).status, 404);
  assert.ok((await reportPhoto(ctx, editor, r.id, 1, false)).content.length > 0, 'officials still see it');
});

test('every status transition sets the clock exactly (pure rule)', () => {
  const t0 = new Date('2026-01-01T00:00:00Z');
  const t1 = new Date('2026-01-02T00:00:00Z');
  for (const from of STATUSES) {
    for (const to of STATUSES) {
      const start = {
        status: from,
        acknowledged_at: null,
        first_closed_at: isClosed(from) ? t0 : null,
        closed_at: isClosed(from) ? t0 : null,
        reopen_count: 0,
      };
      if (to === 'duplicate') {
        assert.throws(() => nextClock(start, to, t1, { acknowledges: true }), Problem);
        continue;
      }
      const c = nextClock(start, to, t1, { acknowledges: true });
      assert.equal(c.status, to);
      assert.deepEqual(c.acknowledged_at, t1, `${from}→${to} acknowledges`);
      if (!isClosed(from) && isClosed(to))
        assert.deepEqual([c.closed_at, c.first_closed_at, c.reopen_count], [t1, t1, 0], `${from}→${to} closes`);
      else if (isClosed(from) && !isClosed(to))
        assert.deepEqual([c.closed_at, c.first_closed_at, c.reopen_count], [null, t0, 1], `${from}→${to} reopens`);
      else
        assert.deepEqual(
          [c.closed_at, c.first_closed_at, c.reopen_count],
          [start.closed_at, start.first_closed_at, 0],
          `${from}→${to} keeps the stamps`,
        );
    }
  }
  // Acknowledgement is stamped once; a reporter's reopening does not acknowledge.
  const acked = nextClock(
    { status: 'open', acknowledged_at: t0, first_closed_at: null, closed_at: null, reopen_count: 0 },
    'in_progress',
    t1,
    { acknowledges: true },
  );
  assert.deepEqual(acked.acknowledged_at, t0);
  assert.equal(
    nextClock(
      { status: 'fixed', acknowledged_at: null, first_closed_at: t0, closed_at: t0, reopen_count: 0 },
      'open',
      t1,
      { acknowledges: false },
    ).acknowledged_at,
    null,
  );
});

test('handling: each change is a timestamped event; reporter rates and reopens; second closing keeps the first close time', async () => {
  at('2026-03-02T08:00:00Z');
  const r = await submitReport(ctx, resident, {
    categoryCode: 'lighting',
    description: 'Tänavalamp ei põle',
    ...RAEKODA,
    channel: 'web',
  });
  at('2026-03-02T11:30:00Z');
  await assignReport(ctx, editor, TARTU, r.id, { department: 'Linnamajanduse osakond', assigneePersonId: editorP.id });
  at('2026-03-03T09:00:00Z');
  await updateReport(ctx, editor, TARTU, r.id, { status: 'in_progress', text: 'Elektrik on teel.' });
  at('2026-03-03T09:05:00Z');
  await updateReport(ctx, editor, TARTU, r.id, { text: 'Kontrollida ka naaberposti', internal: true });
  assert.equal(
    (await problem(answerSurvey(ctx, resident, TARTU, r.id, { fixed: 'yes', rating: 5 }))).slug,
    'report-survey',
    'not closed yet',
  );
  at('2026-03-05T15:00:00Z');
  await updateReport(ctx, editor, TARTU, r.id, { status: 'fixed', text: 'Lamp vahetatud.' });

  const row = await inScope(ctx.db, { tenant: TARTU }, (trx) =>
    trx.selectFrom('report').selectAll().where('id', '=', r.id).executeTakeFirstOrThrow(),
  );
  assert.equal(row.acknowledged_at?.toISOString(), '2026-03-02T11:30:00.000Z', 'the assignment acknowledged it');
  assert.equal(row.first_closed_at?.toISOString(), '2026-03-05T15:00:00.000Z');
  assert.equal(row.closed_at?.toISOString(), '2026-03-05T15:00:00.000Z');

  // The public sees the history and who handles it, not the internal note.
  const pub = await getReport(ctx, ANONYMOUS, r.id);
  assert.deepEqual(
    pub.history.map((h) => [h.kind, h.statusTo, h.at]),
    [
      ['created', 'open', '2026-03-02T08:00:00.000Z'],
      ['assigned', null, '2026-03-02T11:30:00.000Z'],
      ['status', 'in_progress', '2026-03-03T09:00:00.000Z'],
      ['status', 'fixed', '2026-03-05T15:00:00.000Z'],
    ],
  );
  assert.equal(pub.department, 'Linnamajanduse osakond');
  // The public sees the handling unit, not which official holds the report (issue 14); the
  // official's own public actions in the history stay signed.
  assert.equal(pub.assignee, null);
  assert.equal(pub.history[2]!.by.name, 'Ene Editor');
  assert.ok(!JSON.stringify(pub).includes('naaberposti'));
  assert.equal(pub.viewer.canRate, false);
  const official = await getReport(ctx, editor, r.id);
  assert.equal(official.assignee?.name, 'Ene Editor');
  assert.ok(official.history.some((h) => h.kind === 'note' && h.text === 'Kontrollida ka naaberposti'));

  // Only the reporter rates, once per closing; reopening starts the clock again.
  assert.equal((await problem(answerSurvey(ctx, other, TARTU, r.id, { fixed: 'yes', rating: 5 }))).status, 403);
  assert.equal((await getReport(ctx, resident, r.id)).viewer.canRate, true);
  at('2026-03-06T10:00:00Z');
  const s1 = await answerSurvey(ctx, resident, TARTU, r.id, {
    fixed: 'no',
    rating: 2,
    comment: 'Põleb jälle ainult pool ööd',
    reopen: true,
  });
  assert.deepEqual(s1, { closing: 1, status: 'open' });
  assert.equal(
    (await problem(answerSurvey(ctx, resident, TARTU, r.id, { fixed: 'no', rating: 1 }))).slug,
    'report-survey',
  );
  at('2026-03-08T10:00:00Z');
  await updateReport(ctx, editor, TARTU, r.id, { status: 'closed', text: 'Kaabel vahetatud.' });
  const again = await inScope(ctx.db, { tenant: TARTU }, (trx) =>
    trx.selectFrom('report').selectAll().where('id', '=', r.id).executeTakeFirstOrThrow(),
  );
  assert.equal(again.reopen_count, 1);
  assert.equal(again.first_closed_at?.toISOString(), '2026-03-05T15:00:00.000Z');
  assert.equal(again.closed_at?.toISOString(), '2026-03-08T10:00:00.000Z');
  // The manage link works for a reporter who is not logged in.
  const anon = await submitReport(ctx, ANONYMOUS, {
    categoryCode: 'other',
    description: 'Pink katki',
    ...RAEKODA,
    channel: 'web',
  });
  await updateReport(ctx, editor, TARTU, anon.id, { status: 'fixed' });
  assert.equal(
    (await problem(answerSurvey(ctx, ANONYMOUS, TARTU, anon.id, { fixed: 'yes', rating: 4, manageToken: 'wrong' })))
      .status,
    403,
  );
  assert.deepEqual(
    await answerSurvey(ctx, ANONYMOUS, TARTU, anon.id, { fixed: 'yes', rating: 4, manageToken: anon.manageToken }),
    { closing: 1, status: 'fixed' },
  );
  // Officials only.
  assert.equal((await problem(updateReport(ctx, resident, TARTU, r.id, { status: 'fixed' }))).status, 403);
  assert.equal((await problem(updateReport(ctx, ANONYMOUS as Actor, TARTU, r.id, { status: 'fixed' }))).status, 401);
  assert.equal(
    (await problem(updateReport(ctx, editor, TARTU, r.id, { status: 'duplicate' }))).slug,
    'report-status-transition',
  );
});

test('duplicates: same category within the radius and recent are suggested; merging closes one and counts it on the other; me too once per person', async () => {
  at('2026-04-01T08:00:00Z');
  const a = await submitReport(ctx, resident, {
    categoryCode: 'roads',
    description: 'Auk A',
    lat: 58.378,
    lon: 26.729,
    channel: 'web',
  });
  at('2026-04-02T08:00:00Z');
  const near = await findDuplicates(ctx, TARTU, { categoryCode: 'roads', lat: 58.3784, lon: 26.7293 });
  assert.ok(
    near.some((d) => d.id === a.id && d.distanceM < 100 && d.distanceM > 30),
    JSON.stringify(near),
  );
  assert.equal(
    (await findDuplicates(ctx, TARTU, { categoryCode: 'roads', lat: 58.3805, lon: 26.729 })).some((d) => d.id === a.id),
    false,
    '280 m away',
  );
  assert.equal(
    (await findDuplicates(ctx, TARTU, { categoryCode: 'lighting', lat: 58.378, lon: 26.729 })).some(
      (d) => d.id === a.id,
    ),
    false,
    'other category',
  );
  at('2026-06-01T08:00:00Z');
  assert.equal(
    (await findDuplicates(ctx, TARTU, { categoryCode: 'roads', lat: 58.378, lon: 26.729 })).some((d) => d.id === a.id),
    false,
    'too old',
  );
  at('2026-04-02T08:00:00Z');
  const b = await submitReport(ctx, other, {
    categoryCode: 'roads',
    description: 'Auk B',
    lat: 58.3781,
    lon: 26.7291,
    channel: 'web',
  });
  assert.deepEqual(await supportReport(ctx, other, TARTU, a.id), { meTooCount: 1, added: true });
  assert.deepEqual(await supportReport(ctx, other, TARTU, a.id), { meTooCount: 1, added: false });
  assert.deepEqual(
    await supportReport(ctx, resident, TARTU, a.id),
    { meTooCount: 1, added: false },
    'not for your own report',
  );
  const merged = await mergeDuplicate(ctx, editor, TARTU, b.id, a.id);
  assert.deepEqual(merged, { id: b.id, duplicateOf: a.id, meTooCount: 2 });
  const dup = await getReport(ctx, ANONYMOUS, b.id);
  assert.equal(dup.status, 'duplicate');
  assert.equal(dup.duplicateOf, a.id);
  assert.ok(dup.closedAt);
  assert.equal((await problem(mergeDuplicate(ctx, editor, TARTU, b.id, a.id))).status, 409);
  assert.equal((await problem(mergeDuplicate(ctx, editor, TARTU, a.id, b.id))).status, 400, 'not into a duplicate');
  assert.equal((await problem(mergeDuplicate(ctx, editor, TARTU, a.id, a.id))).status, 400);
  assert.equal(
    (await findDuplicates(ctx, TARTU, { categoryCode: 'roads', lat: 58.378, lon: 26.729 })).some((d) => d.id === b.id),
    false,
    'a merged duplicate is closed',
  );
});

test('moderation hides and redacts with history; the public no longer sees it, officials do', async () => {
  const r = await submitReport(ctx, resident, {
    categoryCode: 'parking',
    description: 'Auto 123ABC, omanik Jaan Tamm tel 5555 5555',
    ...RAEKODA,
    channel: 'web',
    name: 'Rein Resident',
  });
  assert.equal((await getReport(ctx, ANONYMOUS, r.id)).reporterName, null, 'name hidden unless asked to show it');
  assert.equal(
    (await problem(moderateReport(ctx, editor, TARTU, r.id, { description: 'x', reason: '  ' }))).status,
    400,
  );
  await moderateReport(ctx, editor, TARTU, r.id, {
    description: 'Auto pargib valesti [isikuandmed eemaldatud]',
    reason: 'Isikuandmed',
  });
  const pub = await getReport(ctx, ANONYMOUS, r.id);
  assert.equal(pub.description, 'Auto pargib valesti [isikuandmed eemaldatud]');
  assert.ok(!JSON.stringify(pub).includes('5555'), 'the original is not public');
  await moderateReport(ctx, editor, TARTU, r.id, { hidden: true, reason: 'Solvav' });
  assert.equal((await problem(getReport(ctx, ANONYMOUS, r.id))).status, 404);
  assert.equal((await getReport(ctx, resident, r.id)).id, r.id, 'the reporter still sees their report');
  const off = await getReport(ctx, editor, r.id);
  const mods = off.history.filter((h) => h.kind === 'moderated');
  assert.equal(mods.length, 2);
  assert.deepEqual(
    (mods[0]!.details as { before: { description: string } }).before.description,
    'Auto 123ABC, omanik Jaan Tamm tel 5555 5555',
  );
  assert.equal(mods[0]!.by.name, 'Ene Editor');
  assert.equal(off.internal?.hidden, true);
  assert.equal((await problem(moderateReport(ctx, resident, TARTU, r.id, { hidden: false, reason: 'x' }))).status, 403);
});

test('categories: a municipality renames, sets an SLA and routes a category; an unknown body is refused', async () => {
  const admin = await makePerson(ctx);
  await grantRole(ctx, ELVA, admin.id, 'admin');
  const a = person(admin.id, [{ municipalityCode: ELVA, role: 'admin' }]);
  const c = await saveCategory(
    ctx,
    a,
    ELVA,
    'greenery',
    {
      name: { et: 'Haljastus ja pargid', en: 'Greenery and parks', ru: 'Озеленение и парки' },
      slaDays: 7,
      department: 'Haljastus',
    },
    { create: false },
  );
  assert.equal(c.name.et, 'Haljastus ja pargid');
  const r = await submitReport(ctx, ANONYMOUS, {
    categoryCode: 'greenery',
    description: 'Oks',
    lat: 58.2225,
    lon: 26.4215,
    channel: 'web',
  });
  assert.equal(new Date(r.slaDueAt!).getTime() - new Date(r.createdAt).getTime(), 7 * 86_400_000);
  assert.equal((await getReport(ctx, ANONYMOUS, r.id)).department, 'Haljastus');
  await saveCategory(
    ctx,
    a,
    ELVA,
    'snow',
    { name: { et: 'Lumi', en: 'Snow', ru: 'Снег' }, domain: 'Taristu', slaDays: 1, bodyCode: 'transpordiamet' },
    { create: true },
  );
  const s = await submitReport(ctx, ANONYMOUS, {
    categoryCode: 'snow',
    description: 'Lund täis',
    lat: 58.2225,
    lon: 26.4215,
    channel: 'web',
  });
  assert.equal(s.bodyCode, 'transpordiamet');
  assert.equal(
    (await problem(saveCategory(ctx, a, ELVA, 'snow', { bodyCode: 'nasa' }, { create: false }))).pointers[0],
    '/body/bodyCode',
  );
  assert.equal((await problem(saveCategory(ctx, editor, ELVA, 'snow', { slaDays: 2 }, { create: false }))).status, 403);
  await saveCategory(ctx, a, ELVA, 'snow', { active: false }, { create: false });
  assert.equal(
    (
      await problem(
        submitReport(ctx, ANONYMOUS, {
          categoryCode: 'snow',
          description: 'x',
          lat: 58.2225,
          lon: 26.4215,
          channel: 'web',
        }),
      )
    ).slug,
    'report-unknown-category',
  );
  void (null as unknown as ReportStatus);
});
