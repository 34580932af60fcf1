import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { testPlatform, makePerson, grantRole, sessionFor } from '../../../test/support/app';
import { asOwner } from '../../../test/support/db';
import { residences } from '../register/testSupport';
import { advanceVote } from '../participation';
import { createJobs } from '../../platform/jobs/jobs';
import { isValidIdCode } from '../../platform/identity/personalIdCode';
import type { DatasetProvider, OpenDataTable, ProvidedDataset } from '../../platform/openData';
import { runProvider, runProviders } from './autoPublish';
import { findPublished, searchPublished } from './search';
import { publicDataset, downloadFile } from './publicDataset';
import { publicationLog } from './publicationLog';
import { actorOf } from './testSupport';
import { AUTO_PUBLISH_JOB } from './index';
import { modules } from '../index';

/**
 * Automatic publication: providers' datasets published as versions when they change, the
 * anonymisation contract enforced (ID codes, residents' names, small groups, unrounded
 * locations, images refused), the publication log; and the real thing: a vote closes, its results
 * are published, the job runs, and the results dataset appears — with nothing personal in it.
 */
const M = '0793';
const platform = await testPlatform();
const { ctx, app } = platform;
const adminP = await makePerson(ctx, { givenName: 'Aili', familyName: 'Admin' });
await grantRole(ctx, M, adminP.id, 'admin');
const admin = actorOf(adminP.id, [[M, 'admin']]);
const resident = await makePerson(ctx, { givenName: 'Mari', familyName: 'Maasikas' });

/** A provider as its module's manifest declares it. */
const providerOf = (key: string) => modules.flatMap((m) => m.openData ?? []).find((p) => p.key === key)!;

const table = (rows: OpenDataTable['rows'], extra: Partial<OpenDataTable> = {}): OpenDataTable => ({
  name: 'counts',
  title: { et: 'Arvud', en: 'Counts' },
  columns: [
    { name: 'area', title: { et: 'Piirkond', en: 'Area' }, type: 'string' },
    { name: 'people', title: { et: 'Inimesi', en: 'People' }, type: 'integer', kind: 'groupSize' },
    { name: 'note', title: { et: 'Märkus', en: 'Note' }, type: 'string', kind: 'text' },
  ],
  rows,
  ...extra,
});
const dataset = (tables: OpenDataTable[], key = 'main'): ProvidedDataset => ({
  key,
  title: { et: `Testandmed ${key}`, en: `Test data ${key}` },
  description: { et: 'Automaatselt avaldatud testandmed.', en: 'Test data published automatically.' },
  themes: ['GOVE'],
  frequency: 'DAILY',
  tables,
});
const provider = (key: string, collect: () => ProvidedDataset[] | Promise<ProvidedDataset[]>): DatasetProvider => ({
  key,
  title: { et: key, en: key },
  anonymisation: { minGroupSize: 5, rule: { et: 'Rühmad vähemalt 5.', en: 'Groups of at least 5.' } },
  municipalities: async () => [M],
  collect: async () => collect(),
});

test('a provider’s dataset is published, left alone while it does not change, and versioned when it does', async () => {
  let rows: OpenDataTable['rows'] = [
    { area: 'Annelinn', people: 12, note: null },
    { area: 'Karlova', people: 7, note: 'vana puitasum' },
  ];
  const p = provider('test.counts', () => [dataset([table(rows)])]);
  const r1 = await runProvider(ctx, p, M, 'manual');
  assert.equal(r1?.status, 'published');
  assert.equal(r1?.changes[0]!.change, 'new');
  const name = r1!.changes[0]!.name!;
  const s1 = await findPublished(ctx, name);
  assert.equal(s1?.version, 1);
  assert.equal(s1?.origin, 'auto');
  assert.match(s1!.anonymisation!.et, /Väikseim rühm: 5/);
  assert.equal(s1!.distributions[0]!.csv!.fields[1]!.kind, 'groupSize');
  const f1 = await downloadFile(ctx, name, 1, s1!.distributions[0]!.id);
  assert.equal(f1.content.toString(), 'area,people,note\r\nAnnelinn,12,\r\nKarlova,7,vana puitasum\r\n');

  const r2 = await runProvider(ctx, p, M, 'schedule');
  assert.equal(r2?.status, 'unchanged');
  assert.equal((await findPublished(ctx, name))?.version, 1);

  rows = [...rows, { area: 'Supilinn', people: 9, note: null }];
  const r3 = await runProvider(ctx, p, M, 'schedule');
  assert.equal(r3?.status, 'published');
  assert.deepEqual(
    [r3!.changes[0]!.change, r3!.changes[0]!.version, r3!.changes[0]!.rowsBefore, r3!.changes[0]!.rowsAfter],
    ['updated', 2, 2, 3],
  );
  assert.notEqual(r3!.changes[0]!.files![0]!.before, r3!.changes[0]!.files![0]!.after);
  const pub = await publicDataset(ctx, name);
  assert.deepEqual(
    pub.versions.map((v) => v.version),
    [2, 1],
    'both versions are kept',
  );
  assert.deepEqual(
    (await downloadFile(ctx, name, 1, s1!.distributions[0]!.id)).content,
    f1.content,
    'version 1 still downloads as it was',
  );

  const log = await publicationLog(ctx, admin, M);
  assert.deepEqual(
    log.filter((l) => l.providerKey === 'test.counts').map((l) => [l.trigger, l.status]),
    [
      ['schedule', 'published'],
      ['schedule', 'unchanged'],
      ['manual', 'published'],
    ],
  );
});

