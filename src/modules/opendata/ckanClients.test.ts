import { test } from 'node:test';
import assert from 'node:assert/strict';
import { testPlatform, makePerson, grantRole, sessionFor } from '../../../test/support/app';
import { asOwner } from '../../../test/support/db';
import { inScope } from '../../platform/db/database';
import { issueApiKey } from '../../platform/auth/apiKeys';
import { actorOf, publishTestDataset } from './testSupport';
import { createDataset } from './createDataset';
import { addLinkDistribution } from './addDistribution';
import { submitForReview } from './submitForReview';
import { upsertPublished } from './publishing';
import { stableUuid } from './vocab';
import { findPublished } from './search';
import type { DatasetSnapshot } from './snapshot';

/**
 * The CKAN API as its real clients use it, request for request:
 * - ckanext-harvest's CKAN harvester (harvesters/ckanharvester.py): package_search on
 *   /api/3/action with rows=100, start=0,100,…, sort "id asc", its fq filters and, after a good
 *   harvest, `metadata_modified:[<last gather start − 1 h, Python isoformat>Z TO *]`, paging until
 *   an empty page (failing if a page repeats); then organization_show / group_show for remote
 *   organisations and groups, and package_show per dataset;
 * - the `ckanapi` client (ckanapi/common.py prepare_action): POST /api/action/<name> with a JSON
 *   body and the key in both `Authorization` and `X-CKAN-API-Key`, or GET with the parameters in
 *   the query string (get_only); errors read from `error.__type`.
 * Field and range queries are checked against result sets worked out by hand.
 */
const { app, ctx, ownerUrl } = await testPlatform();
const T = '0793'; // Tartu linn → organisation tartu-linn
const L = '0784'; // Tallinn → tallinn

const p = await makePerson(ctx, { givenName: 'Kaia', familyName: 'Kataloog' });
for (const code of [T, L, '0000']) await grantRole(ctx, code, p.id, 'admin');
const admin = actorOf(p.id, [
  [T, 'admin'],
  [L, 'admin'],
  ['0000', 'admin'],
]);

const notes = (et: string, en: string) => ({
  descriptionEt: et,
  descriptionEn: en,
  contactEmail: 'avaandmed@example.ee',
});
const csv = (name: string) => [{ name, content: 'a,b\n1,2\n' }];
const hand = {
  A: await publishTestDataset(
    ctx,
    admin,
    T,
    {
      titleEt: 'Kaasav eelarve 2025',
      titleEn: 'Participatory budget 2025',
      shortName: 'kaasav-eelarve',
      ...notes('Elanike ettepanekud ja hääletuse tulemused.', 'Residents’ proposals and the results of the vote.'),
      themes: ['GOVE'],
      keywordsEt: ['eelarve', 'kaasamine'],
      frequency: 'ANNUAL',
    },
    csv('kaasav.csv'),
  ),
  B: await publishTestDataset(
    ctx,
    admin,
    T,
    {
      titleEt: 'Koolide eelarve',
      titleEn: 'School budget',
      shortName: 'koolide-eelarve',
      ...notes('Koolide kulud valdkondade kaupa aastal 2024.', 'Spending of schools by field in 2024.'),
      themes: ['EDUC', 'ECON'],
      keywordsEt: ['eelarve', 'haridus'],
      licenseId: 'CC0-1.0',
      frequency: 'ANNUAL',
    },
    [],
    [{ url: 'https://example.ee/koolid.json', format: 'JSON' }],
  ),
  C: await publishTestDataset(
    ctx,
    admin,
    T,
    {
      titleEt: 'Tänavavalgustus',
      titleEn: 'Street lighting',
      shortName: 'valgustus',
      ...notes('Valgustite rikked ja parandused kuude kaupa.', 'Faults and repairs of street lights by month.'),
      themes: ['TRAN'],
      keywordsEt: ['valgustus'],
      frequency: 'MONTHLY',
    },
    csv('valgustus.csv'),
  ),
  D: await publishTestDataset(
    ctx,
    admin,
    L,
    {
      titleEt: 'Eelarvestrateegia',
      titleEn: 'Budget strategy',
      shortName: 'eelarvestrateegia',
      ...notes('Linna eelarvestrateegia neljaks aastaks.', 'The city’s budget strategy for four years.'),
      themes: ['ECON'],
      keywordsEt: ['strateegia'],
      frequency: 'ANNUAL',
    },
    csv('strateegia.csv'),
  ),
  E: await publishTestDataset(
    ctx,
    admin,
    L,
    {
      titleEt: 'Lasteaiad ja koolid',
      titleEn: 'Kindergartens and schools',
      shortName: 'lasteaiad',
      ...notes('Lasteaedade ja koolide aadressid ning kohad.', 'Addresses and places of kindergartens and schools.'),
      themes: ['EDUC'],
      keywordsEt: ['haridus', 'lasteaed'],
      frequency: 'IRREG',
    },
    [],
    [{ url: 'https://example.ee/koolid.html', format: 'HTML' }],
  ),
  F: await publishTestDataset(
    ctx,
    admin,
    '0000',
    {
      titleEt: 'Omavalitsuste kontaktid',
      titleEn: 'Contacts of municipalities',
      shortName: 'kontaktid',
      ...notes('Omavalitsuste aadressid ja telefonid.', 'Addresses and phone numbers of municipalities.'),
      themes: ['GOVE'],
      frequency: 'IRREG',
    },
    csv('kontaktid.csv'),
  ),
};
const nameOf = Object.fromEntries(Object.entries(hand).map(([k, v]) => [k, v.name])) as Record<
  keyof typeof hand,
  string
