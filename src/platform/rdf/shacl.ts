import { readFileSync } from 'node:fs';
import { Store, type Quad } from 'n3';
import type { Term } from '@rdfjs/types';
import SHACLValidator from 'rdf-validate-shacl';
import { parseTurtle, VOCAB } from './rdf';

/**
 * SHACL validation with a real engine (rdf-validate-shacl): load shapes from Turtle files once,
 * validate a graph, get a report people can read. An export "conforms" only when the engine says
 * so; `report.text` lists each violation with the node, the property and the shape's message.
 */
export interface ShaclResult {
  severity: 'Violation' | 'Warning' | 'Info';
  focusNode: string;
  path: string | null;
  message: string;
  constraint: string;
  shape: string;
  value: string | null;
}

export interface ShaclReport {
  conforms: boolean;
  results: ShaclResult[];
  /** One line per result, for logs, test failures and the CLI. */
  text: string;
}

export interface Shapes {
  files: string[];
  quads: Quad[];
}

const cache = new Map<string, Shapes>();

/** Reads and parses shape files (cached by path list). */
export function loadShapes(files: string[]): Shapes {
  const key = files.join('\n');
  let s = cache.get(key);
  if (!s) {
    const quads = files.flatMap((f) => parseTurtle(readFileSync(f, 'utf8')));
    s = { files, quads };
    cache.set(key, s);
  }
  return s;
}

const short = (t: Term | null | undefined): string => {
  if (!t) return '';
  if (t.termType === 'BlankNode') return `_:${t.value}`;
  if (t.termType === 'Literal') return JSON.stringify(t.value);
  for (const [p, base] of Object.entries(VOCAB))
    if (t.value.startsWith(base)) return `${p}:${t.value.slice(base.length)}`;
  return `<${t.value}>`;
};

export async function validateShacl(
  data: Quad[],
  shapes: Shapes,
  opts: { maxErrors?: number } = {},
): Promise<ShaclReport> {
  const validator = new SHACLValidator(new Store(shapes.quads), opts.maxErrors ? { maxErrors: opts.maxErrors } : {});
  const report = await validator.validate(new Store(data));
  const results: ShaclResult[] = report.results.map((r) => {
    const sev = r.severity?.value.replace(VOCAB.sh, '') ?? 'Violation';
    return {
      severity: (sev === 'Warning' || sev === 'Info' ? sev : 'Violation') as ShaclResult['severity'],
      focusNode: short(r.focusNode),
      path: r.path ? short(r.path) : null,
      message: r.message.map((m) => m.value).join(' ') || short(r.sourceConstraintComponent),
      constraint: short(r.sourceConstraintComponent).replace(/^sh:/, ''),
      shape: short(r.sourceShape),
      value: r.value ? short(r.value) : null,
    };
  });
  const text = report.conforms
    ? 'conforms'
    : results
        .map(
          (r) =>
            `${r.severity}: ${r.focusNode}${r.path ? ` ${r.path}` : ''} — ${r.message} [${r.constraint}]${r.value ? ` value ${r.value}` : ''}`,
        )
        .join('\n');
  return { conforms: report.conforms, results, text };
}
