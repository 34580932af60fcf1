import { createHash, randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import type { Db } from '../db/database';
import type { PersonActor, RoleGrant } from './actor';

/**
 * Sessions live in PostgreSQL so any number of app nodes can serve them. The cookie carries a
 * random token; only its SHA-256 is stored, so a copy of the table opens no session.
 */
export const SESSION_COOKIE = 'kov_session';

export interface SessionPolicy {
  idleMinutes: number;
  absoluteHours: number;
}

export const hashToken = (token: string) => createHash('sha256').update(token).digest();

export async function createSession(
  db: Db,
  personId: string,
  policy: SessionPolicy,
  auth: { amr?: string | null; acr?: string | null } = {},
) {
  const token = randomBytes(32).toString('base64url');
  const csrfToken = randomBytes(24).toString('base64url');
  const expiresAt = new Date(Date.now() + policy.absoluteHours * 3600_000);
  // The application role reaches `session` only through these functions (migration 0005).
  await sql`SELECT kov_session_open(${hashToken(token)}, ${personId}::uuid, ${csrfToken}, ${auth.amr ?? null}, ${
    auth.acr ?? null
  }, ${expiresAt})`.execute(db);
  return { token, csrfToken, expiresAt };
}

interface ResolvedRow {
  person_id: string;
  csrf_token: string;
  acr: string | null;
  given_name: string | null;
  family_name: string | null;
  birth_date: string;
  id_code_masked: string;
  roles: { m: string; r: RoleGrant['role'] }[];
  last_seen_at: Date;
}

/** The session's person with their roles, or null when unknown, expired or idle too long. */
export async function resolveSession(db: Db, token: string, policy: SessionPolicy): Promise<PersonActor | null> {
  const hash = hashToken(token);
  const { rows } =
    await sql<ResolvedRow>`SELECT * FROM kov_resolve_session(${hash}, make_interval(mins => ${policy.idleMinutes}))`.execute(
      db,
    );
  const row = rows[0];
  if (!row) return null;
  // Sliding idle timeout: refresh at most once a minute to keep reads cheap.
  if (Date.now() - row.last_seen_at.getTime() > 60_000) {
    await sql`SELECT kov_session_touch(${hash})`.execute(db);
  }
  return {
    kind: 'person',
    personId: row.person_id,
    givenName: row.given_name,
    familyName: row.family_name,
    birthDate: row.birth_date,
    idCodeMasked: row.id_code_masked,
    acr: row.acr,
    csrfToken: row.csrf_token,
    roles: row.roles.map((g) => ({ municipalityCode: g.m, role: g.r })),
  };
}

export async function destroySession(db: Db, token: string): Promise<void> {
  await sql`SELECT kov_session_close(${hashToken(token)})`.execute(db);
}

/** Deletes expired and idle sessions, and expired login attempts; answers the sessions deleted. */
export async function purgeExpiredSessions(db: Db, idleMinutes: number): Promise<number> {
  const { rows } = await sql<{
    n: number;
  }>`SELECT kov_session_purge(make_interval(mins => ${idleMinutes})) AS n`.execute(db);
  return Number(rows[0]?.n ?? 0);
}
