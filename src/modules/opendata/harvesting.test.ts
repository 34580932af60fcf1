import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RdfXmlParser } from 'rdfxml-streaming-parser';
import { testPlatform } from '../../../test/support/app';
import { inScope } from '../../platform/db/database';
import { isomorphic, parseJsonLd, parseTurtle, VOCAB, type Quad } from '../../platform/rdf';
import { validateDcat } from './dcat';
import { upsertPublished } from './publishing';
import { findPublished } from './search';
import type { DatasetSnapshot } from './snapshot';
import { testCatalogue } from './testSupport';

/**
 * Harvesting as DCAT harvesters do it: ckanext-dcat's DCAT harvester (and data.europa.eu's) reads
 * a catalogue page, takes `hydra:next` (or the older `hydra:nextPage`) from the
 * hydra:PagedCollection, and goes on until a page has none; incremental runs add
 * `modified_since`. Dataset and catalogue URIs answer RDF under content negotiation.
 */
const { app, ctx } = await testPlatform();
const T = '0793';
const L = '0784';
const cat = await testCatalogue(ctx, T);
const HYDRA = 'http://www.w3.org/ns/hydra/core#';

// 230 published datasets in Tallinn, one an hour from 2026-01-01, as the CKAN client test makes them.
const many: { name: string; modified: string }[] = [];
{
  const template = (await findPublished(ctx, cat.budget.name))!;
  const base = Date.parse('2026-01-01T00:00:00Z');
  await inScope(ctx.db, { tenant: L }, async (trx) => {
    for (let i = 0; i < 230; i++) {
      const id = `00000000-0000-4000-9000-${String(i).padStart(12, '0')}`;
      const name = `tallinn-dcat-${i}`;
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
          description_et: 'DCAT harvesteri test.',
          description_en: 'DCAT harvester test.',
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
        municipalityCode: L,
        organization: { name: 'tallinn', title: 'Tallinn' },
        spatial: [],
        title: { et: `Andmestik ${i}`, en: `Dataset ${i}` },
        issued: modified,
        modified,
        distributions: [],
      };
      await upsertPublished(trx, s);
      many.push({ name, modified });
    }
  });
}
// What testCatalogue published (now, so after every instant used below).
const catalogueNames = [cat.budget.name, cat.lights.name, cat.transport.name, cat.national.name];

const get = async (url: string, accept?: string) => {
  const res = await app.inject({ method: 'GET', url, headers: accept ? { accept } : {} });
  return res;
};
const datasetIri = (name: string) => `${ctx.config.publicUrl}/api/v1/opendata/datasets/${name}`;
const objects = (quads: Quad[], s: string, p: string) =>
  quads.filter((q) => q.subject.value === s && q.predicate.value === p).map((q) => q.object.value);
const datasetsIn = (quads: Quad[]) =>
  quads
    .filter((q) => q.predicate.value === VOCAB.rdf + 'type' && q.object.value === VOCAB.dcat + 'Dataset')
    .map((q) => q.subject.value);

function parseRdfXml(xml: string): Promise<Quad[]> {
  return new Promise((resolve, reject) => {
    const quads: Quad[] = [];
    const p = new RdfXmlParser();
    p.on('data', (q: Quad) => quads.push(q));
    p.on('error', reject);
    p.on('end', () => resolve(quads));
    p.end(xml);
  });
}

/** The DCAT harvester's loop: fetch, collect datasets, follow hydra:next until there is none. */
async function harvest(first: string) {
  const seen: string[] = [];
  const pages: { url: string; quads: Quad[]; paging: string }[] = [];
  let url: string | null = first;
  while (url) {
    assert.ok(pages.length < 20, 'paging ends');
    const res = await get(url);
    assert.equal(res.statusCode, 200, `${url}: ${res.body.slice(0, 300)}`);
    assert.match(String(res.headers['content-type']), /^text\/turtle/);
    const quads = parseTurtle(res.body);
    const paging = quads.find(
      (q) => q.predicate.value === VOCAB.rdf + 'type' && q.object.value === HYDRA + 'PagedCollection',
    );
    assert.ok(paging, `${url} has a hydra:PagedCollection`);
    const node = paging.subject.value;
    const ds = datasetsIn(quads);
    assert.ok(ds.length <= 100, `a page holds at most 100 datasets (${ds.length})`);
    seen.push(...ds);
    pages.push({ url, quads, paging: node });
    // ckanext-dcat's RDFParser.next_page: hydra:next first, then the deprecated hydra:nextPage.
    const next = objects(quads, node, HYDRA + 'next')[0] ?? objects(quads, node, HYDRA + 'nextPage')[0];
    url = next ? new URL(next).pathname + new URL(next).search : null;
  }
  return { seen, pages };
}

