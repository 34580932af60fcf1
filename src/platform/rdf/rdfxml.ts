import type { Quad, Term } from 'n3';

/**
 * RDF/XML in its plainest form: one `rdf:Description` per subject (`rdf:about` or `rdf:nodeID`),
 * one property element per triple, literals with `xml:lang` or `rdf:datatype`, objects by
 * `rdf:resource` / `rdf:nodeID`. Every RDF/XML parser reads it; the tests parse it back with
 * rdfxml-streaming-parser and compare the graphs. (No maintained npm package writes RDF/XML.)
 */
const RDF = 'http://www.w3.org/1999/02/22-rdf-syntax-ns#';
const NCNAME = /^[A-Za-z_][A-Za-z0-9._-]*$/;

export function toRdfXml(quads: Quad[], prefixes: Record<string, string>): string {
  const ns = new Map<string, string>(); // namespace IRI → prefix
  ns.set(RDF, 'rdf');
  for (const [p, base] of Object.entries(prefixes)) if (p !== 'rdf' && NCNAME.test(p) && !ns.has(base)) ns.set(base, p);
  let generated = 0;
  const qnames = new Map<string, string>();
  const qname = (iri: string): string => {
    let q = qnames.get(iri);
    if (q === undefined) qnames.set(iri, (q = makeQname(iri)));
    return q;
  };
  const makeQname = (iri: string): string => {
    const cut = Math.max(iri.lastIndexOf('#'), iri.lastIndexOf('/'));
    // The local part must be an NCName: move the split left over any characters that cannot start one.
    let split = cut + 1;
    while (split < iri.length && !/[A-Za-z_]/.test(iri[split]!)) split++;
    const base = iri.slice(0, split);
    const local = iri.slice(split);
    if (!local || !NCNAME.test(local)) throw new Error(`the predicate ${iri} cannot be written in RDF/XML`);
    let prefix = ns.get(base);
    if (!prefix) {
      prefix = `ns${++generated}`;
      ns.set(base, prefix);
    }
    return `${prefix}:${local}`;
  };
  const nodeId = (t: Term) => 'b' + t.value.replace(/[^A-Za-z0-9_-]/g, '_');

  const bySubject = new Map<string, { subject: Term; quads: Quad[] }>();
  for (const q of quads) {
    const key = `${q.subject.termType}:${q.subject.value}`;
    let entry = bySubject.get(key);
    if (!entry) bySubject.set(key, (entry = { subject: q.subject, quads: [] }));
    entry.quads.push(q);
  }

  const body: string[] = [];
  for (const { subject, quads: qs } of bySubject.values()) {
    const about =
      subject.termType === 'BlankNode' ? `rdf:nodeID="${nodeId(subject)}"` : `rdf:about="${attr(subject.value)}"`;
    body.push(`  <rdf:Description ${about}>`);
    for (const q of qs) {
      const el = qname(q.predicate.value);
      const o = q.object;
      if (o.termType === 'NamedNode') body.push(`    <${el} rdf:resource="${attr(o.value)}"/>`);
      else if (o.termType === 'BlankNode') body.push(`    <${el} rdf:nodeID="${nodeId(o)}"/>`);
      else if (o.termType === 'Literal') {
        const a = o.language
          ? ` xml:lang="${attr(o.language)}"`
          : o.datatype.value !== 'http://www.w3.org/2001/XMLSchema#string'
            ? ` rdf:datatype="${attr(o.datatype.value)}"`
            : '';
        body.push(`    <${el}${a}>${text(o.value)}</${el}>`);
      }
    }
    body.push('  </rdf:Description>');
  }
  const decls = [...ns.entries()].map(([base, p]) => `\n    xmlns:${p}="${attr(base)}"`).join('');
  return `<?xml version="1.0" encoding="utf-8"?>\n<rdf:RDF${decls}>\n${body.join('\n')}\n</rdf:RDF>\n`;
}

// Characters XML 1.0 cannot carry at all are replaced (they never occur in well-formed metadata).
const INVALID_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g;
const PLAIN = /^[^&<>\r\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF"\n\t]*$/;
function text(s: string): string {
  if (PLAIN.test(s)) return s;
  return s
    .replace(INVALID_XML, '\uFFFD')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/\r/g, '&#13;');
}
function attr(s: string): string {
  if (PLAIN.test(s)) return s;
  return text(s).replace(/"/g, '&quot;').replace(/\n/g, '&#10;').replace(/\t/g, '&#9;');
}
