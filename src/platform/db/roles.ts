import { createHmac } from 'node:crypto';
import pg from 'pg';

/**
 * The platform's database login roles, set up in this one place (the embedded server, the test
 * runner, `.ci/run` and `kov db roles` call `ensureLoginRoles`; deploy/ can call it too):
 *
 *  - **owner** — the role in `DATABASE_URL`. Owns the schema; runs migrations (and, today, the
 *    job queue's own schema). Never used for requests.
 *  - **application** `kov_app` — the runtime role. A login role of its own (not `-c role=…` on an
 *    owner connection), member of no role, owns nothing, no BYPASSRLS: `RESET ROLE` or
 *    `SET ROLE <owner>` on its connections gets nowhere, and row-level security applies to every
 *    query. May only append to the audit log.
 *  - **read-only** `kov_read` — reporting and replicas. SELECT only, and never a column of personal
 *    data (see `PERSONAL_COLUMN`, `PERSONAL_TABLE`): no ID codes, names, contact details, person
 *    ids, sessions, login requests, tokens, voters or ballots, nor the names of trustees and
 *    candidates; row-level security applies.
 *
 * Passwords: production gives the application's URL in `KOV_APP_DATABASE_URL` (and the role's
 * password is whatever the operator set with `kov db roles --app-password …` or by hand). Where
 * the operator gives none (the embedded server, tests), a role's password is derived from the
 * owner's credentials (HMAC), so whoever holds the owner URL can reach the lesser roles — never the
 * other way round.
 */
export const APP_ROLE = 'kov_app';
export const READ_ROLE = 'kov_read';
export type LoginRole = typeof APP_ROLE | typeof READ_ROLE;

/** Tables the read-only role may not read at all. */
const PERSONAL_TABLE = [
  'person',
  'session',
  'auth_request',
  'community_feed_token',
  'bb_voter',
  'bb_ballot',
  'bb_box_key',
  'bb_legacy_ballot',
  'api_client',
  'schema_functions',
];
/** Columns of residents' names whose own name says nothing (`name` of a trustee, of a candidate). */
const PERSONAL_TABLE_COLUMN = ['vv_trustee.name', 'pv_candidate.name'];
/** Columns the read-only role may not read, by name (besides every column referencing `person`). */
const PERSONAL_COLUMN = String.raw`(id_code|given_name|family_name|birth_date|email|phone|reporter_name|full_name|display_name|address|token|secret|password|csrf|person|voter|actor|_by$)`;

/** The password a login role gets when the operator gives none: derived from the owner's credentials. */
export function derivedPassword(ownerUrl: string, role: LoginRole): string {
  const u = new URL(ownerUrl);
  return createHmac('sha256', `${decodeURIComponent(u.username)}\u0000${decodeURIComponent(u.password)}`)
    .update(`kov-login-role\u0000${role}`)
    .digest('base64url');
}

/** The URL of the same database for a login role (credentials derived unless given). */
export function loginRoleUrl(ownerUrl: string, role: LoginRole, password = derivedPassword(ownerUrl, role)): string {
  const url = new URL(ownerUrl);
  url.username = role;
  url.password = password;
  return url.toString();
}

/**
 * Creates or updates the login roles on the server of `ownerUrl` (needs CREATEROLE there, or a
 * superuser), and grants the read-only role its columns in that database. Idempotent: run after
 * every migration (new tables get their read grants).
 */
export async function ensureLoginRoles(
  ownerUrl: string,
  passwords: Partial<Record<LoginRole, string>> = {},
  opts: { keepOperatorPasswords?: boolean } = {},
): Promise<void> {
  const c = new pg.Client({ connectionString: ownerUrl });
  await c.connect();
  try {
    await retrying(() => setUpRoles(c, ownerUrl, passwords, opts.keepOperatorPasswords ?? false));
  } finally {
    await c.end();
  }
}

/**
 * The comment `kov db roles --…-password-file` puts on a role whose password the operator chose.
 * Preparing the database (`kov db migrate`, a node's start outside production) re-grants such a
 * role but never resets its password to the derived one: an upgrade must not lock the running
 * nodes out (the rolling-upgrade drill runs `kov db migrate` while they serve as kov_app).
 */
export const OPERATOR_PASSWORD_MARK = 'kov: password set by the operator (kov db roles --password-file)';

