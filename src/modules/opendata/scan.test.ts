import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from 'csv-parse/sync';
import { testPlatform } from '../../../test/support/app';
import { asOwner } from '../../../test/support/db';
import { seedDemo } from '../../platform/demo/seed';
import { isValidIdCode } from '../../platform/identity/personalIdCode';
import { DEFAULT_MIN_GROUP_SIZE } from '../../platform/openData';
import { modules } from '../index';
import { parseTurtle } from '../../platform/rdf';
import { validateDcat } from './dcat';
import { dataPackageValidators } from './testSupport';

/**
 * The demo platform as `npm start` seeds it (a small population, every module's demo data, and
 * the first automatic publication): its DCAT-AP export conforms to the official shapes, and every
 * published file is scanned for personal ID codes, residents' names and groups under the minimum.
 */
const { app, ctx, ownerUrl } = await testPlatform();
await seedDemo(ctx, modules, { residents: 600, seed: 11, log: () => {} });
const get = async (url: string) => {
  const res = await app.inject({ method: 'GET', url });
  assert.equal(res.statusCode, 200, `${url}: ${res.body.slice(0, 300)}`);
  return res;
};

test('the demo catalogue’s DCAT-AP export conforms to the DCAT-AP 3.0.1 shapes', async () => {
  const ttl = (await get('/api/v1/opendata/dcat.ttl')).body;
  const report = await validateDcat(parseTurtle(ttl));
  assert.equal(report.conforms, true, report.text);
  const n = (await get('/api/3/action/package_search?rows=0')).json().result.count;
  assert.ok(n >= 6, `the demo publishes datasets (${n})`);
});

test('no published file holds a personal ID code, a resident’s name, or a group under the minimum', async (t) => {
  const people = await asOwner(ownerUrl, (c) =>
    c.query<{ n: string }>(
      `SELECT DISTINCT lower(given_name || ' ' || family_name) AS n FROM person WHERE given_name IS NOT NULL AND family_name IS NOT NULL`,
    ),
  );
  const names = people.rows.map((r) => r.n);
  assert.ok(names.length >= 100, `names to look for (${names.length})`);
  const search = (await get('/api/3/action/package_search?rows=1000')).json().result;
  let files = 0;
  let auto = 0;
  for (const p of search.results) {
    if (p.extras.some((e: { key: string; value: string }) => e.key === 'origin' && e.value === 'auto')) auto++;
    const dp = (await get(`/api/v1/opendata/datasets/${p.name}/datapackage.json`)).json();
    for (const r of dp.resources) {
      if (!r.path.includes('/api/v1/opendata/')) continue; // links to other sites
      const text = (await get(new URL(r.path).pathname)).body;
      files++;
      for (const m of text.matchAll(/(?<!\d)[1-8]\d{10}(?!\d)/g))
        assert.ok(!isValidIdCode(m[0]), `${p.name}/${r.name} holds an ID code`);
      let scanned = text;
      if (r.schema) {
        const rows = parse(text, { delimiter: r.dialect.delimiter, relax_column_count: true }) as string[][];
        const fields = r.schema.fields as { name: string; 'kov:kind'?: string }[];
        const official = new Set(fields.filter((f) => f['kov:kind'] === 'officialName').map((f) => f.name));
        const idx = (name: string) => rows[0]!.indexOf(name);
        for (const f of fields.filter((x) => x['kov:kind'] === 'groupSize')) {
          for (const row of rows.slice(1))
            assert.ok(
              Number(row[idx(f.name)]) >= DEFAULT_MIN_GROUP_SIZE,
              `${p.name}/${r.name}: group ${row[idx(f.name)]} in ${f.name}`,
            );
        }
        // Names of people in a public office (columns that say so) are allowed; everything else is scanned.
        scanned = rows.map((row) => row.filter((_, i) => !official.has(rows[0]![i]!)).join(' | ')).join('\n');
      }
      const lower = scanned.toLowerCase();
      for (const n of names)
        assert.ok(!lower.includes(n), `${p.name}/${r.name} holds the name of a person in the register`);
    }
  }
  t.diagnostic(
    `${files} files of ${search.count} datasets scanned (${auto} automatic: ${search.results
      .filter((p: { extras: { key: string; value: string }[] }) =>
        p.extras.some((e) => e.key === 'origin' && e.value === 'auto'),
      )
      .map((p: { name: string }) => p.name)
      .join(', ')})`,
  );
  const runs = await asOwner(ownerUrl, (c) =>
    c.query<{
      m: string;
      p: string;
      status: string;
      error: string | null;
      changes: { key: string; change: string; error?: string }[];
    }>(
      `SELECT municipality_code AS m, provider_key AS p, status, error, changes FROM opendata_publication_run ORDER BY 1, 2`,
    ),
  );
  for (const r of runs.rows)
    t.diagnostic(
      `run ${r.m} ${r.p}: ${r.status}${r.error ? ` — ${r.error}` : ''}${r.changes
        .filter((c) => c.error)
        .map((c) => ` — ${c.key}: ${c.error}`)
        .join('')}`,
    );
  assert.ok(files >= 6, `files were scanned (${files})`);
  assert.ok(auto >= 1, `automatic datasets were published (${auto})`);
});

test('every published data package is valid against the official Data Package profiles', async (t) => {
  const profiles = dataPackageValidators();
  const search = (await get('/api/3/action/package_search?rows=1000')).json().result;
  assert.ok(search.count >= 6, `the demo publishes datasets (${search.count})`);
  let checked = 0;
  for (const p of search.results) {
    const dp = (await get(`/api/v1/opendata/datasets/${p.name}/datapackage.json`)).json();
    for (const [version, validate] of Object.entries(profiles)) {
      assert.ok(validate(dp), `${p.name} against ${version}: ${JSON.stringify(validate.errors)}`);
      checked++;
    }
  }
  t.diagnostic(`${search.count} packages × ${Object.keys(profiles).length} profiles`);
  assert.equal(checked, search.count * Object.keys(profiles).length);
  // The validators bite: what the issue found (an empty sources list) fails the v1 profile.
  const one = (await get(`/api/v1/opendata/datasets/${search.results[0].name}/datapackage.json`)).json();
  assert.equal(profiles.v1({ ...one, sources: [] }), false);
});
