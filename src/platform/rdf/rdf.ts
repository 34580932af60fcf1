import {
  DataFactory,
  Parser,
  Writer,
  type WriterOptions,
  type Quad,
  type Quad_Object,
  type Quad_Subject,
  type NamedNode,
  type BlankNode,
  type Literal,
} from 'n3';
import jsonld from 'jsonld';
import { toRdfXml } from './rdfxml';

/**
 * RDF for every module that exports linked data (DCAT-AP catalogues, CPSV-AP service
 * descriptions, …): build a graph with `Graph`, serialise it as Turtle, JSON-LD, RDF/XML or
 * N-Triples, parse Turtle and JSON-LD back, and compare graphs. Terms are RDF/JS terms from `n3`.
 *
 *   const g = new Graph(PREFIXES);
 *   const ds = g.iri('https://example.org/ds/1');
 *   g.add(ds, g.ns.rdf('type'), g.ns.dcat('Dataset')).add(ds, g.ns.dct('title'), g.text('Eelarve', 'et'));
 *   const ttl = await serialize(g.quads, 'turtle', g.prefixes);
 *
 * Nothing here reaches the network: JSON-LD contexts are passed as objects and the document
 * loader refuses remote ones.
 */
export const { namedNode, blankNode, literal, quad } = DataFactory;
export type { Quad, NamedNode, BlankNode, Literal, Quad_Object, Quad_Subject };

/** Well-known vocabularies; modules add their own to a Graph's prefixes. */
export const VOCAB = {
  rdf: 'http://www.w3.org/1999/02/22-rdf-syntax-ns#',
  rdfs: 'http://www.w3.org/2000/01/rdf-schema#',
  xsd: 'http://www.w3.org/2001/XMLSchema#',
  owl: 'http://www.w3.org/2002/07/owl#',
  dct: 'http://purl.org/dc/terms/',
  dcat: 'http://www.w3.org/ns/dcat#',
  foaf: 'http://xmlns.com/foaf/0.1/',
  skos: 'http://www.w3.org/2004/02/skos/core#',
  vcard: 'http://www.w3.org/2006/vcard/ns#',
  adms: 'http://www.w3.org/ns/adms#',
  spdx: 'http://spdx.org/rdf/terms#',
  locn: 'http://www.w3.org/ns/locn#',
  prov: 'http://www.w3.org/ns/prov#',
  dqv: 'http://www.w3.org/ns/dqv#',
  oa: 'http://www.w3.org/ns/oa#',
  schema: 'https://schema.org/',
  cv: 'http://data.europa.eu/m8g/',
  cpsv: 'http://purl.org/vocab/cpsv#',
  eli: 'http://data.europa.eu/eli/ontology#',
  r5r: 'http://data.europa.eu/r5r/',
  sh: 'http://www.w3.org/ns/shacl#',
} as const;

export type Prefixes = Record<string, string>;
export type RdfFormat = 'turtle' | 'jsonld' | 'rdfxml' | 'ntriples';

export const RDF_MEDIA_TYPES: Record<RdfFormat, string> = {
  turtle: 'text/turtle',
  jsonld: 'application/ld+json',
  rdfxml: 'application/rdf+xml',
  ntriples: 'application/n-triples',
};
export const RDF_EXTENSIONS: Record<RdfFormat, string> = {
  turtle: 'ttl',
  jsonld: 'jsonld',
  rdfxml: 'rdf',
  ntriples: 'nt',
};

/** The format named by a file extension (`ttl`, `jsonld`, `rdf`, `nt`) or an Accept header; Turtle if neither says. */
export function rdfFormatFor(ext: string | undefined, accept: string | undefined): RdfFormat {
  const byExt = (Object.entries(RDF_EXTENSIONS) as [RdfFormat, string][]).find(
    ([, e]) => e === ext?.toLowerCase() || (ext === 'json' && e === 'jsonld') || (ext === 'xml' && e === 'rdf'),
  );
  if (byExt) return byExt[0];
  const a = (accept ?? '').toLowerCase();
  if (a.includes('application/ld+json')) return 'jsonld';
  if (a.includes('application/rdf+xml')) return 'rdfxml';
  if (a.includes('application/n-triples')) return 'ntriples';
  return 'turtle';
}

type Vocab = (local: string) => NamedNode;

