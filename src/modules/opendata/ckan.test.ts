import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { testPlatform } from '../../../test/support/app';
import { testCatalogue } from './testSupport';

/**
 * The CKAN Action API as CKAN's API documentation describes it (docs.ckan.org, "API guide" and
 * ckan.logic.action.get): the envelope {help, success, result}, package_list, package_show,
 * package_search (q, fq, rows, start, sort, facet.field, search_facets), organization_list,
 * errors with __type; plus datapackage.json and downloads.
 */
const M = '0793';
const { app, ctx } = await testPlatform();
const cat = await testCatalogue(ctx, M);
const get = async (url: string) => {
  const res = await app.inject({ method: 'GET', url });
  return { status: res.statusCode, body: JSON.parse(res.body), headers: res.headers, raw: res.rawPayload };
};

test('every answer has CKAN’s envelope: help (a URL), success, result', async () => {
  const r = await get('/api/3/action/package_list');
  assert.equal(r.status, 200);
  assert.deepEqual(Object.keys(r.body).sort(), ['help', 'result', 'success']);
  assert.equal(r.body.success, true);
  assert.match(r.body.help, /\/api\/3\/action\/help_show\?name=package_list$/);
  assert.deepEqual(r.body.result, [
    'elvl-kontaktid',
    'tartu-linn-eelarve-2024',
    'tartu-linn-transport',
    'tartu-linn-valgustus',
  ]);
  assert.equal(r.headers['access-control-allow-origin'], '*');
  assert.deepEqual((await get('/api/3/action/package_list?limit=2&offset=1')).body.result, [
    'tartu-linn-eelarve-2024',
    'tartu-linn-transport',
  ]);
  const help = await get('/api/3/action/help_show?name=package_search');
  assert.match(help.body.result, /facet\.field/);
  assert.deepEqual((await get('/api/3')).body, { version: 3 });
});

test('package_show returns the documented package fields, by name or by id', async () => {
  const r = await get(`/api/3/action/package_show?id=${cat.budget.name}`);
  assert.equal(r.status, 200);
  const p = r.body.result;
  for (const key of [
    'id',
    'name',
    'title',
    'notes',
    'license_id',
    'license_title',
    'license_url',
    'metadata_created',
    'metadata_modified',
    'state',
    'private',
    'type',
    'url',
    'version',
    'num_resources',
    'num_tags',
    'organization',
    'owner_org',
    'resources',
    'tags',
    'groups',
    'extras',
    'maintainer',
    'maintainer_email',
    'isopen',
  ]) {
    assert.ok(key in p, `package has ${key}`);
  }
  assert.equal(p.name, 'tartu-linn-eelarve-2024');
  assert.equal(p.title, 'Eelarve 2024');
  assert.deepEqual(p.title_translated, { et: 'Eelarve 2024', en: 'Dataset 1' });
  assert.equal(p.license_id, 'CC-BY-4.0');
  assert.equal(p.state, 'active');
  assert.equal(p.type, 'dataset');
  assert.equal(p.private, false);
  assert.equal(p.isopen, true);
  assert.equal(p.organization.name, 'tartu-linn');
  assert.equal(p.organization.is_organization, true);
  assert.equal(p.owner_org, p.organization.id);
  assert.deepEqual(
    p.tags.map((t: { name: string }) => t.name),
    ['eelarve', 'raha', 'budget'],
  );
  assert.deepEqual(
    p.groups.map((g: { name: string }) => g.name),
    ['econ', 'gove'],
  );
  assert.equal(p.num_resources, 1);
  const res = p.resources[0];
  for (const key of [
    'id',
    'package_id',
    'name',
    'url',
    'format',
    'mimetype',
    'size',
    'hash',
    'created',
    'last_modified',
    'position',
    'state',
  ])
    assert.ok(key in res, `resource has ${key}`);
  assert.equal(res.format, 'CSV');
  assert.equal(res.package_id, p.id);
  assert.ok(
    p.extras.some((e: { key: string; value: string }) => e.key === 'temporal_start' && e.value === '2024-01-01'),
  );
  assert.match(p.metadata_modified, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}/);

  // The resource URL downloads exactly the file whose hash is given.
  const file = await app.inject({ method: 'GET', url: new URL(res.url).pathname });
  assert.equal(file.statusCode, 200);
  assert.match(String(file.headers['content-type']), /^text\/csv/);
  assert.equal(`sha256:${createHash('sha256').update(file.rawPayload).digest('hex')}`, res.hash);
  assert.equal(file.rawPayload.length, res.size);

  const byId = await get(`/api/3/action/package_show?id=${p.id}`);
  assert.equal(byId.body.result.name, p.name);
});