async function setUpRoles(
  c: pg.Client,
  ownerUrl: string,
  passwords: Partial<Record<LoginRole, string>>,
  keepOperatorPasswords: boolean,
) {
  for (const role of [APP_ROLE, READ_ROLE] as const) {
    await c.query(`DO $$
        BEGIN
          IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${role}') THEN
            CREATE ROLE ${role} NOLOGIN;
          END IF;
        EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
        END $$`);
    const given = passwords[role];
    const marked =
      (
        await c.query<{ d: string | null }>(
          `SELECT shobj_description(oid, 'pg_authid') AS d FROM pg_roles WHERE rolname = $1`,
          [role],
        )
      ).rows[0]?.d === OPERATOR_PASSWORD_MARK;
    const keep = !given && keepOperatorPasswords && marked;
    // PostgreSQL 15 lets only a superuser name SUPERUSER, REPLICATION or BYPASSRLS in ALTER ROLE,
    // even to switch them off; an owner with CREATEROLE (production, the HA cluster) checks that
    // they are off instead — a role it created cannot have them.
    const { rows: attrs } = await c.query<{ me: boolean; bad: string | null }>(
      `SELECT (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) AS me,
              NULLIF(concat_ws(', ', CASE WHEN rolsuper THEN 'SUPERUSER' END, CASE WHEN rolreplication THEN 'REPLICATION' END,
                                     CASE WHEN rolbypassrls THEN 'BYPASSRLS' END), '') AS bad
         FROM pg_roles WHERE rolname = $1`,
      [role],
    );
    const superuser = attrs[0]?.me === true;
    if (!superuser && attrs[0]?.bad)
      throw new Error(
        `the role ${role} has ${attrs[0].bad}, which only a superuser can take away: ALTER ROLE ${role} NOSUPERUSER NOREPLICATION NOBYPASSRLS`,
      );
    await c.query(
      `ALTER ROLE ${role} WITH LOGIN ${superuser ? 'NOSUPERUSER NOREPLICATION NOBYPASSRLS ' : ''}NOCREATEDB NOCREATEROLE INHERIT` +
        (keep ? '' : ` PASSWORD ${c.escapeLiteral(given ?? derivedPassword(ownerUrl, role))}`),
    );
    if (given && !marked) await c.query(`COMMENT ON ROLE ${role} IS ${c.escapeLiteral(OPERATOR_PASSWORD_MARK)}`);
    else if (!given && !keep && marked) await c.query(`COMMENT ON ROLE ${role} IS NULL`);
    // Member of nothing: no role to SET ROLE to, no privileges inherited.
    const { rows } = await c.query<{ r: string }>(
      `SELECT g.rolname AS r FROM pg_auth_members m JOIN pg_roles g ON g.oid = m.roleid
          WHERE m.member = (SELECT oid FROM pg_roles WHERE rolname = $1)`,
      [role],
    );
    for (const { r } of rows) await c.query(`REVOKE ${c.escapeIdentifier(r)} FROM ${role}`);
  }
  await c.query(`GRANT CONNECT ON DATABASE ${c.escapeIdentifier(c.database ?? '')} TO ${APP_ROLE}, ${READ_ROLE}`);
  await grantReadRole(c);
}

async function grantReadRole(c: pg.Client): Promise<void> {
  // One statement: the grants are recomputed at every start (new tables, new columns).
  await c.query(`DO $$
    DECLARE t record;
    BEGIN
      GRANT USAGE ON SCHEMA public TO ${READ_ROLE};
      REVOKE ALL ON ALL TABLES IN SCHEMA public FROM ${READ_ROLE};
      FOR t IN
        SELECT c.oid::regclass AS tbl, string_agg(quote_ident(a.attname), ', ' ORDER BY a.attnum) AS cols
          FROM pg_class c
          JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = 'public'
          JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
         WHERE c.relkind IN ('r', 'p', 'v', 'm')
           AND NOT (c.relname = ANY (${c.escapeLiteral(`{${PERSONAL_TABLE.join(',')}}`)}::text[]))
           AND a.attname !~* ${c.escapeLiteral(PERSONAL_COLUMN)}
           AND NOT (c.relname || '.' || a.attname = ANY (${c.escapeLiteral(`{${PERSONAL_TABLE_COLUMN.join(',')}}`)}::text[]))
           AND NOT EXISTS (SELECT 1 FROM pg_constraint k
                            WHERE k.conrelid = c.oid AND k.contype = 'f' AND a.attnum = ANY (k.conkey)
                              AND k.confrelid = 'public.person'::regclass)
         GROUP BY c.oid
      LOOP
        EXECUTE format('GRANT SELECT (%s) ON %s TO ${READ_ROLE}', t.cols, t.tbl);
      END LOOP;
    END $$`);
}

/** Role changes are catalogue updates: two processes starting at once may collide; the second tries again. */
async function retrying<T>(fn: () => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      const e = err as { code?: string; message?: string };
      const collided = e.code === 'XX000' || e.code === '40001' || e.code === '40P01' || e.code === '23505';
      if (!collided || attempt >= 8) throw err;
      await new Promise((r) => setTimeout(r, 50 + Math.random() * 200));
    }
  }
}