>;
const letters = (names: string[]) =>
  names
    .map((n) => Object.entries(nameOf).find(([, v]) => v === n)?.[0] ?? n)
    .sort()
    .join('');

// Known times: created/modified as CKAN shows them (and as the columns the search reads hold).
await asOwner(ownerUrl, async (c) => {
  const set = async (name: string, created: string, modified: string) => {
    await c.query(
      `UPDATE opendata_published SET metadata_created = $2::timestamptz, metadata_modified = $3::timestamptz,
         snapshot = jsonb_set(jsonb_set(snapshot, '{issued}', to_jsonb($2::timestamptz AT TIME ZONE 'UTC' || 'Z')), '{modified}', to_jsonb(to_char($3::timestamptz AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')))
       WHERE name = $1`,
      [name, created, modified],
    );
  };
  await set(nameOf.A, '2023-01-10T09:00:00Z', '2025-06-01T10:00:00Z');
  await set(nameOf.B, '2024-03-05T08:00:00Z', '2024-03-05T08:00:00Z');
  await set(nameOf.C, '2020-05-05T00:00:00Z', new Date(Date.now() - 2 * 3600_000).toISOString());
  await set(nameOf.D, '2024-12-31T23:59:59Z', '2025-01-01T00:00:00Z');
  await set(nameOf.E, '2025-01-01T00:00:00Z', new Date(Date.now() - 3 * 86400_000).toISOString());
  await set(nameOf.F, '2019-01-01T00:00:00Z', '2019-01-01T00:00:00Z');
});

// ---- ckanext-harvest's CKAN harvester, replayed over a catalogue that needs several pages.

const many: { id: string; name: string; modified: string }[] = [];
{
  const base = Date.parse('2026-01-01T00:00:00Z');
  const template = (await findPublished(ctx, nameOf.D))!;
  await inScope(ctx.db, { tenant: L }, async (trx) => {
    for (let i = 0; i < 230; i++) {
      const id = `00000000-0000-4000-8000-${String(i * 7919).padStart(12, '0')}`;
      const name = `tallinn-andmestik-${i}`;
      const modified = new Date(base + i * 3600_000).toISOString();
      await trx
        .insertInto('opendata_dataset')
        .values({
          municipality_code: L,
          id,
          name,
          origin: 'manual',
          state: 'published',
          title_et: `Andmestik ${i}`,
          title_en: `Dataset ${i}`,
          description_et: 'Harvesteri test.',
          description_en: 'Harvester test.',
          frequency: 'IRREG',
          license_id: 'CC-BY-4.0',
          access_rights: 'PUBLIC',
          current_version: 1,
        })
        .execute();
      const s: DatasetSnapshot = {
        ...template,
        id,
        name,
        title: { et: `Andmestik ${i}`, en: `Dataset ${i}` },
        themes: [i % 2 ? 'ECON' : 'ENVI'],
        keywords: { et: [], en: [] },
        issued: modified,
        modified,
        distributions: [],
      };
      await upsertPublished(trx, s);
      many.push({ id, name, modified });
    }
  });
}

