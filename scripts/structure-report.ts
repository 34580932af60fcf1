/**
 * `npm run structure`: the structural figures of docs/architecture.md ("Structure, measured"), so
 * that a change can say what it did to them. Reads files as text; changes nothing.
 *
 *   as never casts            `as never` in src/ and web/src (product code, tests excluded)
 *   queries outside stores    Kysely query starts and sql`` templates in src/modules outside store files
 *   untyped responses         response schemas declared as Any/Unknown/Unsafe<any> (or an array of them)
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
let untypedResponses = 0;
for (const f of product) {
  const s = text.get(f)!;
  asNever += count(s, /\bas never\b/g);
  if (f.startsWith('src/modules/')) {
    const q = count(s, /\.(selectFrom|insertInto|updateTable|deleteFrom|mergeInto)\(|\bsql`/g);
    if (/(^|\/)store[A-Za-z]*\.ts$|\/stores?\//.test(f)) queriesInside += q;
    else queriesOutside += q;
  }
  if (f.startsWith('src/')) {
    // Response schemas that type nothing: `200: Any`, `Type.Any()`, `Type.Unsafe<any>`, or a list of them.
    untypedResponses += count(
      s,
      /\b\d{3}:\s*(Type\.Array\()?(Any\b|Type\.Any\(\)|Type\.Unknown\(\)|Type\.Unsafe<any>)/g,
    );
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

const rows: [string, string | number][] = [
  ['as never casts (product code)', asNever],
  ['queries outside store files (src/modules)', queriesOutside],
  ['queries inside store files (src/modules)', queriesInside],
  ['untyped response schemas', untypedResponses],
  ['boundary violations (incl. known)', boundary],
  ['import cycles (incl. known)', cycles],
  ['files over 400 lines', longFiles],
  ['lines over 120 characters', longLines],
  ['duplicated pairs (duplicates tool)', duplicatePairs],
];
const w = Math.max(...rows.map((r) => r[0].length));
for (const [k, v] of rows) console.log(`${k.padEnd(w)}  ${v}`);
