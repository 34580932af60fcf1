import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import pg from 'pg';
import { sql } from 'kysely';
import { testPlatform, grantRole, sessionFor } from '../support/app';
import { inScope } from '../../src/platform/db/database';
import { seedDemo } from '../../src/platform/demo/seed';
import { modules } from '../../src/modules';
import { apiScopes } from '../../src/platform/auth/apiKeys';
import type { Role } from '../../src/platform/db/tables';
import {
  HTTP_METHODS,
  arbitraryFor,
  fuzzSettings,
  mutationsOf,
  resolveRef,
  type JsonSchema,
  type OpenApiDoc,
  type Operation,
} from '../support/fuzz';

/**
 * OpenAPI-driven fuzzing over real HTTP (issue 14): every operation of the app's OpenAPI document
 * is called with values generated from its schemas (valid ones, then mutated: wrong types,
 * missing and extra fields, huge strings, NUL, lone surrogates, extreme numbers, bad dates,
 * unusual Unicode), as the principal that may use it (an official holding every role of Tartu who
 * is also a resident there and an ELVL admin, with an API key of Tartu with every scope) and as a
 * plain resident, with the CSRF header. Any 5xx, and any 4xx that is not problem+json, fails.
 *
 * CI runs a few cases per operation with a fixed seed; `npm run fuzz` runs many with a random
 * seed (printed; repeat a run with FUZZ_SEED=<seed>).
 */
const TARTU = '0793';
const ROLES: Role[] = ['admin', 'editor', 'analyst', 'council_member'];
const { seed, runs } = fuzzSettings();
console.log(`# fuzz: seed ${seed}, ${runs} runs per operation and principal (FUZZ_SEED, FUZZ_RUNS)`);

const platform = await testPlatform({ listen: true });
const { ctx } = platform;
await seedDemo(ctx, modules, { residents: 200, seed: 7, log: () => {} });

// The official: Tartu's demo admin (a Tartu resident), given every role there and ELVL's admin.
// Row-level security hides tenant rows outside a scope: read across all of them.
const { tartuResidents, grants, official } = await inScope(ctx.db, { tenant: '*' }, async (trx) => ({
  tartuResidents: (
    await sql<{ person_id: string }>`
      SELECT DISTINCT person_id FROM register_residence
      WHERE municipality_code = ${TARTU} AND valid_until IS NULL ORDER BY person_id`.execute(trx)
  ).rows.map((r) => r.person_id),
  grants: (await sql<{ person_id: string }>`SELECT DISTINCT person_id FROM role_grant`.execute(trx)).rows.map(
    (r) => r.person_id,
  ),
  official: (
    await sql<{ person_id: string }>`
      SELECT person_id FROM role_grant WHERE municipality_code = ${TARTU} AND role = 'admin' LIMIT 1`.execute(trx)
  ).rows[0]?.person_id,
}));
const resident = tartuResidents.find((id) => !grants.includes(id))!;
assert.ok(official && resident, 'the demo seed gives Tartu an admin and residents');

async function principals() {
  for (const role of ROLES) await grantRole(ctx, TARTU, official!, role);
  await grantRole(ctx, '0000', official!, 'admin');
  return { official: await sessionFor(ctx, official!), resident: await sessionFor(ctx, resident) };
}

/** When the test itself waits on the database: what the server is doing (diagnosis of hangs). */
async function dumpActivity(where: string) {
  const c = new pg.Client({ connectionString: platform.ownerUrl });
  await c.connect();
  const r = await c.query(
    `SELECT pid, state, wait_event_type, wait_event, now() - xact_start AS age, left(query, 200) AS query
     FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() ORDER BY xact_start`,
  );
  console.log(`# waiting before ${where}:\n${r.rows.map((x) => JSON.stringify(x)).join('\n')}`);
  await c.end();
}

const doc = (await (await fetch(`${platform.url}/api/docs/json`)).json()) as OpenApiDoc;
let apiKey = '';
async function issueKey() {
  const s = await sessionFor(ctx, official!);
  const r = await fetch(`${platform.url}/api/v1/municipalities/${TARTU}/api-clients`, {
    method: 'POST',
    headers: { ...s.headers, 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'Fuzz', scopes: apiScopes().map((x) => x.name) }),
  });
  assert.equal(r.status, 201, await r.clone().text());
  apiKey = ((await r.json()) as { key: string }).key;
}
await issueKey();