/** CKAN's envelope {help, success, result | error}, read as JSON as a client reads it. */
type Envelope = ReturnType<typeof JSON.parse>;
async function call(
  method: 'GET' | 'POST',
  url: string,
  opts: { body?: unknown; headers?: Record<string, string> } = {},
) {
  const res = await app.inject({
    method,
    url,
    headers: { ...(opts.body !== undefined ? { 'content-type': 'application/json' } : {}), ...opts.headers },
    ...(opts.body !== undefined ? { payload: JSON.stringify(opts.body) } : {}),
  });
  return { status: res.statusCode, body: JSON.parse(res.body) as Envelope, raw: res.body };
}
const search = async (params: Record<string, string>) => {
  const r = await call('GET', `/api/3/action/package_search?${new URLSearchParams({ rows: '1000', ...params })}`);
  assert.equal(r.status, 200, `${JSON.stringify(params)}: ${r.raw.slice(0, 300)}`);
  return r.body.result as { count: number; results: { name: string; id: string; private: boolean }[] };
};

/** The hand-made datasets among results (the harvester's 230 are checked in their own test). */
const hands = (results: { name: string }[]) =>
  results.map((x) => x.name).filter((n) => !n.startsWith('tallinn-andmestik-'));

test('field, range, boolean, phrase and wildcard queries give the result sets worked out by hand', async () => {
  const tallinnId = stableUuid(`org:${L}`);
  const cases: [Record<string, string>, string][] = [
    [{ q: 'title:eelarve' }, 'AB'],
    [{ q: 'title:eelarve*' }, 'ABD'],
    [{ q: 'title:"kaasav eelarve"' }, 'A'],
    [{ q: 'title:"eelarve kaasav"' }, ''],
    [{ q: 'title:tänavavalgustus OR title:lasteaiad' }, 'CE'],
    [{ q: 'notes:koolide' }, 'BE'],
    [{ fq: 'tags:eelarve' }, 'AB'],
    [{ fq: 'tags:haridus -organization:tallinn' }, 'B'],
    [{ fq: 'tags:haridus AND NOT organization:tallinn' }, 'B'],
    [{ fq: 'organization:tallinn' }, 'DE'],
    [{ fq: '(organization:tallinn OR organization:elvl) AND res_format:CSV' }, 'DF'],
    [{ fq: 'groups:educ' }, 'BE'],
    [{ fq: 'license_id:CC0-1.0' }, 'B'],
    [{ fq: 'name:tartu-linn-*' }, 'ABC'],
    [{ fq: 'name:tallinn-?asteaiad' }, 'E'],
    [{ fq: 'tags:*' }, 'ABCDE'],
    [{ fq: `owner_org:${tallinnId}` }, 'DE'],
    [{ fq: `id:${hand.A.id}` }, 'A'],
    [{ fq: 'capacity:public' }, 'ABCDEF'],
    [{ fq: 'capacity:private' }, ''],
    [{ fq: '+state:active +dataset_type:dataset' }, 'ABCDEF'],
    [{ fq: '*:*' }, 'ABCDEF'],
    [{ fq: 'metadata_modified:[2020-01-01T00:00:00Z TO *]' }, 'ABCDE'],
    [{ fq: 'metadata_modified:[* TO 2025-01-01T00:00:00Z]' }, 'BDF'],
    [{ fq: 'metadata_modified:[* TO 2025-01-01T00:00:00Z}' }, 'BF'],
    [{ fq: 'metadata_modified:[NOW-1DAY TO *]' }, 'C'],
    [{ fq: 'metadata_modified:[NOW-7DAYS TO NOW-1DAY]' }, 'E'],
    [{ fq: 'metadata_modified:[NOW-1YEAR/YEAR TO NOW]' }, 'CE'],
    [{ fq: 'metadata_created:[2024-01-01T00:00:00Z TO 2024-12-31T23:59:59Z]' }, 'BD'],
    [{ fq: 'metadata_created:{2024-01-01T00:00:00Z TO 2024-12-31T23:59:59Z}' }, 'B'],
    [{ fq: 'metadata_created:[2024-12-31T23:59:59.000000Z TO 2025-01-01T00:00:00Z]' }, 'DE'],
    // DisMax q (no colon): words match word beginnings anywhere; up to two words all must match, three: any two.
    [{ q: 'eelarve' }, 'ABD'],
    [{ q: 'eelarve kool' }, 'B'],
    [{ q: 'eelarve koolide tallinn' }, 'BDE'], // E: “koolide” in its description, Tallinn its publisher
    [{ q: '+eelarve -kaasav' }, 'BD'],
    [{ q: '"eelarve 2025"' }, 'A'],
    // Lucene's classic parser, as Solr runs CKAN's fq: next to a required clause, OR-ed clauses only rank.
    [{ fq: 'organization:tallinn OR organization:elvl metadata_modified:[2020-01-01T00:00:00Z TO *]' }, 'ABCDE'],
  ];
  // NOW-1YEAR/YEAR needs the two recent datasets in this calendar year and the others not.
  for (const [params, expected] of cases) {
    const r = await search(params);
    if (params.fq === 'metadata_modified:[NOW-1YEAR/YEAR TO NOW]') {
      const start = Date.UTC(new Date().getUTCFullYear() - 1, 0, 1);
      const want = [...'ABCDEF'].filter((k) => {
        const modified = {
          A: '2025-06-01T10:00:00Z',
          B: '2024-03-05T08:00:00Z',
          D: '2025-01-01T00:00:00Z',
          F: '2019-01-01T00:00:00Z',
        }[k];
        return modified === undefined || Date.parse(modified) >= start;
      });
      assert.equal(letters(hands(r.results)), want.join(''), JSON.stringify(params));
      continue;
    }
    assert.equal(letters(hands(r.results)), expected, JSON.stringify(params));
    assert.equal(
      r.count - (r.results.length - hands(r.results).length),
      expected.length,
      `count of ${JSON.stringify(params)}`,
    );
  }
});