test('errors: not found, missing id, unknown action, bad rows — CKAN’s __type and status', async () => {
  const nf = await get('/api/3/action/package_show?id=no-such-dataset');
  assert.equal(nf.status, 404);
  assert.equal(nf.body.success, false);
  assert.deepEqual(nf.body.error, { __type: 'Not Found Error', message: 'Not found' });
  assert.match(nf.body.help, /help_show\?name=package_show/);
  const missing = await get('/api/3/action/package_show');
  assert.equal(missing.status, 409);
  assert.equal(missing.body.error.__type, 'Validation Error');
  assert.deepEqual(missing.body.error.id, ['Missing value']);
  const unknown = await get('/api/3/action/package_delete');
  assert.equal(unknown.status, 400);
  assert.match(unknown.body.error.message, /Action name not known: package_delete/);
  const rows = await get('/api/3/action/package_search?rows=abc');
  assert.equal(rows.status, 409);
  assert.deepEqual(rows.body.error.rows, ['Invalid integer']);
  const field = await get('/api/3/action/package_search?fq=secret_field:x');
  assert.equal(field.status, 409);
  // As CKAN answers a query Solr refuses (ckan/views/api.py: SearchError → 409 'Search Error').
  assert.equal(field.body.error.__type, 'Search Error');
});

test('package_search: q, fq, rows, start, sort and facets with search_facets', async () => {
  const all = (await get('/api/3/action/package_search')).body.result;
  assert.equal(all.count, 4);
  assert.equal(all.results.length, 4, 'rows defaults to 10');
  assert.deepEqual(Object.keys(all).sort(), ['count', 'facets', 'results', 'search_facets', 'sort']);

  const q = (await get('/api/3/action/package_search?q=eelar')).body.result;
  assert.deepEqual(
    q.results.map((p: { name: string }) => p.name),
    ['tartu-linn-eelarve-2024'],
    'prefix search on the title',
  );
  const en = (await get('/api/3/action/package_search?q=budget')).body.result;
  assert.equal(en.count, 1, 'English keywords are searchable too');

  const fq = (
    await get(
      `/api/3/action/package_search?fq=${encodeURIComponent('organization:tartu-linn groups:tran')}&sort=${encodeURIComponent('name asc')}`,
    )
  ).body.result;
  assert.deepEqual(
    fq.results.map((p: { name: string }) => p.name),
    ['tartu-linn-transport', 'tartu-linn-valgustus'],
  );
  const neg = (
    await get(`/api/3/action/package_search?fq=${encodeURIComponent('organization:tartu-linn -res_format:CSV')}`)
  ).body.result;
  assert.deepEqual(
    neg.results.map((p: { name: string }) => p.name),
    ['tartu-linn-transport'],
  );
  const lic = (await get(`/api/3/action/package_search?fq=${encodeURIComponent('license_id:CC0-1.0')}`)).body.result;
  assert.equal(lic.count, 1);
  const fieldInQ = (await get(`/api/3/action/package_search?q=${encodeURIComponent('tags:valgustus')}`)).body.result;
  assert.equal(fieldInQ.count, 1);

  const page1 = (await get(`/api/3/action/package_search?rows=2&start=0&sort=${encodeURIComponent('name asc')}`)).body
    .result;
  const page2 = (await get(`/api/3/action/package_search?rows=2&start=2&sort=${encodeURIComponent('name asc')}`)).body
    .result;
  assert.equal(page1.count, 4);
  assert.deepEqual(
    [...page1.results, ...page2.results].map((p: { name: string }) => p.name),
    ['elvl-kontaktid', 'tartu-linn-eelarve-2024', 'tartu-linn-transport', 'tartu-linn-valgustus'],
  );

  const f = (
    await get(
      `/api/3/action/package_search?rows=0&facet.field=${encodeURIComponent('["organization","res_format","groups","license_id","tags"]')}`,
    )
  ).body.result;
  assert.equal(f.results.length, 0);
  assert.deepEqual(f.facets.organization, { 'tartu-linn': 3, elvl: 1 });
  assert.deepEqual(f.facets.res_format, { CSV: 3, JSON: 1, HTML: 1 });
  assert.equal(f.facets.groups.tran, 2);
  assert.equal(f.search_facets.organization.title, 'organization');
  assert.deepEqual(
    f.search_facets.organization.items.find((i: { name: string }) => i.name === 'tartu-linn'),
    { name: 'tartu-linn', display_name: 'Tartu linn', count: 3 },
  );
  assert.equal(f.search_facets.groups.items.find((i: { name: string }) => i.name === 'tran').display_name, 'Transport');
  const limited = (
    await get(`/api/3/action/package_search?rows=0&facet.limit=1&facet.field=${encodeURIComponent('["res_format"]')}`)
  ).body.result;
  assert.deepEqual(limited.facets.res_format, { CSV: 3 });

  const post = await app.inject({
    method: 'POST',
    url: '/api/3/action/package_search',
    payload: { q: 'valgustus', rows: 5 },
  });
  assert.equal(JSON.parse(post.body).result.count, 1, 'POST with a JSON body works as in CKAN');
});

