import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import pg from 'pg';
import type { Trx } from '../db/database';

/**
 * Append-only, hash-chained audit log, one chain per tenant. An entry's hash covers its content
 * and the previous entry's hash, so altering, removing or reordering any entry breaks every
 * later link; `kov audit verify` finds the first broken one.
 */
export interface AuditInput {
  municipalityCode: string;
  actorId: string | null;
  action: string;
  subject?: string | null;
  details?: Record<string, unknown>;
}

export const GENESIS: Buffer = Buffer.alloc(32);

/** JSON with object keys sorted at every level: the same content always gives the same bytes. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

export function entryHash(
  prev: Buffer,
  e: {
    municipalityCode: string;
    seq: number;
    at: Date;
    actorId: string | null;
    action: string;
    subject: string | null;
    details: Record<string, unknown>;
  },
): Buffer {
  const body = canonicalJson({
    m: e.municipalityCode,
    seq: e.seq,
    at: e.at.toISOString(),
    actor: e.actorId,
    action: e.action,
    subject: e.subject,
    details: e.details,
  });
  return createHash('sha256').update(prev).update(body).digest();
}

/** Appends inside the caller's transaction, so the audited change and its entry commit together. */
export async function appendAudit(trx: Trx, input: AuditInput): Promise<{ seq: number }> {
  await sql`INSERT INTO audit_chain (municipality_code, last_seq, last_hash) VALUES (${input.municipalityCode}, 0, ${GENESIS}) ON CONFLICT DO NOTHING`.execute(
    trx,
  );
  const head = await trx
    .selectFrom('audit_chain')
    .select(['last_seq', 'last_hash'])
    .where('municipality_code', '=', input.municipalityCode)
    .forUpdate()
    .executeTakeFirstOrThrow();
  const at = new Date();
  const entry = {
    municipalityCode: input.municipalityCode,
    seq: head.last_seq + 1,
    at,
    actorId: input.actorId,
    action: input.action,
    subject: input.subject ?? null,
    details: JSON.parse(JSON.stringify(input.details ?? {})) as Record<string, unknown>,
  };
  const hash = entryHash(head.last_hash, entry);
  await trx
    .insertInto('audit_log')
    .values({
      municipality_code: entry.municipalityCode,
      seq: entry.seq,
      at,
      actor_id: entry.actorId,
      action: entry.action,
      subject: entry.subject,
      details: JSON.stringify(entry.details),
      prev_hash: head.last_hash,
      hash: hash as Buffer,
    })
    .execute();
  await trx
    .updateTable('audit_chain')
    .set({ last_seq: entry.seq, last_hash: hash })
    .where('municipality_code', '=', input.municipalityCode)
    .execute();
  return { seq: entry.seq };
}

export interface VerifyReport {
  chains: number;
  entries: number;
  broken: { municipalityCode: string; seq: number; reason: string } | null;
}

/** Walks every chain as the database owner (RLS does not hide rows from it). */
export async function verifyAudit(
  ownerUrl: string,
  opts: { municipalityCode?: string; onProgress?: (n: number) => void } = {},
): Promise<VerifyReport> {
  const client = new pg.Client({ connectionString: ownerUrl });
  await client.connect();
  try {
    const heads = await client.query<{ municipality_code: string; last_seq: string; last_hash: Buffer }>(
      `SELECT municipality_code, last_seq, last_hash FROM audit_chain ${opts.municipalityCode ? 'WHERE municipality_code = $1' : ''} ORDER BY municipality_code`,
      opts.municipalityCode ? [opts.municipalityCode] : [],
    );
    let entries = 0;
    for (const head of heads.rows) {
      let prev: Buffer = GENESIS;
      let expectSeq = 1;
      let lastSeq = 0;
      // Read in pages so that a long chain does not have to fit in memory.
      for (;;) {
        const { rows } = await client.query<{
          seq: string;
          at: Date;
          actor_id: string | null;
          action: string;
          subject: string | null;
          details: Record<string, unknown>;
          prev_hash: Buffer;
          hash: Buffer;
        }>(
          'SELECT seq, at, actor_id, action, subject, details, prev_hash, hash FROM audit_log WHERE municipality_code = $1 AND seq >= $2 ORDER BY seq LIMIT 5000',
          [head.municipality_code, expectSeq],
        );
        if (rows.length === 0) break;
        for (const r of rows) {
          const seq = Number(r.seq);
          const fail = (reason: string): VerifyReport => ({
            chains: heads.rows.length,
            entries,
            broken: { municipalityCode: head.municipality_code, seq, reason },
          });
          if (seq !== expectSeq) return fail(`entry ${expectSeq} is missing`);
          if (!r.prev_hash.equals(prev)) return fail('previous-hash link does not match the entry before it');
          const recomputed = entryHash(prev, {
            municipalityCode: head.municipality_code,
            seq,
            at: r.at,
            actorId: r.actor_id,
            action: r.action,
            subject: r.subject,
            details: r.details,
          });
          if (!recomputed.equals(r.hash)) return fail('content does not match its hash (the entry was altered)');
          prev = r.hash;
          expectSeq = seq + 1;
          lastSeq = seq;
          entries += 1;
        }
        opts.onProgress?.(entries);
      }
      if (lastSeq !== Number(head.last_seq) || !prev.equals(head.last_hash)) {
        return {
          chains: heads.rows.length,
          entries,
          broken: {
            municipalityCode: head.municipality_code,
            seq: lastSeq + 1,
            reason: `the chain ends at ${lastSeq} but its head records ${head.last_seq} (entries were removed)`,
          },
        };
      }
    }
    return { chains: heads.rows.length, entries, broken: null };
  } finally {
    await client.end();
  }
}