test('malformed q and fq answer CKAN’s error objects (409 Search Error; a bad sort 400 Search Query Error), never a 500', async () => {
  const bad: [Record<string, string>, number, string, RegExp][] = [
    [{ fq: 'title:"unbalanced' }, 409, 'Search Error', /Cannot parse/],
    [{ q: 'title:(eelarve' }, 409, 'Search Error', /not closed/],
    [{ fq: 'metadata_modified:[2020-01-01T00:00:00Z TO *' }, 409, 'Search Error', /range/],
    [{ fq: 'unknown_field:x' }, 409, 'Search Error', /undefined field unknown_field/],
    [{ fq: 'metadata_modified:[2020-01-01 TO *]' }, 409, 'Search Error', /Invalid Date String:'2020-01-01'/],
    [{ fq: 'metadata_modified:[NOW-1FORTNIGHT TO *]' }, 409, 'Search Error', /Invalid Date Math String/],
    [{ fq: 'title:eelarve AND' }, 409, 'Search Error', /Cannot parse/],
    [{ q: '{!lucene}title:x' }, 409, 'Search Error', /Local parameters/],
    [{ fq: 'title:eelarve~2' }, 409, 'Search Error', /fuzzy/],
    [{ sort: 'name up' }, 400, 'Search Query Error', /Invalid "sort" parameter/],
    [{ sort: 'popularity desc' }, 409, 'Search Error', /sort param field/],
  ];
  for (const [params, status, type, message] of bad) {
    for (const prefix of ['/api/3/action', '/api/action']) {
      const r = await call('GET', `${prefix}/package_search?${new URLSearchParams(params)}`);
      assert.equal(r.status, status, `${JSON.stringify(params)}: ${r.raw.slice(0, 200)}`);
      assert.equal(r.body.success, false);
      assert.equal(r.body.error?.__type, type, JSON.stringify(params));
      assert.match(r.body.error!.message, message, JSON.stringify(params));
      assert.match(r.body.help, /help_show\?name=package_search$/);
    }
  }
});

