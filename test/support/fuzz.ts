import fc from 'fast-check';

/**
 * OpenAPI-driven fuzzing (test/api/fuzz.test.ts, `npm run fuzz`): fast-check arbitraries built
 * from the JSON schemas of the app's OpenAPI document (valid values), and mutations of them that a
 * hostile or careless client sends (wrong types, missing required fields, extra fields, huge
 * strings, NUL, lone surrogates, extreme numbers, impossible dates, unusual Unicode).
 */

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type JsonSchema = any;

export interface OpenApiDoc {
  paths: Record<string, Record<string, Operation>>;
  components?: { schemas?: Record<string, JsonSchema> };
}

export interface Operation {
  operationId?: string;
  security?: unknown[];
  parameters?: { in: 'path' | 'query' | 'header' | 'cookie'; name: string; required?: boolean; schema?: JsonSchema }[];
  requestBody?: { required?: boolean; content?: Record<string, { schema?: JsonSchema }> };
}

export const HTTP_METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;

/** Resolves `$ref`s into the document's components (Fastify's swagger names them `def-N`). */
export function resolveRef(doc: OpenApiDoc, schema: JsonSchema): JsonSchema {
  let s = schema;
  for (let i = 0; i < 10 && s && typeof s === 'object' && typeof s.$ref === 'string'; i++) {
    const name = s.$ref.replace(/^#\/components\/schemas\//, '');
    s = doc.components?.schemas?.[name] ?? {};
  }
  return s ?? {};
}

const SHORT = 24;

function stringArbitrary(s: JsonSchema): fc.Arbitrary<string> {
  const minLength = typeof s.minLength === 'number' ? s.minLength : 0;
  const maxLength = typeof s.maxLength === 'number' ? s.maxLength : Math.max(minLength, SHORT);
  const fits = (v: string) => v.length >= minLength && v.length <= maxLength;
  switch (s.format) {
    case 'uuid':
      return fc.uuid({ version: 4 });
    case 'date':
      return fc
        .date({ min: new Date('2020-01-01T00:00:00Z'), max: new Date('2030-12-31T00:00:00Z'), noInvalidDate: true })
        .map((d) => d.toISOString().slice(0, 10));
    case 'date-time':
      return fc
        .date({ min: new Date('2020-01-01T00:00:00Z'), max: new Date('2030-12-31T00:00:00Z'), noInvalidDate: true })
        .map((d) => d.toISOString());
    case 'email':
      return fc.constantFrom('info@tartu.ee', 'mari.maasikas@example.ee', 'a@b.ee');
    case 'uri':
    case 'url':
      return fc.constantFrom('https://example.ee/a', 'https://tartu.ee/', 'https://example.org/x?y=1');
    case 'time':
      return fc.constantFrom('10:00', '10:00:00', '23:59:59');
  }
  if (typeof s.pattern === 'string') {
    let re: RegExp;
    try {
      re = new RegExp(s.pattern, 'u');
    } catch {
      return fc.constant('x');
    }
    // Only the schema's own bounds: a pattern may demand more than the default length.
    const bounded = (v: string) =>
      v.length >= minLength && (typeof s.maxLength !== 'number' || v.length <= s.maxLength);
    try {
      return fc.stringMatching(re).filter(bounded);
    } catch {
      // A pattern fast-check cannot generate from (lookaheads): known shapes that fit it, else 'x'.
      const fit = ['x', 'abc', 'a1', '1', 'A1', 'test-1', '2026-01', '2026-01-01', 'ABC-123', 'a@b.ee'].filter(
        (c) => re.test(c) && bounded(c),
      );
      return fc.constantFrom(...(fit.length ? fit : ['x']));
    }
  }
  const chars = fc.oneof(
    { weight: 4, arbitrary: fc.string({ unit: 'grapheme-ascii', minLength, maxLength: Math.min(maxLength, SHORT) }) },
    { weight: 1, arbitrary: fc.string({ unit: 'grapheme', minLength, maxLength: Math.min(maxLength, SHORT) }) },
    { weight: 2, arbitrary: fc.constantFrom('Tartu linn', 'Auk teel', 'Õunapuu 5, Elva', 'Пример', 'Test') },
  );
  return chars.filter(fits);
}

/** An arbitrary of values the schema accepts (as far as the schema can say). */
export function arbitraryFor(doc: OpenApiDoc, schema: JsonSchema, depth = 0): fc.Arbitrary<unknown> {
  const s = resolveRef(doc, schema);
  if (depth > 6) return fc.constant(null);
  if (s.const !== undefined) return fc.constant(s.const);
  if (Array.isArray(s.enum) && s.enum.length) return fc.constantFrom(...(s.enum as unknown[]));
  const alternatives = s.anyOf ?? s.oneOf;
  if (Array.isArray(alternatives) && alternatives.length)
    return fc.oneof(...alternatives.map((a: JsonSchema) => arbitraryFor(doc, a, depth + 1)));
  if (Array.isArray(s.allOf) && s.allOf.length) {
    const merged = s.allOf.map((a: JsonSchema) => resolveRef(doc, a));
    return arbitraryFor(
      doc,
      {
        type: 'object',
        properties: Object.assign({}, ...merged.map((m: JsonSchema) => m.properties ?? {})),
        required: merged.flatMap((m: JsonSchema) => m.required ?? []),
      },
      depth + 1,
    );
  }
  if (Array.isArray(s.type))
    return fc.oneof(...s.type.map((t: string) => arbitraryFor(doc, { ...s, type: t }, depth + 1)));
  const type = s.type ?? (s.properties ? 'object' : s.items ? 'array' : undefined);
  switch (type) {
    case 'string':
      return stringArbitrary(s);
    case 'integer':
    case 'number': {
      const min = s.minimum ?? (s.exclusiveMinimum !== undefined ? s.exclusiveMinimum + 1 : -1000);
      const max = s.maximum ?? (s.exclusiveMaximum !== undefined ? s.exclusiveMaximum - 1 : Math.max(min, 0) + 1000);
      const lo = Math.max(min, -1_000_000);
      const hi = Math.min(max, lo + 1_000_000);
      return type === 'integer'
        ? fc.integer({ min: Math.ceil(lo), max: Math.floor(hi) })
        : fc.double({ min: lo, max: hi, noNaN: true, noDefaultInfinity: true });
    }
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'array': {
      const minLength = s.minItems ?? 0;
      const maxLength = Math.max(minLength, Math.min(s.maxItems ?? 3, 3));
      const item = arbitraryFor(doc, s.items ?? {}, depth + 1);
      return s.uniqueItems
        ? fc.uniqueArray(item, { minLength, maxLength, selector: (v) => JSON.stringify(v) })
        : fc.array(item, { minLength, maxLength });
    }
    case 'object': {
      const props: Record<string, fc.Arbitrary<unknown>> = {};
      for (const [k, v] of Object.entries<JsonSchema>(s.properties ?? {})) props[k] = arbitraryFor(doc, v, depth + 1);
      const requiredKeys = ((s.required ?? []) as string[]).filter((k) => k in props);
      return fc.record(props, { requiredKeys });
    }
    default:
      return fc.oneof(fc.constant('x'), fc.integer(), fc.constant(null));
  }
}

/** Values a hostile client puts where a valid one was. */
export const HOSTILE_VALUES: readonly unknown[] = [
  'a\u0000b',
  '\u0000',
  'x\ud800y',
  '\udfff',
  '',
  ' ',
  '   \n\t ',
  'x'.repeat(10_000),
  'ž'.repeat(200_000),
  '<img src=x onerror=alert(1)>',
  "'; DROP TABLE person; --",
  '../../../etc/passwd',
  '\u202eevil\u202c',
  'ℌ𝔢𝔩𝔩𝔬 🇪🇪 Õäöü ščž Ё',
  '\ufeff\u200b',
  '%00',
  '2026-02-30',
  '2026-13-01',
  '0000-00-00',
  '9999-12-31T25:61:61Z',
  '-infinity',
  'NaN',
  '00000000-0000-0000-0000-000000000000',
  '1e309',
  -1,
  0,
  -2147483649,
  2147483648,
  2 ** 53 + 2,
  1e308,
  -1e308,
  0.5,
  true,
  null,
  [],
  [null],
  {},
  { nested: { deeper: ['x'] } },
];

type Path = (string | number)[];

function paths(value: unknown, at: Path = [], out: Path[] = [], depth = 0): Path[] {
  out.push(at);
  if (depth > 8 || value === null || typeof value !== 'object') return out;
  if (Array.isArray(value)) value.forEach((v, i) => paths(v, [...at, i], out, depth + 1));
  else for (const [k, v] of Object.entries(value)) paths(v, [...at, k], out, depth + 1);
  return out;
}

function clone<T>(v: T): T {
  return v === undefined ? v : (JSON.parse(JSON.stringify(v)) as T);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a JSON value walked by path
function setAt(root: unknown, at: Path, f: (parent: any, key: string | number) => void): unknown {
  if (at.length === 0) return root;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  let parent: any = root;
  for (const key of at.slice(0, -1)) parent = parent?.[key];
  if (parent && typeof parent === 'object') f(parent, at[at.length - 1]!);
  return root;
}

/** One mutation of a valid value: what it does (for the failure message) and the result. */
export interface Mutated {
  how: string;
  value: unknown;
}

/** Mutations of values from `valid`: each changes one place (or the whole) of the value. */
export function mutationsOf(valid: fc.Arbitrary<unknown>): fc.Arbitrary<Mutated> {
  return fc
    .tuple(valid, fc.nat(), fc.nat({ max: 3 }), fc.constantFrom(...HOSTILE_VALUES), fc.string({ unit: 'binary' }))
    .map(([v, pick, kind, hostile, noise]) => {
      const value = clone(v);
      const all = paths(value);
      const at = all[pick % all.length]!;
      const where = '/' + at.join('/');
      if (at.length === 0) {
        return kind === 0
          ? { how: 'whole value replaced by binary noise', value: noise }
          : { how: `whole value replaced by ${JSON.stringify(hostile)?.slice(0, 40)}`, value: hostile };
      }
      switch (kind) {
        case 0:
          setAt(value, at, (p, k) => (Array.isArray(p) ? p.splice(Number(k), 1) : delete p[k]));
          return { how: `${where} removed`, value };
        case 1:
          setAt(value, at.slice(0, -1).length ? at.slice(0, -1) : at, (p, k) => {
            const target = at.length > 1 ? p[k] : p;
            if (target && typeof target === 'object' && !Array.isArray(target)) target.unexpectedField = hostile;
          });
          if (at.length === 1 && value && typeof value === 'object' && !Array.isArray(value))
            (value as Record<string, unknown>).unexpectedField = hostile;
          return { how: `extra field next to ${where}`, value };
        case 2:
          setAt(value, at, (p, k) => (p[k] = noise));
          return { how: `${where} = binary noise`, value };
        default:
          setAt(value, at, (p, k) => (p[k] = hostile));
          return { how: `${where} = ${JSON.stringify(hostile)?.slice(0, 40)}`, value };
      }
    });
}

/** Seed and number of runs: fixed in CI, `npm run fuzz` sets FUZZ_RUNS and a random FUZZ_SEED. */
export function fuzzSettings(): { seed: number; runs: number } {
  const seed = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : 20261207;
  const runs = process.env.FUZZ_RUNS ? Math.max(1, Number(process.env.FUZZ_RUNS)) : 1;
  return { seed, runs };
}