test('the anonymisation contract: ID codes, residents’ names, small groups, precise locations and images are refused', async () => {
  const coords: OpenDataTable = {
    name: 'places',
    title: { et: 'Kohad', en: 'Places' },
    columns: [
      { name: 'lat', title: { et: 'Laius', en: 'Lat' }, type: 'number', kind: 'latitude' },
      { name: 'lon', title: { et: 'Pikkus', en: 'Lon' }, type: 'number', kind: 'longitude' },
    ],
    rows: [{ lat: 58.37812, lon: 26.729 }],
  };
  const cases: [string, ProvidedDataset, RegExp][] = [
    ['idcode', dataset([table([{ area: `Kood ${resident.idCode}`, people: 10, note: null }])]), /personal ID code/],
    ['name', dataset([table([{ area: 'Annelinn', people: 10, note: 'teatas Mari Maasikas' }])]), /name of a resident/],
    [
      'small',
      dataset([table([{ area: 'Annelinn', people: 3, note: null }])]),
      /group of 3 is smaller than the minimum of 5/,
    ],
    ['coords', dataset([coords]), /not rounded to 3 decimals/],
    ['photo', dataset([table([{ area: 'Annelinn', people: 10, note: 'https://example.ee/foto.jpg' }])]), /image/],
    ['undeclared', dataset([table([{ area: 'Annelinn', people: 10, note: null, secret: 'x' }])]), /not declared/],
  ];
  for (const [key, ds, why] of cases) {
    const r = await runProvider(
      ctx,
      provider(`test.bad-${key}`, () => [ds]),
      M,
      'manual',
    );
    assert.equal(r?.status, 'failed', key);
    assert.match(r!.changes[0]!.error!, why, key);
    assert.ok(!r!.changes[0]!.error!.includes(resident.idCode), 'the log does not repeat the ID code');
    assert.ok(!r!.changes[0]!.error!.includes('Maasikas'), 'the log does not repeat the name');
  }
  const published = await asOwner(platform.ownerUrl, (c) =>
    c.query(`SELECT count(*)::int AS n FROM opendata_dataset WHERE provider_key LIKE 'test.bad-%'`),
  );
  assert.equal(published.rows[0].n, 0, 'nothing of a refused dataset was written');

  // Names of people in a public office are allowed in columns that say so.
  const official: OpenDataTable = {
    name: 'members',
    title: { et: 'Liikmed', en: 'Members' },
    columns: [{ name: 'member', title: { et: 'Liige', en: 'Member' }, type: 'string', kind: 'officialName' }],
    rows: [{ member: 'Mari Maasikas' }],
  };
  const ok = await runProvider(
    ctx,
    provider('test.official', () => [dataset([official])]),
    M,
    'manual',
  );
  assert.equal(ok?.status, 'published');

  const broken = await runProvider(
    ctx,
    provider('test.throws', () => {
      throw new Error('table missing');
    }),
    M,
    'manual',
  );
  assert.equal(broken?.status, 'failed');
  assert.match(broken!.error!, /table missing/);
  const log = await publicationLog(ctx, admin, M);
  assert.ok(
    log.some((l) => l.providerKey === 'test.throws' && l.status === 'failed' && /table missing/.test(l.error ?? '')),
  );
});

