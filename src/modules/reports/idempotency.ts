import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import type { AppContext } from '../../platform/context';
import type { Actor } from '../../platform/auth/actor';
import type { Trx } from '../../platform/db/database';
import { Problem, invalid } from '../../platform/http/problems';
import { RP } from './problems';

/**
 * Idempotent report intake (IETF draft-ietf-httpapi-idempotency-key-header): a client sends
 * `Idempotency-Key` with a POST of a report; the first request stores the key with its answer in
 * the same transaction as the report (table `report_idempotency`, migration 0406); a retry with
 * the same key and the same content gets that answer again (the same report id) instead of a
 * second report; the same key with other content is refused (422). Two requests with the same key
 * at the same time: the primary key makes the second wait for the first's transaction, then it
 * answers with what the first stored (or, if the first failed, goes ahead itself).
 *
 * Neither the key nor the answer is stored in clear: the row is found by a SHA-256 of scope and
 * key, and the answer (which holds the report's manage token) is encrypted (AES-256-GCM) with a
 * key derived from the client's key, which only the client holds.
 */
export const IDEMPOTENCY_HEADER = 'idempotency-key';
export const IDEMPOTENCY_TTL_HOURS = 24;
export const IDEMPOTENCY_PURGE_JOB = 'reports.idempotency-purge';
/** Answers that replay a stored answer carry this header (`true`). */
export const REPLAYED_HEADER = 'idempotent-replayed';

export interface IdempotentRequest {
  scope: string;
  keyHash: Buffer;
  secret: Buffer;
  fingerprint: Buffer;
  /** Set when the answer is the stored one of an earlier request. */
  replayed: boolean;
}

const MIN_KEY = 16;
const MAX_KEY = 255;

/**
 * The request's key, if it sent one: an RFC 8941 sf-string (`"…"`, as the draft has it) or, as
 * many clients send it, the bare value. Keys must be unguessable (a UUID is the usual choice): at
 * least 16 and at most 255 visible ASCII characters.
 */
export function idempotencyKeyOf(header: string | string[] | undefined): string | undefined {
  if (header === undefined) return undefined;
  const raw = (Array.isArray(header) ? header.join(',') : header).trim();
  const key = /^"(.*)"$/.exec(raw)?.[1] ?? raw;
  if (key.length < MIN_KEY || key.length > MAX_KEY || !/^[\x21\x23-\x5b\x5d-\x7e]+$/.test(key))
    throw invalid([
      {
        pointer: '/headers/idempotency-key',
        detail: `must be ${MIN_KEY}–${MAX_KEY} visible ASCII characters without quotes or backslashes (a UUID, for instance)`,
      },
    ]);
  return key;
}

/** Who the key belongs to: a logged-in person's keys are theirs alone; everybody else shares one scope. */
function scopeOf(actor: Actor): string {
  return actor.kind === 'person' ? `person:${actor.personId}` : 'anonymous';
}

/** JSON with sorted keys, buffers as their SHA-256: the same content gives the same text. */
function canonical(value: unknown): string {
  if (Buffer.isBuffer(value)) return JSON.stringify(`sha256:${createHash('sha256').update(value).digest('hex')}`);
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object')
    return `{${Object.keys(value)
      .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  return JSON.stringify(value) ?? 'null';
}

export function idempotentRequest(actor: Actor, key: string, content: unknown): IdempotentRequest {
  const scope = scopeOf(actor);
  const derive = (purpose: string) =>
    createHash('sha256').update(`kov-report-idempotency-${purpose}\0${scope}\0${key}`).digest();
  return {
    scope,
    keyHash: derive('key'),
    secret: derive('answer'),
    fingerprint: createHash('sha256').update(canonical(content)).digest(),
    replayed: false,
  };
}

function seal(secret: Buffer, answer: unknown): Buffer {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', secret, iv);
  const body = Buffer.concat([cipher.update(JSON.stringify(answer), 'utf8'), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), body]);
}

function open(secret: Buffer, sealed: Buffer): unknown {
  const decipher = createDecipheriv('aes-256-gcm', secret, sealed.subarray(0, 12));
  decipher.setAuthTag(sealed.subarray(12, 28));
  return JSON.parse(Buffer.concat([decipher.update(sealed.subarray(28)), decipher.final()]).toString('utf8'));
}

/**
 * Claims the key in `trx` before anything else is written. Returns undefined when this request is
 * the first (go ahead, then `recordAnswer` in the same transaction), or the stored answer of the
 * first. A row whose time is up counts as absent (the purge job may not have run yet).
 */
export async function claimKey<T>(trx: Trx, idem: IdempotentRequest, now: Date): Promise<T | undefined> {
  const expires = new Date(now.getTime() + IDEMPOTENCY_TTL_HOURS * 3600_000);
  // Waits here while another transaction holds the same key, until it commits or rolls back.
  const claimed = await sql<{ claimed: number }>`
    INSERT INTO report_idempotency AS r (scope, key_hash, fingerprint, status, answer, created_at, expires_at)
    VALUES (${idem.scope}, ${idem.keyHash}, ${idem.fingerprint}, 0, NULL, ${now}, ${expires})
    ON CONFLICT (scope, key_hash) DO UPDATE
      SET fingerprint = EXCLUDED.fingerprint, status = 0, answer = NULL, created_at = EXCLUDED.created_at, expires_at = EXCLUDED.expires_at
      WHERE r.expires_at <= ${now}
    RETURNING 1 AS claimed`.execute(trx);
  if (claimed.rows.length) return undefined;
  const prior = await trx
    .selectFrom('report_idempotency')
    .select(['fingerprint', 'status', 'answer'])
    .where('scope', '=', idem.scope)
    .where('key_hash', '=', idem.keyHash)
    .executeTakeFirstOrThrow();
  if (!prior.fingerprint.equals(idem.fingerprint))
    throw new Problem(
      RP.idempotencyKeyReused,
      'This Idempotency-Key was used for a request with other content; use a new key for a new report',
    );
  if (!prior.answer) throw new Problem(RP.idempotencyKeyInFlight, 'A request with this Idempotency-Key is in progress');
  idem.replayed = true;
  return open(idem.secret, prior.answer) as T;
}

/** Stores the answer with the claimed key, in the transaction that wrote what it answers. */
export async function recordAnswer(trx: Trx, idem: IdempotentRequest, status: number, answer: unknown) {
  await trx
    .updateTable('report_idempotency')
    .set({ status, answer: seal(idem.secret, answer) })
    .where('scope', '=', idem.scope)
    .where('key_hash', '=', idem.keyHash)
    .execute();
}

/** Removes keys whose 24 hours are up (the purge job, hourly). */
export async function purgeIdempotencyKeys(ctx: AppContext): Promise<number> {
  const r = await ctx.db.deleteFrom('report_idempotency').where('expires_at', '<=', ctx.now()).executeTakeFirst();
  return Number(r.numDeletedRows);
}
