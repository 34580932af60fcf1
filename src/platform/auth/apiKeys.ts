import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { sql } from 'kysely';
import type { AppContext } from '../context';
import { inScope } from '../db/database';
import type { ApiClientTable } from '../db/tables';
import type { Selectable } from 'kysely';
import { appendAudit } from '../audit/audit';
import { ELVL_TENANT } from '../places/ehak';
import { Problem, defineProblem, invalid, notFound } from '../http/problems';
import { requireRole, type Actor } from './actor';

/**
 * API keys of municipal IT systems (table `api_client`, migration 0004). A key looks like
 * `kov_<12-character prefix>_<43-character secret>`; the prefix finds the client, the SHA-256 of
 * the whole key is compared in constant time, and only that hash is stored. Each client belongs to
 * one municipality (ELVL `0000` for national systems, accepted everywhere) and holds scopes that
 * modules declare with `defineApiScope`. Issuing and revoking are for the municipality's admins
 * and are audited.
 *
 * In a route: `const client = await requireApiClient(ctx, request, { municipalityCode, scope })`
 * (401 without a key or with an unknown/revoked key, 403 for a key of another municipality or
 * without the scope). Read the key from wherever the standard puts it with `apiKeyFrom(request)`.
 */

export const P_API_KEY = {
  invalid: defineProblem(
    'invalid-api-key',
    401,
    'Missing or invalid API key',
    'This endpoint needs a valid API key of a registered client system (header X-Api-Key, or the parameter the standard names, e.g. api_key for Open311). Keys are issued by the municipality’s administrators.',
  ),
  scope: defineProblem(
    'api-key-scope',
    403,
    'The API key does not allow this',
    'The API key belongs to another municipality or lacks the scope this endpoint needs.',
  ),
};

export interface ApiScope {
  name: string;
  description: string;
}
const scopes = new Map<string, ApiScope>();

/** Declares a scope that keys can hold (call at module load, like `defineProblem`). */
export function defineApiScope(name: string, description: string): string {
  if (!/^[a-z0-9]+(?:[.:][a-z0-9-]+)*$/.test(name)) throw new Error(`bad API scope name ${name}`);
  scopes.set(name, { name, description });
  return name;
}

export function apiScopes(): ApiScope[] {
  return [...scopes.values()].sort((a, b) => a.name.localeCompare(b.name));
}

export interface ApiClient {
  id: string;
  municipalityCode: string;
  name: string;
  scopes: string[];
}

export interface ApiClientInfo extends ApiClient {
  contact: string | null;
  keyPrefix: string;
  createdAt: string;
  revokedAt: string | null;
  lastUsedAt: string | null;
}

const KEY_RE = /^kov_([A-Za-z0-9]{12})_([A-Za-z0-9_-]{43})$/;
const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const hashKey = (key: string) => createHash('sha256').update(key).digest();

function newKey(): { key: string; prefix: string } {
  const bytes = randomBytes(12);
  const prefix = [...bytes].map((b) => ALNUM[b % ALNUM.length]).join('');
  return { key: `kov_${prefix}_${randomBytes(32).toString('base64url')}`, prefix };
}

const canManage = (actor: Actor, municipalityCode: string) => requireRole(actor, municipalityCode, ['admin']);

function toInfo(r: Selectable<ApiClientTable>): ApiClientInfo {
  return {
    id: r.id,
    municipalityCode: r.municipality_code,
    name: r.name,
    scopes: r.scopes,
    contact: r.contact,
    keyPrefix: r.key_prefix,
    createdAt: r.created_at.toISOString(),
    revokedAt: r.revoked_at?.toISOString() ?? null,
    lastUsedAt: r.last_used_at?.toISOString() ?? null,
  };
}

export interface IssueInput {
  name: string;
  scopes: string[];
  contact?: string | null;
}