// ---- The real providers: participation's vote results, through the job queue.
const official = await sessionFor(ctx, adminP.id);
const settlements = (
  await ctx.db
    .selectFrom('place')
    .select('code')
    .where('municipality_code', '=', M)
    .where('level', '=', 'settlement')
    .orderBy('code')
    .execute()
).map((r) => r.code);
const call = async (
  method: string,
  url: string,
  who: { headers: Record<string, string> } | null,
  payload?: unknown,
) => {
  const res = await app.inject({
    method: method as 'GET',
    url: `/api/v1${url}`,
    headers: who?.headers ?? {},
    ...(payload !== undefined ? { payload: payload as object } : {}),
  });
  return { status: res.statusCode, body: res.body ? JSON.parse(res.body) : null };
};
const jobs = createJobs(platform.ownerUrl, ctx.log, { workers: false });
const jobCtx = { ...ctx, jobs };
modules.find((m) => m.name === 'opendata')!.jobs!(jobCtx);
await jobs.start();
after(() => jobs.stop());

async function closedPoll(title: string, voters: { settlement: string; name: [string, string] }[]) {
  const created = await call('POST', `/municipalities/${M}/votes`, official, {
    kind: 'poll',
    title,
    opensAt: new Date(Date.now() - 60_000).toISOString(),
    closesAt: new Date(Date.now() + 3_600_000).toISOString(),
    electorate: { scope: 'municipality', minAge: 16 },
    questions: [{ text: 'Kas rajada park?', kind: 'yesno', allowBlank: false }],
  });
  assert.equal(created.status, 200, JSON.stringify(created.body));
  const v = (await call('POST', `/municipalities/${M}/votes/${created.body.id}/schedule`, official)).body;
  const people = [];
  for (const [i, x] of voters.entries()) {
    const p = await makePerson(ctx, { givenName: x.name[0], familyName: x.name[1], birthDate: '1984-04-04' });
    await residences(ctx, M, p.id, [{ validFrom: '2000-01-01', settlementCode: x.settlement, municipalityCode: M }]);
    const s = await sessionFor(ctx, p.id);
    const cast = await call('POST', `/municipalities/${M}/votes/${v.id}/ballots`, s, {
      answers: [{ questionId: 1, choiceIds: [i % 3 === 0 ? 2 : 1] }],
    });
    assert.equal(cast.status, 200, JSON.stringify(cast.body));
    people.push({ ...p, ...x });
  }
  await asOwner(platform.ownerUrl, async (c) => {
    await c.query(
      `UPDATE pv_vote SET closes_at = now() - interval '1 second', opens_at = now() - interval '2 minutes' WHERE id = $1`,
      [v.id],
    );
    await c.query(
      `UPDATE bb_box SET closes_at = now() - interval '1 second', opens_at = now() - interval '2 minutes' WHERE id = (SELECT box_id FROM pv_vote WHERE id = $1)`,
      [v.id],
    );
  });
  assert.equal(await advanceVote(ctx, M, v.id), 'closed');
  const published = await call('POST', `/municipalities/${M}/votes/${v.id}/publish`, official);
  assert.equal(published.status, 200, JSON.stringify(published.body));
  return { vote: v, people };
}