/** The harvester's _search_for_datasets: rows=100, sort id asc, fq joined with spaces, until an empty page. */
async function harvesterSearch(fqTerms: string[], headers: Record<string, string> = {}) {
  const params: Record<string, string> = { rows: '100', start: '0', sort: 'id asc' };
  if (fqTerms.length) params.fq = fqTerms.join(' ');
  const found: { id: string; name: string; metadata_modified: string; owner_org: string; groups: { id: string }[] }[] =
    [];
  let previous: string | undefined;
  let requests = 0;
  for (;;) {
    const res = await app.inject({
      method: 'GET',
      url: `/api/3/action/package_search?${new URLSearchParams(params)}`,
      headers,
    });
    requests++;
    assert.equal(res.statusCode, 200, res.body.slice(0, 300));
    assert.notEqual(res.body, previous, "the paging doesn't seem to work");
    previous = res.body;
    const page = JSON.parse(res.body).result.results as (typeof found)[number][];
    const seen = new Set(found.map((x) => x.id));
    found.push(...page.filter((x) => !seen.has(x.id)));
    if (page.length === 0) break;
    params.start = String(Number(params.start) + Number(params.rows));
  }
  return { found, requests };
}

test('ckanext-harvest: the full harvest pages through everything by id, the incremental one gets exactly what changed', async () => {
  const all = (await search({ rows: '0' })).count;
  assert.equal(all, 236);
  const full = await harvesterSearch([]);
  assert.equal(full.found.length, 236);
  assert.equal(full.requests, 4, '100 + 100 + 36 + the empty page');
  const ids = full.found.map((x) => x.id);
  assert.deepEqual(ids, [...ids].sort(), 'sorted by id, as asked');

  // The next run: since the last error-free gather start − 1 h, written by Python's isoformat() (microseconds) + "Z".
  const lastGatherStarted = new Date(Date.parse('2026-01-05T12:00:00Z') + 123);
  const since = new Date(lastGatherStarted.getTime() - 3600_000).toISOString().replace('Z', '456');
  assert.match(since, /^2026-01-05T11:00:00\.123456$/);
  const fqSince = `metadata_modified:[${since}Z TO *]`;
  const incremental = await harvesterSearch([fqSince]);
  const expected = [
    ...many.filter((m) => m.modified >= '2026-01-05T11:00:00.123Z').map((m) => m.id),
    hand.C.id,
    hand.E.id,
  ].sort();
  assert.deepEqual(
    incremental.found.map((x) => x.id),
    expected,
  );
  assert.equal(expected.length, 230 - 108 + 2, 'hours 108 to 229 of the 230, and the two recent ones');

  // With the harvester's organisation and group filters.
  const excl = await harvesterSearch(['-organization:tartu-linn', '-groups:envi', fqSince]);
  assert.deepEqual(
    excl.found.map((x) => x.id),
    [
      ...many.filter((m, i) => m.modified >= '2026-01-05T11:00:00.123Z' && i % 2 === 1).map((m) => m.id),
      hand.E.id,
    ].sort(),
  );
  const incl = await harvesterSearch(['organization:tartu-linn', fqSince]);
  assert.deepEqual(
    incl.found.map((x) => x.id),
    [hand.C.id],
  );

  // Nothing changed since now: an empty first page, which the harvester reads as "nothing to do".
  const none = await harvesterSearch([
    `metadata_modified:[${new Date(Date.now() + 60_000).toISOString().replace('Z', '000')}Z TO *]`,
  ]);
  assert.equal(none.found.length, 0);

  // Import stage: remote organisations and groups looked up, then package_show per dataset equals what the search gave.
  const sample = incremental.found.filter((x) => [hand.C.id, hand.E.id].includes(x.id) || x.id === expected[0]);
  for (const pkg of sample) {
    const org = await call('GET', `/api/3/action/organization_show?id=${pkg.owner_org}`);
    assert.equal(org.status, 200);
    assert.equal(org.body.result.id, pkg.owner_org);
    for (const g of pkg.groups) {
      const group = await call('GET', `/api/3/action/group_show?id=${g.id}`);
      assert.equal(group.status, 200, group.raw.slice(0, 200));
      assert.equal(group.body.result.id, g.id);
    }
    const shown = await call('GET', `/api/3/action/package_show?id=${pkg.id}`);
    assert.equal(shown.status, 200);
    assert.deepEqual(shown.body.result, pkg, 'package_show gives what package_search gave');
    assert.match(shown.body.result.metadata_modified, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?$/, 'naive UTC, as CKAN');
  }
});