test('organization_list, organization_show, group_list, license_list, tag_list', async () => {
  const names = (await get('/api/3/action/organization_list')).body.result;
  assert.equal(names.length, 79, 'the 78 municipalities and ELVL');
  assert.ok(names.includes('tartu-linn') && names.includes('elvl') && names.includes('tallinn'));
  const full = (
    await get(
      `/api/3/action/organization_list?all_fields=true&sort=${encodeURIComponent('package_count desc')}&limit=2`,
    )
  ).body.result;
  assert.deepEqual(
    full.map((o: { name: string; package_count: number }) => [o.name, o.package_count]),
    [
      ['tartu-linn', 3],
      ['elvl', 1],
    ],
  );
  const show = (await get('/api/3/action/organization_show?id=tartu-linn&include_datasets=true')).body.result;
  assert.equal(show.title, 'Tartu linn');
  assert.equal(show.packages.length, 3);
  assert.deepEqual((await get('/api/3/action/group_list')).body.result.slice(0, 3), ['agri', 'econ', 'educ']);
  assert.ok((await get('/api/3/action/license_list')).body.result.some((l: { id: string }) => l.id === 'CC-BY-4.0'));
  assert.ok((await get('/api/3/action/tag_list')).body.result.includes('eelarve'));
});

test('datapackage.json: a Frictionless Data Package with paths, sizes, hashes and the CSV schema', async () => {
  const r = await get(`/api/v1/opendata/datasets/${cat.budget.name}/datapackage.json`);
  assert.equal(r.status, 200);
  const dp = r.body;
  assert.equal(dp.$schema, 'https://datapackage.org/profiles/2.0/datapackage.json');
  assert.equal(dp.name, cat.budget.name);
  assert.deepEqual(dp.licenses, [
    {
      name: 'CC-BY-4.0',
      path: 'https://creativecommons.org/licenses/by/4.0/',
      title: 'Creative Commons Attribution 4.0',
    },
  ]);
  const res = dp.resources[0];
  assert.equal(res.name, 'eelarve');
  assert.equal(res.format, 'csv');
  assert.equal(res.mediatype, 'text/csv');
  assert.match(res.hash, /^sha256:[0-9a-f]{64}$/);
  assert.equal(res.dialect.delimiter, ';');
  assert.deepEqual(res.schema.fields, [
    { name: 'valdkond', type: 'string' },
    { name: 'summa', type: 'number', decimalChar: ',' },
  ]);
  const file = await app.inject({ method: 'GET', url: new URL(res.path).pathname });
  assert.equal(file.rawPayload.length, res.bytes);
});

test('public pages’ API: search with facets, the dataset with versions, the CSV preview', async () => {
  const s = (await get('/api/v1/opendata/search?q=valgustus')).body;
  assert.equal(s.count, 1);
  assert.ok(s.results[0].distributions[0].downloadUrl.includes('/versions/1/files/'));
  assert.ok(s.facets.res_format.some((f: { name: string }) => f.name === 'CSV'));
  const d = (await get(`/api/v1/opendata/datasets/${cat.lights.name}`)).body;
  assert.equal(d.versions.length, 1);
  const csv = d.dataset.distributions.find((x: { format: string }) => x.format === 'CSV');
  const p = (await get(`/api/v1/opendata/datasets/${cat.lights.name}/distributions/${csv.id}/preview`)).body;
  assert.deepEqual(p, {
    header: ['kuu', 'teated'],
    rows: [['2024-01', '5']],
    totalRows: 1,
    fields: [
      { name: 'kuu', type: 'string' },
      { name: 'teated', type: 'integer' },
    ],
  });
  const ttl = await app.inject({ method: 'GET', url: `/api/v1/opendata/catalogues/${M}/dcat.ttl` });
  assert.equal(ttl.statusCode, 200);
  assert.match(String(ttl.headers['content-type']), /^text\/turtle/);
  const rdf = await app.inject({ method: 'GET', url: '/api/v1/opendata/dcat.rdf' });
  assert.match(String(rdf.headers['content-type']), /^application\/rdf\+xml/);
  assert.equal((await get('/api/v1/opendata/datasets/tartu-linn-nothing')).status, 404);
});