interface Call {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: string | FormData;
}

interface Failure {
  op: string;
  status: number;
  detail: string;
}

async function send(call: Call): Promise<{ status: number; type: string; text: string }> {
  if (process.env.FUZZ_VERBOSE === '2') console.log(`#   ${call.method} ${call.url.slice(0, 150)}`);
  const res = await fetch(platform.url + call.url, {
    method: call.method,
    headers: call.headers,
    ...(call.body !== undefined ? { body: call.body } : {}),
    redirect: 'manual',
    signal: AbortSignal.timeout(30_000),
  });
  const type = res.headers.get('content-type') ?? '';
  if (type.startsWith('text/event-stream')) {
    await res.body?.cancel();
    return { status: res.status, type, text: '' };
  }
  return { status: res.status, type, text: await res.text() };
}

function judge(op: string, how: string, call: Call, r: { status: number; type: string; text: string }): Failure[] {
  const where = `${op} [${how}] ${call.method} ${call.url.slice(0, 200)}`;
  if (r.status >= 500) return [{ op, status: r.status, detail: `${where} → ${r.status} ${r.text.slice(0, 300)}` }];
  // Open311 and CKAN's action API answer errors in the formats their standards define.
  const standard = /^\/(open311\/|api\/3\/action\/)/.test(call.url);
  if (r.status >= 400 && !standard && !r.type.startsWith('application/problem+json'))
    return [{ op, status: r.status, detail: `${where} → ${r.status} ${r.type}: ${r.text.slice(0, 200)}` }];
  return [];
}

// Real identifiers from the demo data, so that generated requests reach the use cases: for a
// path parameter, the `id`s in the answer of the collection GET before it (`/ideas` for
// `/ideas/{ideaId}`), else any value harvested under the parameter's own name.
const harvested = new Map<string, Set<string>>();
const collections = new Map<string, string[]>();
function harvest(value: unknown, into: Set<string>, depth = 0) {
  if (depth > 6 || value === null || typeof value !== 'object') return;
  if (Array.isArray(value)) return value.slice(0, 20).forEach((v) => harvest(v, into, depth + 1));
  for (const [k, v] of Object.entries(value)) {
    if ((typeof v === 'string' && v.length < 100) || typeof v === 'number') {
      if (k === 'id') into.add(String(v));
      let set = harvested.get(k);
      if (!set) harvested.set(k, (set = new Set()));
      if (set.size < 20) set.add(String(v));
    } else harvest(v, into, depth + 1);
  }
}
async function collection(prefix: string, headers: Record<string, string>): Promise<string[]> {
  const known = collections.get(prefix);
  if (known) return known;
  const ids = new Set<string>();
  try {
    const r = await send({ method: 'GET', url: prefix, headers });
    if (r.status === 200 && r.type.includes('json')) harvest(JSON.parse(r.text), ids);
  } catch {
    // no collection there
  }
  collections.set(prefix, [...ids]);
  return [...ids];
}

/** Percent-encodes a path segment; a lone surrogate goes as its (invalid) three UTF-8-like bytes. */
function encodePath(v: string): string {
  return [...v]
    .map((ch) => {
      const c = ch.charCodeAt(0);
      if (ch.length === 1 && c >= 0xd800 && c <= 0xdfff)
        return `%${(0xe0 | (c >> 12)).toString(16)}%${(0x80 | ((c >> 6) & 0x3f)).toString(16)}%${(0x80 | (c & 0x3f)).toString(16)}`.toUpperCase();
      return encodeURIComponent(ch);
    })
    .join('');
}

const pathParamNames = (p: string) => [...p.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]!);