test('ckanapi: POST JSON to /api/action/<name> with the key in Authorization and X-CKAN-API-Key, GET for get_only', async () => {
  const { key } = await issueApiKey(ctx, admin, T, { name: 'Harvester', scopes: ['opendata.read-private'] });
  const headers = {
    authorization: key,
    'x-ckan-api-key': key,
    'user-agent': 'ckanapi/4.7 (+https://github.com/ckan/ckanapi)',
  };
  const post = await call('POST', '/api/action/package_search', {
    body: { fq: 'tags:eelarve', sort: 'name asc', rows: 10 },
    headers,
  });
  assert.equal(post.status, 200, post.raw.slice(0, 300));
  assert.equal(post.body.success, true);
  assert.deepEqual(
    post.body.result.results.map((r: { name: string }) => r.name),
    [nameOf.A, nameOf.B],
  );
  const get = await call('GET', `/api/action/package_show?id=${nameOf.A}`, { headers });
  assert.equal(get.body.result.id, hand.A.id);
  const v3 = await call('POST', '/api/3/action/package_show', { body: { id: hand.A.id }, headers });
  assert.deepEqual(v3.body.result, get.body.result, '/api/action and /api/3/action answer the same');

  const resource = get.body.result.resources[0];
  const shown = await call('POST', '/api/action/resource_show', { body: { id: resource.id }, headers });
  assert.equal(shown.status, 200, shown.raw.slice(0, 300));
  assert.deepEqual(shown.body.result, resource);
  const viaGet = await call('GET', `/api/3/action/resource_show?id=${resource.id}`);
  assert.deepEqual(viaGet.body.result, resource);

  const nf = await call('POST', '/api/action/resource_show', {
    body: { id: '00000000-0000-4000-8000-999999999999' },
    headers,
  });
  assert.equal(nf.status, 404);
  assert.equal(nf.body.error?.__type, 'Not Found Error');
  const missing = await call('POST', '/api/action/resource_show', { body: {}, headers });
  assert.equal(missing.status, 409);
  assert.equal(missing.body.error?.__type, 'Validation Error');
  const unknown = await call('POST', '/api/action/package_create', { body: { name: 'x' }, headers });
  assert.equal(unknown.status, 400);

  for (const action of ['status_show', 'organization_list', 'group_list', 'license_list', 'tag_list', 'package_list']) {
    const r = await call('POST', `/api/action/${action}`, { body: {}, headers });
    assert.equal(r.status, 200, action);
    assert.equal(r.body.success, true, action);
  }
  const group = await call('POST', '/api/action/group_show', { body: { id: 'educ', include_datasets: true } });
  assert.equal(group.body.result.package_count, 2);
  assert.deepEqual(group.body.result.packages.map((x: { name: string }) => x.name).sort(), [nameOf.B, nameOf.E].sort());
});

