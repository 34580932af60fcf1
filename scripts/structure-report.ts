/**
 * `npm run structure`: the structural figures of docs/architecture.md ("Structure, measured"), so
 * that a change can say what it did to them. Reads files as text; changes nothing.
 *
 *   as never casts            `as never` in src/ and web/src (product code, tests excluded)
 *   queries outside stores    Kysely query starts and sql`` templates in src/modules outside store files
 *   untyped responses         route answers (method, path, status in the OpenAPI document the app
 *                             builds) with a part that types nothing: `{}` (Any/Unknown/Unsafe<any>),
 *                             an object open to any field (`additionalProperties: true`, which the
 *                             serializer writes unfiltered) or a record of Unknown; free-form parts by
 *                             design (FREE_FORM below) are counted apart
 *   boundary violations       dependency-cruiser's module rules, known violations included
 *   cycles                    dependency-cruiser's no-circular, known violations included
 *   files over 400 lines      product and test code
 *   lines over 120 characters product and test code
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');

function walk(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(path.join(root, dir))) {
    if (name === 'node_modules' || name.startsWith('.') || name === 'dist') continue;
    const rel = path.join(dir, name);
    if (statSync(path.join(root, rel)).isDirectory()) walk(rel, out);
    else if (/\.(ts|tsx)$/.test(name)) out.push(rel);
  }
  return out;
}

const code = ['src', 'web/src', 'test', 'bench', 'scripts'].flatMap((d) => walk(d));
const isTest = (f: string) => /\.test\.tsx?$/.test(f) || f.startsWith('test/') || /testSupport\.ts$/.test(f);
const product = code.filter((f) => (f.startsWith('src/') || f.startsWith('web/src/')) && !isTest(f));
const text = new Map(code.map((f) => [f, readFileSync(path.join(root, f), 'utf8')]));
const count = (s: string, re: RegExp) => (s.match(re) ?? []).length;

let asNever = 0;
let queriesOutside = 0;
let queriesInside = 0;
for (const f of product) {
  const s = text.get(f)!;
  asNever += count(s, /\bas never\b/g);
  if (f.startsWith('src/modules/')) {
    const q = count(s, /\.(selectFrom|insertInto|updateTable|deleteFrom|mergeInto)\(|\bsql`/g);
    if (/(^|\/)store[A-Za-z]*\.ts$|\/stores?\//.test(f)) queriesInside += q;
    else queriesOutside += q;
  }
}

let longFiles = 0;
let longLines = 0;
for (const f of code) {
  const lines = text.get(f)!.split('\n');
  if (lines.length > 400) longFiles++;
  longLines += lines.filter((l) => l.length > 120).length;
}

const dc = spawnSync(
  'npx',
  [
    'depcruise',
    'src',
    'web/src',
    'test',
    'bench',
    'scripts',
    'bin',
    '--config',
    '.dependency-cruiser.cjs',
    '--output-type',
    'json',
  ],
  { cwd: root, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 },
);
let boundary = -1;
let cycles = -1;
try {
  const result = JSON.parse(dc.stdout) as { summary: { violations: { rule: { name: string } }[] } };
  const v = result.summary.violations;
  cycles = v.filter((x) => x.rule.name === 'no-circular').length;
  boundary = v.length - cycles;
} catch {
  console.error('dependency-cruiser did not answer:', dc.stderr.slice(0, 500));
}

let duplicatePairs: string = 'n/a (the duplicates tool is not on this machine)';
const dup = spawnSync('duplicates', ['--seconds', '120', '--most', '1'], { cwd: root, encoding: 'utf8' });
if (dup.status === 0) duplicatePairs = /^(\d+) pairs/m.exec(dup.stdout)?.[1] ?? 'n/a';

/**
 * Free-form by design: JSON whose shape belongs to someone else — an audit entry's or report
 * history's `details`, a report's category `attributes` and `internal` fields (defined per
 * municipality and category), an open-data run's `changes` — and documents in a standard's own
 * shape (Data Package, RIHA, the CKAN action API's `result`), checked against that standard elsewhere.
 */