test('after a vote closes (and its results are published) the job publishes its results dataset; no file holds anything personal', async () => {
  const given = ['Kaarel', 'Liina', 'Peeter', 'Reet', 'Toomas', 'Urve', 'Vello', 'Helgi'];
  const voters = given.map((g, i) => ({
    settlement: i < 6 ? settlements[0]! : settlements[1]!,
    name: [g, 'Hääletaja'] as [string, string],
  }));
  const { vote, people } = await closedPoll('Pargi rajamine', voters);

  // Publishing the results enqueued the publication job in the same transaction.
  assert.equal(await jobs.drain(AUTO_PUBLISH_JOB), 1);

  const log = await publicationLog(ctx, admin, M);
  const run = log.find((l) => l.providerKey === 'participation.vote-results')!;
  assert.equal(run.status, 'published', JSON.stringify(run));
  const change = (run.changes as { key: string; name: string; version: number }[]).find((c) => c.key === vote.id)!;
  assert.equal(change.version, 1);
  const { dataset } = await publicDataset(ctx, change.name);
  assert.equal(dataset.title.et, 'Küsitluse tulemused: Pargi rajamine');
  assert.deepEqual(
    dataset.distributions.map((d) => d.filename),
    ['results.csv', 'turnout.csv'],
  );

  const turnout = (await downloadFile(ctx, change.name, 1, dataset.distributions[1]!.id)).content.toString();
  const lines = turnout
    .trim()
    .split('\r\n')
    .map((l) => l.split(','));
  assert.deepEqual(lines[0], ['settlement_code', 'settlement', 'voters']);
  assert.equal(lines.find((l) => l[0] === settlements[0])?.[2], '6', 'the settlement with 6 voters is shown');
  assert.ok(!lines.some((l) => l[0] === settlements[1]), 'the settlement with 2 voters is not shown on its own…');
  assert.ok(!lines.some((l) => l[1]?.startsWith('muud')), '…nor as a merged row, which would still be under 5');
  assert.deepEqual(lines.at(-1), [M, 'kokku', '8']);

  // Scan every published file: no ID codes, no voter names, no group under 5.
  for (const d of dataset.distributions) {
    const text = (await downloadFile(ctx, change.name, 1, d.id)).content.toString();
    for (const m of text.matchAll(/(?<!\d)[1-8]\d{10}(?!\d)/g))
      assert.ok(!isValidIdCode(m[0]), `no ID code in ${d.filename}`);
    for (const p of people) {
      assert.ok(!text.includes(p.idCode));
      assert.ok(!text.includes(`${p.name[0]} ${p.name[1]}`), `no voter's name in ${d.filename}`);
    }
    for (const f of d.csv!.fields.filter((x) => x.kind === 'groupSize')) {
      const col = text.split('\r\n')[0]!.split(',').indexOf(f.name);
      for (const row of text.trim().split('\r\n').slice(1))
        assert.ok(Number(row.split(',')[col]) >= 5, `group ≥ 5 in ${d.filename}: ${row}`);
    }
  }

  // Running again changes nothing; a second vote adds its own dataset.
  const again = await runProviders(ctx, [providerOf('participation.vote-results')], {
    trigger: 'schedule',
    municipalities: [M],
  });
  assert.equal(again[0]!.changes.find((c) => c.key === vote.id)?.change, 'unchanged');
  const second = await closedPoll(
    'Koerte jalutusväljak',
    given.slice(0, 5).map((g) => ({ settlement: settlements[0]!, name: [g, 'Teine'] as [string, string] })),
  );
  assert.equal(await jobs.drain(AUTO_PUBLISH_JOB), 1);
  const found = await searchPublished(ctx, { q: 'Küsitluse tulemused', fq: 'origin:auto', rows: 10, start: 0 });
  assert.deepEqual(found.results.map((r) => r.title.et).sort(), [
    'Küsitluse tulemused: Koerte jalutusväljak',
    'Küsitluse tulemused: Pargi rajamine',
  ]);
  const latest = await publicationLog(ctx, admin, M);
  const secondChange = (latest[0]!.changes as { key: string; change: string }[]).find((c) => c.key === second.vote.id);
  assert.equal(secondChange?.change, 'new');
});

test('Anna Teada reports: statistics and anonymised reports (no description, reporter or photo; location to ~100 m)', async () => {
  await asOwner(platform.ownerUrl, async (c) => {
    for (const [i, desc] of ['Auk teel, teatas Mari Maasikas', 'Tänavavalgusti ei põle', 'Prügikast täis'].entries()) {
      await c.query(
        `INSERT INTO report (municipality_code, category_code, status, description, address, lat, lon, channel, reporter_person_id, reporter_name, created_at, updated_at, closed_at)
         VALUES ($1, $2, $3, $4, 'Riia 1', $5, $6, 'web', $7, 'Mari Maasikas', now() - interval '3 days', now(), $8)`,
        [
          M,
          i === 1 ? 'valgustus' : 'teed',
          i === 0 ? 'fixed' : 'open',
          desc,
          58.3776 + i / 1000,
          26.729 + i / 10000,
          resident.id,
          i === 0 ? new Date() : null,
        ],
      );
    }
  });
  const r = await runProvider(ctx, providerOf('reports.statistics'), M, 'manual');
  assert.equal(r?.status, 'published', JSON.stringify(r));
  const name = r!.changes[0]!.name!;
  const { dataset } = await publicDataset(ctx, name);
  const files = await Promise.all(
    dataset.distributions.map(async (d) => (await downloadFile(ctx, name, 1, d.id)).content.toString()),
  );
  const [monthly, reports] = files;
  assert.match(monthly!, /^month,category_code,category,reports,closed,median_days_to_close\r\n/);
  assert.match(monthly!, /,teed,,2,1,3\r\n/);
  const rows = reports!
    .trim()
    .split('\r\n')
    .map((l) => l.split(','));
  assert.deepEqual(rows[0], ['id', 'date', 'category_code', 'status', 'settlement_code', 'lat', 'lon', 'closed']);
  assert.equal(rows[1]![5], '58.378');
  assert.equal(rows[1]![6], '26.729');
  for (const text of files) {
    assert.ok(
      !text.includes('Maasikas') && !text.includes('Riia') && !text.includes('Auk teel'),
      'no reporter, address or description',
    );
  }
});