/** Candidate values per path parameter: real ones first, then generated ones. */
async function pathValues(p: string, op: Operation, headers: Record<string, string>) {
  const names = pathParamNames(p);
  const schemas = new Map((op.parameters ?? []).filter((x) => x.in === 'path').map((x) => [x.name, x.schema]));
  const values: Record<string, string[]> = {};
  let prefixUrl = '';
  let rest = p;
  for (const name of names) {
    const i = rest.indexOf(`{${name}}`);
    prefixUrl += rest.slice(0, i);
    rest = rest.slice(i + name.length + 2);
    let candidates: string[];
    if (name === 'code' || name === 'municipality') candidates = [TARTU];
    else if (name === 'format') candidates = ['json', 'xml'];
    else {
      candidates = await collection(prefixUrl.replace(/\/$/, ''), headers);
      if (!candidates.length) candidates = [...(harvested.get(name) ?? [])];
    }
    const generated = fc.sample(arbitraryFor(doc, schemas.get(name) ?? { type: 'string' }), { seed, numRuns: 2 });
    values[name] = [...candidates.slice(0, 5), ...generated.map(String)];
    prefixUrl += encodeURIComponent(values[name][0]!);
  }
  return values;
}

function jsonSchemaOf(op: Operation): { mediaType: string; schema: JsonSchema } | undefined {
  const content = op.requestBody?.content;
  if (!content) return undefined;
  const mediaType =
    ['application/json', 'multipart/form-data', 'application/x-www-form-urlencoded'].find((m) => m in content) ??
    Object.keys(content)[0]!;
  return { mediaType, schema: resolveRef(doc, content[mediaType]?.schema ?? {}) };
}

function encodeBody(mediaType: string, value: unknown): { body: string | FormData; contentType?: string } {
  if (mediaType === 'multipart/form-data') {
    const form = new FormData();
    if (value && typeof value === 'object' && !Array.isArray(value))
      for (const [k, v] of Object.entries(value)) form.append(k, typeof v === 'string' ? v : JSON.stringify(v));
    form.append('file', new Blob(['Hello, fuzz'], { type: 'text/plain' }), 'fuzz.txt');
    return { body: form };
  }
  if (mediaType === 'application/x-www-form-urlencoded') {
    const form = new URLSearchParams();
    if (value && typeof value === 'object' && !Array.isArray(value))
      for (const [k, v] of Object.entries(value)) form.append(k, typeof v === 'string' ? v : JSON.stringify(v));
    return { body: form.toString(), contentType: mediaType };
  }
  return { body: JSON.stringify(value) ?? 'null', contentType: 'application/json' };
}

function queryString(value: Record<string, unknown> | undefined): string {
  if (!value) return '';
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(value)) {
    if (v === undefined) continue;
    if (Array.isArray(v)) v.forEach((x) => q.append(k, String(x)));
    else q.append(k, typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v));
  }
  const s = q.toString();
  return s ? `?${s}` : '';
}

function querySchema(op: Operation): JsonSchema {
  const qs = (op.parameters ?? []).filter((x) => x.in === 'query');
  return {
    type: 'object',
    properties: Object.fromEntries(qs.map((x) => [x.name, x.schema ?? { type: 'string' }])),
    required: qs.filter((x) => x.required).map((x) => x.name),
  };
}