const FREE_FORM = [
  /\.(details|attributes|internal)\/\*$/,
  /\.changes\[\]\/\*$/,
  /^GET \/api\/v1\/opendata\/datasets\/\{name\}\/datapackage\.json \d+$/,
  /^GET \/api\/v1\/municipalities\/\{code\}\/opendata\/systems\/\{id\}\/riha\.json \d+$/,
  /^(GET|POST) \/api\/3\/action\/\w+ 200\.result$/,
];

/** Untyped parts of every JSON response schema in the OpenAPI document (built without a database). */
async function untypedResponses(): Promise<{ untyped: string[]; freeForm: string[] }> {
  const { loadConfig } = await import('../src/config');
  const { createContext } = await import('../src/platform/context');
  const { createLogger } = await import('../src/platform/log');
  const { buildApp } = await import('../src/app');
  const config = loadConfig({ KOV_MODE: 'test', KOV_WEB_DIST: '', LOG_LEVEL: 'silent' });
  // No query is made: the pool would connect on first use only.
  const ctx = createContext(config, 'postgres://structure@127.0.0.1:1/none', createLogger('silent'), {
    jobWorkers: false,
    poolSize: 1,
  });
  const app = await buildApp(ctx);
  await app.ready();
  type Schema = { [k: string]: unknown };
  const parts: string[] = [];
  const walk = (s: Schema | undefined, where: string) => {
    if (!s || typeof s !== 'object') return;
    const keys = Object.keys(s).filter((k) => !['description', 'title', 'example', 'examples'].includes(k));
    if (keys.length === 0) return void parts.push(where);
    const props = (s.properties ?? {}) as Record<string, Schema>;
    if (s.additionalProperties === true) parts.push(where);
    else if (s.type === 'object' && !s.properties && !s.additionalProperties && !s.patternProperties) parts.push(where);
    const add = s.additionalProperties;
    if (add && typeof add === 'object') walk(add as Schema, `${where}/*`);
    for (const p of Object.values((s.patternProperties ?? {}) as Record<string, Schema>)) walk(p, `${where}/*`);
    for (const [k, v] of Object.entries(props)) walk(v, `${where}.${k}`);
    if (s.items) walk(s.items as Schema, `${where}[]`);
    for (const k of ['anyOf', 'oneOf', 'allOf']) ((s[k] ?? []) as Schema[]).forEach((x, i) => walk(x, `${where}|${i}`));
  };
  const doc = app.swagger() as unknown as {
    paths: Record<string, Record<string, { responses?: Record<string, Schema> }>>;
  };
  for (const [p, ops] of Object.entries(doc.paths))
    for (const [method, op] of Object.entries(ops))
      for (const [status, r] of Object.entries(op.responses ?? {}))
        for (const [type, c] of Object.entries((r.content ?? {}) as Record<string, { schema?: Schema }>))
          if (type.includes('json')) walk(c.schema, `${method.toUpperCase()} ${p} ${status}`);
  await app.close();
  await ctx.database.close();
  const route = (part: string) => /^\S+ \S+ \d+/.exec(part)![0];
  const untyped = new Set(parts.filter((x) => !FREE_FORM.some((re) => re.test(x))).map(route));
  const freeForm = new Set(parts.filter((x) => FREE_FORM.some((re) => re.test(x))).map(route));
  return { untyped: [...untyped], freeForm: [...freeForm] };
}
let untyped: { untyped: string[]; freeForm: string[] } | undefined;
try {
  untyped = await untypedResponses();
} catch (err) {
  console.error('the OpenAPI document could not be built:', err);
}
if (process.argv.includes('--list-untyped')) for (const r of untyped?.untyped ?? []) console.log(`untyped: ${r}`);

const rows: [string, string | number][] = [
  ['as never casts (product code)', asNever],
  ['queries outside store files (src/modules)', queriesOutside],
  ['queries inside store files (src/modules)', queriesInside],
  ['untyped response schemas (route answers)', untyped?.untyped.length ?? 'n/a'],
  ['  free-form parts by design (route answers)', untyped?.freeForm.length ?? 'n/a'],
  ['boundary violations (incl. known)', boundary],
  ['import cycles (incl. known)', cycles],
  ['files over 400 lines', longFiles],
  ['lines over 120 characters', longLines],
  ['duplicated pairs (duplicates tool)', duplicatePairs],
];
const w = Math.max(...rows.map((r) => r[0].length));
for (const [k, v] of rows) console.log(`${k.padEnd(w)}  ${v}`);
process.exit(0);
