import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RdfXmlParser } from 'rdfxml-streaming-parser';
import { testContext } from '../../../test/support/app';
import { isomorphic, parseJsonLd, parseTurtle, VOCAB, type Quad } from '../../platform/rdf';
import { DataFactory } from 'n3';
import { dcatGraph, exportDcat, loadCatalogues, validateDcat } from './dcat';
import { testCatalogue } from './testSupport';

/** The DCAT-AP export against the official DCAT-AP 3.0.1 SHACL shapes (and range shapes), with a real engine. */
const M = '0793';
const { ctx } = await testContext();
const cat = await testCatalogue(ctx, M);

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

test('the catalogue exported as Turtle, JSON-LD and RDF/XML conforms to the DCAT-AP 3.0.1 shapes', async () => {
  const ttl = await exportDcat(ctx, M, 'turtle');
  const quads = parseTurtle(ttl);
  const report = await validateDcat(quads);
  assert.equal(report.conforms, true, report.text);
  assert.match(ttl, /dcat:Catalog/);
  assert.match(ttl, /spdx:checksumValue "[0-9a-f]{64}"\^\^xsd:hexBinary/);
  assert.match(ttl, /<http:\/\/publications.europa.eu\/resource\/authority\/licence\/CC_BY_4_0>/);
  assert.match(ttl, /<http:\/\/publications.europa.eu\/resource\/authority\/data-theme\/ECON>/);
  assert.match(ttl, /"Tartu linn"@et/);

  const jsonld = JSON.parse(await exportDcat(ctx, M, 'jsonld'));
  const fromJson = await parseJsonLd(jsonld);
  assert.ok(await isomorphic(fromJson, quads), 'JSON-LD carries the same graph');
  const xml = await exportDcat(ctx, M, 'rdfxml');
  const fromXml = await parseRdfXml(xml);
  assert.ok(await isomorphic(fromXml, quads), 'RDF/XML carries the same graph');
  assert.equal((await validateDcat(fromXml)).conforms, true);

  const datasets = quads.filter(
    (q) => q.predicate.value === VOCAB.rdf + 'type' && q.object.value === VOCAB.dcat + 'Dataset',
  );
  assert.equal(datasets.length, 3, 'the three published datasets of the municipality');
});

test('the platform-wide export (every catalogue) conforms too', async () => {
  const report = await validateDcat(parseTurtle(await exportDcat(ctx, '*', 'turtle')));
  assert.equal(report.conforms, true, report.text);
});

test('a deliberately broken export fails validation, and the report says where', async () => {
  const { quads } = dcatGraph(ctx.config.publicUrl, await loadCatalogues(ctx, M));
  const ds = `${ctx.config.publicUrl}/api/v1/opendata/datasets/${cat.budget.name}`;
  const { namedNode, literal, quad } = DataFactory;
  const broken = quads
    // A dataset without a description, a publisher without a name…
    .filter((q) => !(q.subject.value === ds && q.predicate.value === VOCAB.dct + 'description'))
    .filter((q) => q.predicate.value !== VOCAB.foaf + 'name')
    // …and a byte size that is not a number.
    .map((q) => (q.predicate.value === VOCAB.dcat + 'byteSize' ? quad(q.subject, q.predicate, literal('large')) : q));
  broken.push(quad(namedNode(ds), namedNode(VOCAB.dct + 'license'), literal('CC BY')));
  const report = await validateDcat(broken);
  assert.equal(report.conforms, false);
  const hit = (path: string, constraint: string) =>
    report.results.some((r) => r.path === path && r.constraint === constraint);
  assert.ok(hit('dct:description', 'MinCountConstraintComponent'), report.text);
  assert.ok(hit('foaf:name', 'MinCountConstraintComponent'), report.text);
  assert.ok(hit('dcat:byteSize', 'DatatypeConstraintComponent'), report.text);
  assert.match(report.text, new RegExp(`Violation: <${ds}> dct:description`));
});