/** A graph under construction, with prefix shortcuts: `g.ns.dcat('Dataset')`. */
export class Graph {
  readonly quads: Quad[] = [];
  readonly ns: Record<keyof typeof VOCAB, Vocab>;
  /** The well-known vocabularies plus `extra` (a module's own namespaces). */
  readonly prefixes: Prefixes;
  constructor(extra: Prefixes = {}) {
    this.prefixes = { ...VOCAB, ...extra };
    // Terms are cached: a catalogue uses the same few hundred predicates and classes a million times.
    const vocab = (base: string): Vocab => {
      const cache = new Map<string, NamedNode>();
      return (local) => {
        let n = cache.get(local);
        if (!n) cache.set(local, (n = namedNode(base + local)));
        return n;
      };
    };
    this.ns = Object.fromEntries(Object.entries(this.prefixes).map(([p, base]) => [p, vocab(base)])) as Graph['ns'];
  }
  iri(value: string): NamedNode {
    return namedNode(value);
  }
  /** A prefixed name of this graph's prefixes: `g.curie('ex:note')`. */
  curie(name: string): NamedNode {
    return namedNode(expand(name, this.prefixes));
  }
  blank(): BlankNode {
    return blankNode();
  }
  /** A plain string, or a language-tagged one. */
  text(value: string, lang?: string): Literal {
    return lang ? literal(value, lang) : literal(value);
  }
  typed(value: string | number, datatype: string): Literal {
    return literal(
      String(value),
      namedNode(datatype.includes(':') && !datatype.startsWith('http') ? expand(datatype, this.prefixes) : datatype),
    );
  }
  date(value: string): Literal {
    return literal(value, namedNode(VOCAB.xsd + 'date'));
  }
  dateTime(value: Date | string): Literal {
    return literal(typeof value === 'string' ? value : value.toISOString(), namedNode(VOCAB.xsd + 'dateTime'));
  }
  add(s: Quad_Subject, p: NamedNode, o: Quad_Object | null | undefined): this {
    if (o) this.quads.push(quad(s, p, o));
    return this;
  }
  /** One triple per language that has a non-empty value. */
  addTexts(s: Quad_Subject, p: NamedNode, texts: Record<string, string | null | undefined>): this {
    for (const [lang, v] of Object.entries(texts)) if (v && v.trim()) this.add(s, p, literal(v, lang));
    return this;
  }
}

export function expand(curie: string, prefixes: Prefixes = VOCAB): string {
  const i = curie.indexOf(':');
  const base = prefixes[curie.slice(0, i)] ?? (VOCAB as Prefixes)[curie.slice(0, i)];
  if (!base) throw new Error(`unknown prefix in ${curie}`);
  return base + curie.slice(i + 1);
}

/** A JSON-LD context made from prefixes (terms stay prefixed: `dcat:Dataset`). */
export function jsonLdContext(prefixes: Prefixes): Record<string, string> {
  return { ...prefixes };
}

const offlineLoader = async (url: string): Promise<never> => {
  throw new Error(`remote JSON-LD documents are not loaded (${url}); pass the context as an object`);
};

export async function toNTriples(quads: Quad[]): Promise<string> {
  return writeN3(quads, { format: 'N-Triples' });
}

export async function toTurtle(quads: Quad[], prefixes: Prefixes): Promise<string> {
  // Only the prefixes that are used, so the document stays readable.
  const used = usedPrefixes(quads, prefixes);
  return writeN3(groupBySubject(quads), { prefixes: used });
}

/**
 * JSON-LD in flattened form: `{ "@context": prefixes, "@graph": [node objects] }`, one node per
 * subject, properties and types as compact IRIs, literals as value objects. Written directly
 * (linear in the graph: a catalogue of a million triples in seconds, where jsonld.js' fromRDF +
 * compact takes minutes); the tests read it back with jsonld.js and compare the graphs.
 */