test('ckanext-dcat’s DCAT harvester pages the whole platform catalogue with hydra:next', async () => {
  const { seen, pages } = await harvest('/api/v1/opendata/dcat.ttl?page=1');
  const expected = [...many.map((m) => datasetIri(m.name)), ...catalogueNames.map(datasetIri)].sort();
  assert.equal(new Set(seen).size, seen.length, 'no dataset on two pages');
  assert.deepEqual([...seen].sort(), expected);
  assert.equal(pages.length, 3, '234 datasets in pages of 100');
  const [p1, , p3] = pages;
  const at = (p: (typeof pages)[number], local: string) => objects(p.quads, p.paging, HYDRA + local);
  const abs = (q: string) => `${ctx.config.publicUrl}/api/v1/opendata/dcat.ttl?${q}`;
  assert.equal(p1!.paging, abs('page=1'));
  assert.deepEqual(at(p1!, 'totalItems'), ['234']);
  assert.deepEqual(at(p1!, 'itemsPerPage'), ['100']);
  assert.deepEqual(at(p1!, 'first'), [abs('page=1')]);
  assert.deepEqual(at(p1!, 'firstPage'), [abs('page=1')]);
  assert.deepEqual(at(p1!, 'last'), [abs('page=3')]);
  assert.deepEqual(at(p1!, 'nextPage'), [abs('page=2')]);
  assert.deepEqual(at(p1!, 'previous'), []);
  assert.deepEqual(at(p3!, 'next'), []);
  assert.deepEqual(at(p3!, 'previous'), [abs('page=2')]);
  // Newest change first: page 1 starts with what testCatalogue published now, then Tallinn's latest.
  assert.ok(datasetsIn(p1!.quads).includes(datasetIri('tallinn-dcat-229')));
  assert.ok(datasetsIn(p3!.quads).includes(datasetIri('tallinn-dcat-0')));
  // A page is a DCAT-AP catalogue like the whole export.
  const report = await validateDcat(p1!.quads);
  assert.equal(report.conforms, true, report.text);
});

test('incremental harvest: modified_since keeps only what changed, and the paging links keep it', async () => {
  const since = '2026-01-05T00:00:00Z';
  const { seen, pages } = await harvest(`/api/v1/opendata/catalogues/${L}/dcat.ttl?modified_since=${since}`);
  // Tallinn's datasets from hour 96 on (2026-01-05T00:00Z is hour 96); none of Tartu's or ELVL's.
  const expected = many.filter((_, i) => i >= 96).map((m) => datasetIri(m.name));
  assert.deepEqual([...seen].sort(), expected.sort());
  assert.equal(pages.length, 2);
  const next = objects(pages[0]!.quads, pages[0]!.paging, HYDRA + 'next')[0]!;
  assert.equal(new URL(next).searchParams.get('modified_since'), since);
  assert.equal(new URL(next).searchParams.get('page'), '2');
  // A date without a time, and one with an offset, mean what ISO 8601 says.
  const count = async (q: string) => {
    const res = await get(`/api/v1/opendata/catalogues/${L}/dcat.ttl?${q}`);
    assert.equal(res.statusCode, 200, res.body);
    const quads = parseTurtle(res.body);
    const node = quads.find((x) => x.object.value === HYDRA + 'PagedCollection')!.subject.value;
    return Number(objects(quads, node, HYDRA + 'totalItems')[0]);
  };
  assert.equal(await count('modified_since=2026-01-10'), 230 - 216);
  assert.equal(await count(`modified_since=${encodeURIComponent('2026-01-10T02:00:00+02:00')}`), 230 - 216);
  assert.equal(await count('modified_since=2027-01-01T00:00:00Z'), 0);
  // The other formats page the same way.
  const xml = await get(`/api/v1/opendata/catalogues/${L}/dcat.rdf?page=2`);
  assert.equal(xml.statusCode, 200);
  const fromXml = await parseRdfXml(xml.body);
  assert.equal(datasetsIn(fromXml).length, 100);
  assert.ok(fromXml.some((q) => q.predicate.value === HYDRA + 'previous'));
  const jsonld = await get(`/api/v1/opendata/catalogues/${L}/dcat.jsonld?page=3`);
  const fromJson = await parseJsonLd(JSON.parse(jsonld.body));
  assert.equal(datasetsIn(fromJson).length, 30);
  // Without page or modified_since the export is whole, as before (no paging triples).
  const whole = parseTurtle((await get(`/api/v1/opendata/catalogues/${L}/dcat.ttl`)).body);
  assert.equal(datasetsIn(whole).length, 230);
  assert.ok(!whole.some((q) => q.object.value === HYDRA + 'PagedCollection'));
});

