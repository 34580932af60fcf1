import { Ajv, type ErrorObject, type Options } from 'ajv';
import addFormats from 'ajv-formats';
import type { FastifySchemaCompiler } from 'fastify';
import type { FieldError } from './problems';

/**
 * Request validation. Bodies are checked strictly (no type coercion, unknown fields refused when
 * the schema says so, nothing silently removed); query strings, path parameters and headers
 * arrive as text and are coerced to the declared types.
 */
function makeAjv(opts: Options): Ajv {
  const ajv = new Ajv({ allErrors: true, removeAdditional: false, useDefaults: true, strict: false, ...opts });
  (addFormats as unknown as (a: Ajv) => void)(ajv);
  return ajv;
}

const strict = makeAjv({ coerceTypes: false });
const coercing = makeAjv({ coerceTypes: 'array' });

export const validatorCompiler: FastifySchemaCompiler<unknown> = ({ schema, httpPart }) => {
  const ajv = httpPart === 'body' ? strict : coercing;
  return ajv.compile(schema as object) as ReturnType<FastifySchemaCompiler<unknown>>;
};

/** Turns ajv's errors into field errors with JSON pointers (`/body/items/0/cost`). */
export function fieldErrors(errors: ErrorObject[], httpPart: string): FieldError[] {
  const part = httpPart === 'querystring' ? 'query' : httpPart;
  const out: FieldError[] = [];
  const seen = new Set<string>();
  // A union of literals fails as one `const` error per branch: say it once, with the choices.
  const constAllowed = new Map<string, unknown[]>();
  for (const e of errors) {
    if (e.keyword === 'const') {
      const list = constAllowed.get(e.instancePath) ?? [];
      list.push((e.params as { allowedValue: unknown }).allowedValue);
      constAllowed.set(e.instancePath, list);
    }
  }
  for (const e of errors) {
    if (
      e.keyword === 'const' ||
      ((e.keyword === 'anyOf' || e.keyword === 'oneOf') && constAllowed.has(e.instancePath))
    ) {
      const allowed = constAllowed.get(e.instancePath);
      if (!allowed) continue;
      const key = `/${part}${e.instancePath}|const`;
      if (!seen.has(key)) {
        seen.add(key);
        out.push({
          pointer: `/${part}${e.instancePath}`,
          detail: `must be one of: ${allowed.join(', ')}`,
          code: 'enum',
          allowed,
        });
      }
      continue;
    }
    let pointer = `/${part}${e.instancePath}`;
    let detail = e.message ?? 'is not valid';
    const machine: Pick<FieldError, 'code' | 'limit' | 'format' | 'allowed'> = { code: e.keyword };
    const params = e.params as { limit?: unknown; format?: unknown; allowedValues?: unknown[] };
    if (typeof params.limit === 'number') machine.limit = params.limit;
    if (typeof params.format === 'string') machine.format = params.format;
    if (e.keyword === 'required') {
      pointer += `/${(e.params as { missingProperty: string }).missingProperty}`;
      detail = 'is required';
    } else if (e.keyword === 'additionalProperties') {
      pointer += `/${(e.params as { additionalProperty: string }).additionalProperty}`;
      detail = 'is not an allowed field';
    } else if (e.keyword === 'enum') {
      detail = `must be one of: ${(e.params as { allowedValues: unknown[] }).allowedValues.join(', ')}`;
      machine.allowed = params.allowedValues;
    } else if (e.keyword === 'anyOf' || e.keyword === 'oneOf') {
      // The branches' own errors say more; keep this only if nothing else names the field.
      if (
        errors.some(
          (o) => o !== e && o.instancePath.startsWith(e.instancePath) && o.keyword !== 'anyOf' && o.keyword !== 'oneOf',
        )
      )
        continue;
      detail = 'does not match any allowed form';
      machine.code = 'invalid';
    }
    const key = `${pointer}|${detail}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ pointer, detail, ...machine });
  }
  return out;
}