/** Issues a key; the key itself is returned once and never stored. */
export async function issueApiKey(
  ctx: AppContext,
  actor: Actor,
  municipalityCode: string,
  input: IssueInput,
): Promise<{ client: ApiClientInfo; key: string }> {
  const admin = canManage(actor, municipalityCode);
  const unknown = input.scopes.filter((s) => !scopes.has(s));
  if (unknown.length)
    throw invalid([
      {
        pointer: '/body/scopes',
        detail: `unknown scope(s): ${unknown.join(', ')}; known: ${[...scopes.keys()].join(', ')}`,
      },
    ]);
  if (!input.name.trim()) throw invalid([{ pointer: '/body/name', detail: 'must not be empty' }]);
  const tenant = await ctx.db
    .selectFrom('tenant')
    .select('code')
    .where('code', '=', municipalityCode)
    .executeTakeFirst();
  if (!tenant) throw notFound(`Municipality ${municipalityCode}`);
  const { key, prefix } = newKey();
  return inScope(ctx.db, { tenant: municipalityCode, actor: admin.personId }, async (trx) => {
    const row = await trx
      .insertInto('api_client')
      .values({
        municipality_code: municipalityCode,
        name: input.name.trim(),
        contact: input.contact?.trim() || null,
        key_prefix: prefix,
        key_hash: hashKey(key),
        scopes: [...new Set(input.scopes)].sort(),
        created_by: admin.personId,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await appendAudit(trx, {
      municipalityCode,
      actorId: admin.personId,
      action: 'api-client.issued',
      subject: `api-client:${row.id}`,
      details: { name: row.name, scopes: row.scopes, keyPrefix: prefix },
    });
    return { client: toInfo(row), key };
  });
}

export async function revokeApiKey(
  ctx: AppContext,
  actor: Actor,
  municipalityCode: string,
  id: string,
): Promise<ApiClientInfo> {
  const admin = canManage(actor, municipalityCode);
  const info = await inScope(ctx.db, { tenant: municipalityCode, actor: admin.personId }, async (trx) => {
    const row = await trx
      .selectFrom('api_client')
      .selectAll()
      .where('municipality_code', '=', municipalityCode)
      .where('id', '=', id)
      .forUpdate()
      .executeTakeFirst();
    if (!row) throw notFound(`API client ${id}`);
    if (row.revoked_at) return toInfo(row);
    const updated = await trx
      .updateTable('api_client')
      .set({ revoked_at: new Date(), revoked_by: admin.personId })
      .where('municipality_code', '=', municipalityCode)
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
    await appendAudit(trx, {
      municipalityCode,
      actorId: admin.personId,
      action: 'api-client.revoked',
      subject: `api-client:${id}`,
      details: { name: row.name, keyPrefix: row.key_prefix },
    });
    return toInfo(updated);
  });
  resolved.delete(info.keyPrefix);
  return info;
}

export async function listApiClients(
  ctx: AppContext,
  actor: Actor,
  municipalityCode: string,
): Promise<ApiClientInfo[]> {
  const admin = canManage(actor, municipalityCode);
  return inScope(ctx.db, { tenant: municipalityCode, actor: admin.personId }, async (trx) => {
    const rows = await trx
      .selectFrom('api_client')
      .selectAll()
      .where('municipality_code', '=', municipalityCode)
      .orderBy('created_at', 'desc')
      .execute();
    return rows.map(toInfo);
  });
}

// Resolved keys are kept for a few seconds so that machine traffic (thousands of requests a
// second) does not cost a lookup each; a revocation on this node takes effect at once, on other
// nodes within CACHE_MS.
const CACHE_MS = 10_000;
const TOUCH_MS = 60_000;
const resolved = new Map<string, { at: number; hash: Buffer; client: ApiClient | null; lastTouch: number }>();

/** The client a key belongs to, or null for a malformed, unknown or revoked key. */
export async function authenticateApiKey(ctx: AppContext, key: string): Promise<ApiClient | null> {
  const m = KEY_RE.exec(key.trim());
  if (!m) return null;
  const prefix = m[1]!;
  const hash = hashKey(key.trim());
  const now = Date.now();
  let entry = resolved.get(prefix);
  if (!entry || now - entry.at > CACHE_MS) {
    const { rows } = await sql<{
      municipality_code: string;
      id: string;
      name: string;
      key_hash: Buffer;
      scopes: string[];
      revoked_at: Date | null;
      last_used_at: Date | null;
    }>`SELECT * FROM kov_resolve_api_key(${prefix})`.execute(ctx.db);
    const r = rows[0];
    entry = {
      at: now,
      hash: r?.key_hash ?? Buffer.alloc(32),
      client:
        r && !r.revoked_at ? { id: r.id, municipalityCode: r.municipality_code, name: r.name, scopes: r.scopes } : null,
      lastTouch: r?.last_used_at?.getTime() ?? 0,
    };
    if (resolved.size > 10_000) resolved.clear();
    resolved.set(prefix, entry);
  }
  if (!entry.client || !timingSafeEqual(entry.hash, hash)) return null;
  if (now - entry.lastTouch > TOUCH_MS) {
    entry.lastTouch = now;
    await sql`SELECT kov_touch_api_key(${entry.client.id}::uuid)`.execute(ctx.db);
  }
  return entry.client;
}

/** Forget cached keys (tests that revoke through SQL). */
export function clearApiKeyCache() {
  resolved.clear();
}

/**
 * The key a request carries: `X-Api-Key` header, `Authorization: Bearer <key>`, or an `api_key`
 * parameter in the query string or a form body (as Open311 sends it).
 */
export function apiKeyFrom(request: FastifyRequest): string | undefined {
  const header = request.headers['x-api-key'];
  if (typeof header === 'string' && header) return header;
  const auth = request.headers.authorization;
  if (auth && /^Bearer\s+/i.test(auth)) return auth.replace(/^Bearer\s+/i, '');
  const q = (request.query as Record<string, unknown> | undefined)?.api_key;
  if (typeof q === 'string' && q) return q;
  const b = (request.body as Record<string, unknown> | undefined)?.api_key;
  if (typeof b === 'string' && b) return b;
  return undefined;
}

/** True if the client may act in the municipality with the scope (ELVL clients everywhere). */
export function clientAllows(client: ApiClient, municipalityCode: string | undefined, scope: string): boolean {
  if (!client.scopes.includes(scope)) return false;
  return (
    municipalityCode === undefined ||
    client.municipalityCode === municipalityCode ||
    client.municipalityCode === ELVL_TENANT
  );
}

/** Authenticates the request's key and checks municipality and scope; throws 401/403 problems. */
export async function requireApiClient(
  ctx: AppContext,
  request: FastifyRequest,
  need: { municipalityCode?: string; scope: string },
): Promise<ApiClient> {
  const key = apiKeyFrom(request);
  if (!key) throw new Problem(P_API_KEY.invalid, 'No API key was sent');
  const client = await authenticateApiKey(ctx, key);
  if (!client) throw new Problem(P_API_KEY.invalid, 'The API key is not valid (unknown, mistyped or revoked)');
  if (!clientAllows(client, need.municipalityCode, need.scope)) {
    throw new Problem(
      P_API_KEY.scope,
      need.municipalityCode &&
        client.municipalityCode !== need.municipalityCode &&
        client.municipalityCode !== ELVL_TENANT
        ? `The key belongs to municipality ${client.municipalityCode}, not ${need.municipalityCode}`
        : `The key lacks the scope ${need.scope}`,
    );
  }
  return client;
}
