import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { RdfXmlParser } from 'rdfxml-streaming-parser';
import {
  Graph,
  canonical,
  isomorphic,
  parseJsonLd,
  parseTurtle,
  rdfFormatFor,
  serialize,
  toJsonLd,
  type Quad,
} from './rdf';
import { loadShapes, validateShacl } from './shacl';

function sample() {
  const g = new Graph({ ex: 'https://example.org/' });
  const ds = g.iri('https://example.org/dataset/1');
  const b = g.blank();
  g.add(ds, g.ns.rdf('type'), g.ns.dcat('Dataset'))
    .addTexts(ds, g.ns.dct('title'), { et: 'Eelarve <2025> & "lisad"', en: 'Budget' })
    .add(ds, g.ns.dcat('keyword'), g.text('raha', 'et'))
    .add(ds, g.ns.dct('issued'), g.date('2025-01-31'))
    .add(ds, g.ns.dcat('byteSize'), g.typed(1234, 'xsd:nonNegativeInteger'))
    .add(ds, g.ns.dct('temporal'), b)
    .add(b, g.ns.rdf('type'), g.ns.dct('PeriodOfTime'))
    .add(b, g.ns.dcat('startDate'), g.date('2024-01-01'))
    .add(ds, g.curie('ex:note'), g.text('rida 1\nrida 2'))
    .add(ds, g.iri('https://example.org/vocab/x-1'), g.iri('https://example.org/other'));
  return g;
}

function parseRdfXml(xml: string): Promise<Quad[]> {
  return new Promise((resolve, reject) => {
    const quads: Quad[] = [];
    const p = new RdfXmlParser();
    p.on('data', (q: Quad) => quads.push(q));
    p.on('error', reject);
    p.on('end', () => resolve(quads));
    p.write(xml);
    p.end();
  });
}

test('Turtle, JSON-LD, RDF/XML and N-Triples all carry the same graph', async () => {
  const g = sample();
  const ttl = await serialize(g.quads, 'turtle', g.prefixes);
  assert.match(ttl, /@prefix dcat: <http:\/\/www.w3.org\/ns\/dcat#>/);
  assert.ok(!ttl.includes('@prefix vcard'), 'unused prefixes are left out');
  assert.ok(await isomorphic(parseTurtle(ttl), g.quads), 'Turtle round trip');

  const json = await toJsonLd(g.quads, g.prefixes);
  assert.equal(typeof json['@context'], 'object');
  assert.ok(await isomorphic(await parseJsonLd(json), g.quads), 'JSON-LD round trip');

  const xml = await serialize(g.quads, 'rdfxml', g.prefixes);
  assert.match(xml, /^<\?xml version="1.0" encoding="utf-8"\?>/);
  assert.match(xml, /&lt;2025&gt; &amp;/);
  assert.ok(
    await isomorphic(await parseRdfXml(xml), g.quads),
    'RDF/XML parsed by another library gives the same graph',
  );

  const nt = await serialize(g.quads, 'ntriples', g.prefixes);
  assert.ok(await isomorphic(parseTurtle(nt), g.quads), 'N-Triples round trip');
  assert.notEqual(await canonical(g.quads), await canonical(g.quads.slice(1)));
});

test('the format comes from the extension first, then the Accept header', () => {
  assert.equal(rdfFormatFor('ttl', 'application/ld+json'), 'turtle');
  assert.equal(rdfFormatFor('jsonld', undefined), 'jsonld');
  assert.equal(rdfFormatFor('rdf', undefined), 'rdfxml');
  assert.equal(rdfFormatFor(undefined, 'application/rdf+xml;q=0.9'), 'rdfxml');
  assert.equal(rdfFormatFor(undefined, '*/*'), 'turtle');
});

test('SHACL: a conforming graph conforms, a broken one gets a readable report', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'shacl-'));
  const file = path.join(dir, 'shapes.ttl');
  writeFileSync(
    file,
    `@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix dcat: <http://www.w3.org/ns/dcat#> . @prefix dct: <http://purl.org/dc/terms/> .
     <urn:s> a sh:NodeShape ; sh:targetClass dcat:Dataset ;
       sh:property [ sh:path dct:title ; sh:minCount 1 ; sh:message "a dataset needs a title"@en ] ;
       sh:property [ sh:path dct:description ; sh:minCount 1 ] .`,
  );
  const shapes = loadShapes([file]);
  const g = sample();
  const bad = await validateShacl(g.quads, shapes);
  assert.equal(bad.conforms, false);
  assert.equal(bad.results.length, 1);
  assert.equal(bad.results[0]!.path, 'dct:description');
  assert.equal(bad.results[0]!.constraint, 'MinCountConstraintComponent');
  assert.match(bad.text, /Violation: <https:\/\/example.org\/dataset\/1> dct:description/);

  const ds = g.iri('https://example.org/dataset/1');
  g.add(ds, g.ns.dct('description'), g.text('Kirjeldus', 'et'));
  const ok = await validateShacl(g.quads, shapes);
  assert.equal(ok.conforms, true, ok.text);

  const noTitle = g.quads.filter((q) => q.predicate.value !== 'http://purl.org/dc/terms/title');
  const r = await validateShacl(noTitle, shapes);
  assert.match(r.text, /a dataset needs a title/);
});