test('bad paging input is a 400 problem naming the parameter, never a 500', async () => {
  for (const q of [
    'modified_since=yesterday',
    'modified_since=2024-02-31',
    'modified_since=2024-13-01T00:00:00Z',
    'page=0',
    'page=x',
  ]) {
    const res = await get(`/api/v1/opendata/dcat.ttl?${q}`);
    assert.equal(res.statusCode, 400, `${q}: ${res.body}`);
    assert.match(String(res.headers['content-type']), /^application\/problem\+json/);
    const body = res.json();
    assert.match(JSON.stringify(body), q.startsWith('page') ? /page/ : /modified_since/);
  }
});

test('a dataset URI answers RDF by content negotiation, JSON otherwise', async () => {
  const url = `/api/v1/opendata/datasets/${cat.budget.name}`;
  const iri = datasetIri(cat.budget.name);
  const ttl = await get(url, 'text/turtle');
  assert.equal(ttl.statusCode, 200);
  assert.match(String(ttl.headers['content-type']), /^text\/turtle/);
  assert.match(String(ttl.headers.vary), /accept/i);
  const quads = parseTurtle(ttl.body);
  assert.deepEqual(datasetsIn(quads), [iri]);
  assert.ok(objects(quads, iri, VOCAB.dcat + 'distribution').length >= 1);
  const report = await validateDcat(quads);
  assert.equal(report.conforms, true, report.text);

  const jsonld = await get(url, 'application/ld+json');
  assert.match(String(jsonld.headers['content-type']), /^application\/ld\+json/);
  assert.ok(await isomorphic(await parseJsonLd(JSON.parse(jsonld.body)), quads), 'JSON-LD: the same graph');
  const xml = await get(url, 'application/rdf+xml');
  assert.match(String(xml.headers['content-type']), /^application\/rdf\+xml/);
  assert.ok(await isomorphic(await parseRdfXml(xml.body), quads), 'RDF/XML: the same graph');
  const nt = await get(url, 'application/n-triples');
  assert.match(String(nt.headers['content-type']), /^application\/n-triples/);

  // q-values decide; JSON stays the answer for no Accept, */*, browsers and JSON clients.
  assert.match(
    String((await get(url, 'application/json;q=0.5, text/turtle')).headers['content-type']),
    /^text\/turtle/,
  );
  assert.match(
    String((await get(url, 'text/turtle;q=0.2, application/json')).headers['content-type']),
    /^application\/json/,
  );
  for (const accept of [
    undefined,
    '*/*',
    'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8',
    'application/json',
    'image/png',
  ]) {
    const res = await get(url, accept);
    assert.equal(res.statusCode, 200);
    assert.match(String(res.headers['content-type']), /^application\/json/, String(accept));
    assert.equal(res.json().dataset.name, cat.budget.name);
  }
  // An unknown dataset is a 404 problem whatever was asked for.
  const missing = await get('/api/v1/opendata/datasets/no-such-dataset', 'text/turtle');
  assert.equal(missing.statusCode, 404);
  assert.match(String(missing.headers['content-type']), /^application\/problem\+json/);
});

test('a catalogue URI answers its DCAT-AP export by content negotiation', async () => {
  const res = await get(`/api/v1/opendata/catalogues/${T}`, 'text/turtle');
  assert.equal(res.statusCode, 200);
  assert.match(String(res.headers['content-type']), /^text\/turtle/);
  const quads = parseTurtle(res.body);
  const catalogue = `${ctx.config.publicUrl}/api/v1/opendata/catalogues/${T}`;
  assert.ok(quads.some((q) => q.subject.value === catalogue && q.object.value === VOCAB.dcat + 'Catalog'));
  assert.equal(objects(quads, catalogue, VOCAB.dcat + 'dataset').length, 3);
  const json = await get(`/api/v1/opendata/catalogues/${T}`);
  assert.match(String(json.headers['content-type']), /^application\/json/);
  assert.equal(json.json().titleEt, 'Testkataloog');
});