export async function toJsonLd(quads: Quad[], prefixes: Prefixes): Promise<Record<string, unknown>> {
  const used = usedPrefixes(quads, prefixes);
  const bases = Object.entries(used).sort((a, b) => b[1].length - a[1].length);
  const cache = new Map<string, string>();
  const compact = (iri: string) => {
    let c = cache.get(iri);
    if (c === undefined) {
      c = iri;
      for (const [p, base] of bases) {
        const local = iri.slice(base.length);
        if (iri.startsWith(base) && local && !local.startsWith('//')) {
          c = `${p}:${local}`;
          break;
        }
      }
      cache.set(iri, c);
    }
    return c;
  };
  const XSD_STRING = VOCAB.xsd + 'string';
  const RDF_TYPE = VOCAB.rdf + 'type';
  const nodes = new Map<string, Record<string, unknown>>();
  const id = (t: Quad_Subject | Quad_Object) => (t.termType === 'BlankNode' ? `_:${t.value}` : t.value);
  for (const q of quads) {
    const sid = id(q.subject);
    let node = nodes.get(sid);
    if (!node) nodes.set(sid, (node = { '@id': sid }));
    const o = q.object;
    if (q.predicate.value === RDF_TYPE && o.termType === 'NamedNode') {
      ((node['@type'] ??= []) as string[]).push(compact(o.value));
      continue;
    }
    let value: unknown;
    if (o.termType === 'Literal')
      value = o.language
        ? { '@value': o.value, '@language': o.language }
        : o.datatype.value === XSD_STRING
          ? o.value
          : { '@value': o.value, '@type': compact(o.datatype.value) };
    else value = { '@id': id(o) };
    ((node[compact(q.predicate.value)] ??= []) as unknown[]).push(value);
  }
  return { '@context': jsonLdContext(used), '@graph': [...nodes.values()] };
}

export async function serialize(quads: Quad[], format: RdfFormat, prefixes: Prefixes): Promise<string> {
  switch (format) {
    case 'turtle':
      return toTurtle(quads, prefixes);
    case 'jsonld':
      return JSON.stringify(await toJsonLd(quads, prefixes), null, 2) + '\n';
    case 'rdfxml':
      return toRdfXml(quads, usedPrefixes(quads, prefixes));
    case 'ntriples':
      return toNTriples(quads);
  }
}

export function parseTurtle(text: string, baseIRI?: string): Quad[] {
  return new Parser(baseIRI ? { baseIRI } : {}).parse(text);
}

export async function parseJsonLd(doc: unknown): Promise<Quad[]> {
  const nquads = (await jsonld.toRDF(
    doc as never,
    { format: 'application/n-quads', documentLoader: offlineLoader } as never,
  )) as unknown as string;
  return new Parser({ format: 'N-Quads' }).parse(nquads);
}

/** Canonical N-Quads (RDF Dataset Canonicalization): two graphs are isomorphic when these are equal. */
export async function canonical(quads: Quad[]): Promise<string> {
  const nquads = await writeN3(quads, { format: 'N-Quads' });
  return (await jsonld.canonize(
    nquads as never,
    { algorithm: 'RDFC-1.0', inputFormat: 'application/n-quads', format: 'application/n-quads' } as never,
  )) as unknown as string;
}

export async function isomorphic(a: Quad[], b: Quad[]): Promise<boolean> {
  return (await canonical(a)) === (await canonical(b));
}

function writeN3(quads: Quad[], options: WriterOptions): Promise<string> {
  return new Promise((resolve, reject) => {
    const w = new Writer(options);
    w.addQuads(quads);
    w.end((err, result) => (err ? reject(err) : resolve(result)));
  });
}

/** Quads of one subject together (in order of first appearance), so Turtle lists each subject once. */
export function groupBySubject(quads: Quad[]): Quad[] {
  const groups = new Map<string, Quad[]>();
  for (const q of quads) {
    const key = `${q.subject.termType}:${q.subject.value}`;
    const g = groups.get(key);
    if (g) g.push(q);
    else groups.set(key, [q]);
  }
  return [...groups.values()].flat();
}

/** The prefixes whose namespace (the IRI up to its last '/' or '#') occurs in the quads. */
function usedPrefixes(quads: Quad[], prefixes: Prefixes): Prefixes {
  const byBase = new Map(Object.entries(prefixes).map(([p, base]) => [base, p]));
  const seen = new Set<string>();
  const used = new Set<string>();
  const see = (v: string) => {
    const ns = v.slice(0, Math.max(v.lastIndexOf('#'), v.lastIndexOf('/')) + 1);
    if (seen.has(ns)) return;
    seen.add(ns);
    const p = byBase.get(ns);
    if (p) used.add(p);
  };
  for (const q of quads) {
    see(q.predicate.value);
    if (q.subject.termType === 'NamedNode') see(q.subject.value);
    if (q.object.termType === 'NamedNode') see(q.object.value);
    else if (q.object.termType === 'Literal') see(q.object.datatype.value);
  }
  return Object.fromEntries(Object.entries(prefixes).filter(([p]) => used.has(p)));
}