test('include_private: unpublished datasets for keys and officials with rights, nobody else', async () => {
  const draft = await createDataset(ctx, admin, T, {
    titleEt: 'Eelarve eelnõu 2026',
    titleEn: 'Draft budget 2026',
    shortName: 'eelarve-eelnou',
    keywordsEt: ['eelarve'],
    themes: ['ECON'],
    ...notes('Eelarve eelnõu, veel avaldamata.', 'The draft budget, not yet published.'),
  });
  await addLinkDistribution(ctx, admin, T, draft.id, {
    url: 'https://example.ee/eelnou.pdf',
    format: 'PDF',
    titleEt: 'Eelnõu',
    titleEn: 'Draft',
  });
  const review = await createDataset(ctx, admin, L, {
    titleEt: 'Eelarve ülevaatusel',
    titleEn: 'Budget in review',
    shortName: 'eelarve-ulevaatusel',
    keywordsEt: ['eelarve'],
    themes: ['ECON'],
    frequency: 'ANNUAL',
    ...notes('Eelarve, mis ootab avaldamist.', 'A budget waiting to be published.'),
  });
  await addLinkDistribution(ctx, admin, L, review.id, {
    url: 'https://example.ee/ulevaatus.csv',
    format: 'CSV',
    titleEt: 'Andmed',
    titleEn: 'Data',
  });
  await submitForReview(ctx, admin, L, review.id);

  const withKey = (key: string) => ({ authorization: key });
  const tartuKey = (await issueApiKey(ctx, admin, T, { name: 'Tartu portaal', scopes: ['opendata.read-private'] })).key;
  const plainKey = (await issueApiKey(ctx, admin, T, { name: 'Ilma õiguseta', scopes: ['reports.read'] })).key;
  const elvlKey = (await issueApiKey(ctx, admin, '0000', { name: 'ELVL', scopes: ['opendata.read-private'] })).key;
  const names = async (headers: Record<string, string>, extra: Record<string, string> = {}) => {
    const r = await call(
      'GET',
      `/api/3/action/package_search?${new URLSearchParams({ fq: 'tags:eelarve', sort: 'name asc', include_private: 'true', ...extra })}`,
      { headers },
    );
    assert.equal(r.status, 200, r.raw.slice(0, 300));
    return (r.body.result.results as { name: string; private: boolean }[]).map(
      (x) => `${x.name}${x.private ? ' (private)' : ''}`,
    );
  };
  const pub = [nameOf.A, nameOf.B];
  assert.deepEqual(await names({}), pub, 'anonymous: public only');
  assert.deepEqual(
    await names(withKey('kov_notAKeyAtAll_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx')),
    pub,
    'an unknown key counts as none',
  );
  assert.deepEqual(await names(withKey(plainKey)), pub, 'a key without the scope');
  assert.deepEqual(await names(withKey(tartuKey), { include_private: 'false' }), pub, 'not asked for');
  assert.deepEqual((await names(withKey(tartuKey))).sort(), [...pub, `${draft.name} (private)`].sort());
  assert.deepEqual(
    (await names({ 'x-ckan-api-key': elvlKey })).sort(),
    [...pub, `${draft.name} (private)`, `${review.name} (private)`].sort(),
  );
  const editor = await makePerson(ctx, { givenName: 'Eda', familyName: 'Toimetaja' });
  await grantRole(ctx, L, editor.id, 'editor');
  const session = await sessionFor(ctx, editor.id);
  assert.deepEqual(
    (await names({ cookie: session.cookie })).sort(),
    [...pub, `${review.name} (private)`].sort(),
    'an official of Tallinn',
  );

  // Field queries reach private datasets the same way (title words, capacity).
  const priv = await call(
    'GET',
    `/api/3/action/package_search?${new URLSearchParams({ fq: 'capacity:private title:eelnõu', include_private: 'true' })}`,
    { headers: withKey(tartuKey) },
  );
  assert.deepEqual(
    priv.body.result.results.map((x: { name: string }) => x.name),
    [draft.name],
  );

  const shown = await call('GET', `/api/3/action/package_show?id=${draft.name}`, { headers: withKey(tartuKey) });
  assert.equal(shown.status, 200);
  assert.equal(shown.body.result.private, true);
  assert.equal(shown.body.result.resources[0].url, 'https://example.ee/eelnou.pdf');
  const res = await call('GET', `/api/3/action/resource_show?id=${shown.body.result.resources[0].id}`, {
    headers: withKey(tartuKey),
  });
  assert.equal(res.status, 200);
  for (const headers of [{}, withKey(plainKey)]) {
    const hidden = await call('GET', `/api/3/action/package_show?id=${draft.id}`, { headers });
    assert.equal(hidden.status, 404, 'for others an unpublished dataset does not exist');
    const hiddenRes = await call('GET', `/api/3/action/resource_show?id=${shown.body.result.resources[0].id}`, {
      headers,
    });
    assert.equal(hiddenRes.status, 404);
  }
  const list = await call('GET', '/api/3/action/package_list', { headers: withKey(tartuKey) });
  assert.ok(!list.body.result.includes(draft.name), 'package_list lists public datasets only, as in CKAN');
});