test('fuzz: no operation answers 5xx or a non-problem error, whatever it is sent', async () => {
  const ops: { path: string; method: string; op: Operation }[] = [];
  for (const [p, item] of Object.entries(doc.paths))
    for (const method of HTTP_METHODS) if (item[method]) ops.push({ path: p, method, op: item[method] });
  // Deletions last, so that they take away as little as possible from the other operations.
  ops.sort((a, b) => Number(a.method === 'delete') - Number(b.method === 'delete'));
  assert.ok(ops.length > 50, `the OpenAPI document lists ${ops.length} operations`);

  const failures: Failure[] = [];
  let requests = 0;
  const started = Date.now();
  const only = process.env.FUZZ_ONLY ? new RegExp(process.env.FUZZ_ONLY) : undefined;
  for (const [index, { path: p, method, op }] of ops.entries()) {
    const name = `${method.toUpperCase()} ${p}`;
    if (only && !only.test(name)) continue;
    if (process.env.FUZZ_VERBOSE) console.log(`# ${Math.round((Date.now() - started) / 1000)} s: ${name}`);
    const watchdog = setTimeout(() => void dumpActivity(name), 15_000);
    const sessions = await principals();
    clearTimeout(watchdog);
    // A revoked key (DELETE api-clients) is replaced.
    if (p.includes('api-clients') && method === 'delete') await issueKey();
    const as = {
      official: { ...sessions.official.headers, 'x-api-key': apiKey, accept: 'application/json' },
      resident: { ...sessions.resident.headers, accept: 'application/json' },
    };
    const paramValues = await pathValues(p, op, as.official);
    const body = jsonSchemaOf(op);
    const validBody = body ? arbitraryFor(doc, body.schema) : fc.constant(undefined);
    const validQuery = arbitraryFor(doc, querySchema(op)) as fc.Arbitrary<Record<string, unknown>>;
    const opSeed = seed + index;
    const validCases = fc.sample(fc.tuple(validBody, validQuery, fc.nat()), { seed: opSeed, numRuns: runs });
    const mutatedCases = fc.sample(
      fc.tuple(
        fc.oneof(
          mutationsOf(validBody).map((m) => ({ part: 'body', ...m })),
          mutationsOf(validQuery).map((m) => ({ part: 'query', ...m })),
          fc
            .tuple(
              fc.constantFrom(...pathParamNames(p), '-'),
              fc.constantFrom('a\u0000b', 'x\ud800y', '-1', 'x'.repeat(99), '%', '1e999', ' '),
            )
            .map(([param, value]) => ({ part: `path ${param}`, how: `{${param}} = ${JSON.stringify(value)}`, value })),
        ),
        validBody,
        validQuery,
        fc.nat(),
      ),
      { seed: opSeed + 1_000_000, numRuns: runs * 2 },
    );

    const build = (
      headers: Record<string, string>,
      pick: number,
      bodyValue: unknown,
      queryValue: Record<string, unknown> | undefined,
      pathOverride?: [string, string],
    ): Call => {
      const url =
        p.replace(/\{([^}]+)\}/g, (_, n: string) => {
          if (pathOverride?.[0] === n) return encodePath(pathOverride[1]);
          const vs = paramValues[n] ?? ['x'];
          return encodePath(vs[pick % vs.length]!);
        }) + queryString(queryValue);
      const h = { ...headers };
      let payload: string | FormData | undefined;
      if (body && bodyValue !== undefined) {
        const enc = encodeBody(body.mediaType, bodyValue);
        payload = enc.body;
        if (enc.contentType) h['content-type'] = enc.contentType;
      }
      return { method: method.toUpperCase(), url, headers: h, ...(payload !== undefined ? { body: payload } : {}) };
    };

    for (const [who, headers] of Object.entries(as)) {
      for (const [b, q, pick] of validCases) {
        const call = build(headers, pick, b, q);
        failures.push(...judge(name, `valid as ${who}`, call, await send(call)));
        requests++;
      }
      for (const [m, b, q, pick] of mutatedCases) {
        const call =
          m.part === 'body'
            ? build(headers, pick, m.value, q)
            : m.part === 'query'
              ? build(headers, pick, b, m.value as Record<string, unknown>)
              : build(headers, pick, b, q, [m.part.slice(5), String(m.value)]);
        failures.push(...judge(name, `${m.part}: ${m.how} as ${who}`, call, await send(call)));
        requests++;
      }
    }
    // Two identical creates at once: one may win, the other conflicts (409) or succeeds; never 500.
    if (method === 'post' && validCases[0]) {
      const call = build(as.official, validCases[0][2], validCases[0][0], validCases[0][1]);
      const twice = await Promise.all([send(call), send({ ...call })]);
      for (const r of twice) failures.push(...judge(name, 'concurrent twin as official', call, r));
      requests += 2;
    }
  }
  console.log(
    `# fuzz: ${requests} requests over ${ops.length} operations in ${Math.round((Date.now() - started) / 1000)} s, ${failures.length} failures`,
  );
  const byOp = new Map<string, Failure[]>();
  for (const f of failures) byOp.set(f.op, [...(byOp.get(f.op) ?? []), f]);
  const report = [...byOp.values()].map((fs) => `${fs.length} × ${fs[0]!.detail}`).join('\n');
  assert.equal(failures.length, 0, `seed ${seed}: failures in ${byOp.size} operations:\n${report}`);
});
