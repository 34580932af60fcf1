import { sql, type RawBuilder } from 'kysely';
import type { AppContext } from '../../platform/context';
import type { Trx } from '../../platform/db/database';
import { insertForAudience, insertNotification } from './store';
import { matchingAreaFollowers } from './follows';
import type { Topic } from './topics';

/**
 * The public face of the notification service (re-exported by index.ts). Modules call these in
 * their use cases, inside the transaction of the change they tell about: the notifications are
 * written there (the outbox), so they exist exactly when the change commits and never when it
 * rolls back; the delivery job (`notifications.deliver`, enqueued in the same transaction) then
 * sends the e-mails. What a person sees is decided by their own choices at delivery, not by the
 * caller. Parameters are names and numbers the templates need (templates.ts), never a personal
 * ID code.
 */
export const DELIVER_JOB = 'notifications.deliver';

export interface NotifyInput {
  /** Person ids (person.id). */
  to: string | string[];
  topic: Topic;
  /** The municipality the change belongs to (the caller's tenant), '0000' for ELVL. */
  municipalityCode: string;
  params: Record<string, unknown>;
  /** A path of the platform the notification leads to, e.g. `/teated/1001`. */
  link?: string | null;
  /** Written once per person and key, whatever repeats (a retried job). */
  dedupeKey?: string | null;
}

/** Enqueues the delivery job in the caller's transaction; the minute sweep is the safety net. */
async function kickDelivery(ctx: AppContext, trx: Trx) {
  await sql`SAVEPOINT notifications_job`.execute(trx);
  try {
    await ctx.jobs.sendInTx(trx, DELIVER_JOB, {});
    await sql`RELEASE SAVEPOINT notifications_job`.execute(trx);
  } catch (err) {
    await sql`ROLLBACK TO SAVEPOINT notifications_job`.execute(trx);
    ctx.log.warn({ reason: (err as Error).message }, 'delivery job not enqueued: the minute sweep will send');
  }
}

/** Tells one or more named people (the reporter, the assignee, the council's members). Returns how many were written. */
export async function notify(ctx: AppContext, trx: Trx, input: NotifyInput): Promise<number> {
  const people = [...new Set(Array.isArray(input.to) ? input.to : [input.to])];
  if (!people.length) return 0;
  const at = ctx.now();
  let written = 0;
  for (const personId of people)
    if (
      await insertNotification(trx, {
        personId,
        municipalityCode: input.municipalityCode,
        topic: input.topic,
        params: input.params,
        link: input.link ?? null,
        dedupeKey: input.dedupeKey ?? null,
        at,
      })
    )
      written += 1;
  if (written) await kickDelivery(ctx, trx);
  return written;
}

/**
 * Tells everyone an audience query names (a subquery with a `person_id` column: a vote's
 * electorate, those who have not voted yet) who set up notifications and has the topic on.
 * Set-based, for large audiences; must run platform-wide (`inScope(…, { tenant: '*' })`, i.e. in
 * a job), because whose settings allow what is not visible inside a municipality's scope.
 * Returns how many were told (callers must not log it for audiences that reveal something).
 */
export async function notifyAudience(
  ctx: AppContext,
  trx: Trx,
  input: Omit<NotifyInput, 'to'> & { audience: RawBuilder<{ person_id: string }> },
): Promise<number> {
  const n = await insertForAudience(trx, {
    municipalityCode: input.municipalityCode,
    topic: input.topic,
    params: input.params,
    link: input.link ?? null,
    dedupeKey: input.dedupeKey ?? null,
    at: ctx.now(),
    audience: input.audience,
  });
  if (n > 0) await kickDelivery(ctx, trx);
  return n;
}

/**
 * Tells the followers of the place where something happened: those following the settlement
 * unit or municipality (`placeCodes`) and those whose drawn area contains the point — at once or
 * in their daily digest, as each chose. `except` (the reporter) is not told about their own
 * report. Platform-wide scope (a job). Returns how many were told.
 */
export async function notifyAreaFollowers(
  ctx: AppContext,
  trx: Trx,
  input: Omit<NotifyInput, 'to' | 'topic'> & {
    topic: Topic;
    placeCodes: string[];
    point: { lat: number; lon: number };
    except?: string | null;
    /** The area's name for the message, per follow: a place's name or the drawn area's own. */
    areaName: (follow: { placeCode: string | null; name: string | null }) => unknown;
  },
): Promise<number> {
  const followers = await matchingAreaFollowers(trx, input.placeCodes, input.point);
  const at = ctx.now();
  let n = 0;
  const seen = new Set<string>();
  for (const f of followers) {
    if (f.person_id === input.except || seen.has(f.person_id)) continue;
    seen.add(f.person_id);
    const written = await insertNotification(trx, {
      personId: f.person_id,
      municipalityCode: input.municipalityCode,
      topic: input.topic,
      params: { ...input.params, area: input.areaName({ placeCode: f.place_code, name: f.name }) },
      link: input.link ?? null,
      dedupeKey: input.dedupeKey ?? null,
      at,
      held: f.frequency === 'daily',
    });
    if (written) n += 1;
  }
  if (n > 0) await kickDelivery(ctx, trx);
  return n;
}
