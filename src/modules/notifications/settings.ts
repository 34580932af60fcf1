import { sql } from 'kysely';
import type { AppContext } from '../../platform/context';
import type { Actor, PersonActor } from '../../platform/auth/actor';
import { inScope, type Trx } from '../../platform/db/database';
import { Problem, invalid } from '../../platform/http/problems';
import type { Lang, NotificationSettings, TopicSetting } from './contract';
import { NP } from './problems';
import { requireSelf } from './policy';
import { ensureProfile, preferencesOf, profileOf, type ProfileRow } from './store';
import { TOPICS, TOPIC_NAMES, isTopic, topicSpec, type TopicSpec } from './topics';
import { VERIFICATION_HOURS, hashToken, readUnsubscribeToken, verificationToken } from './tokens';

/**
 * A person's notification settings: language of their messages, e-mail address (verified by a
 * link before anything is sent to it), the digest option and per-topic choices; and the two
 * links of e-mails that work without logging in (verification, one-click unsubscribe).
 */
export const VERIFY_JOB = 'notifications.verify';

const LANGS: Lang[] = ['et', 'ru', 'en'];
// RFC 5321 limits; a practical check (one @, a dotted domain, no spaces or brackets).
const EMAIL = /^[^\s@<>()[\]\\,;:"]{1,64}@(?=.{1,253}$)[^\s@<>()[\]\\,;:"]+\.[^\s@<>()[\]\\,;:".]{2,}$/;

/** Topic groups a person is offered: officials' and council topics only to those who hold such a role. */
function offeredGroups(person: PersonActor): Set<TopicSpec['group']> {
  const groups = new Set<TopicSpec['group']>(['reports', 'participation', 'community']);
  if (person.roles.some((r) => r.role !== 'council_member')) {
    groups.add('officials');
    groups.add('council');
  }
  if (person.roles.some((r) => r.role === 'council_member')) groups.add('council');
  return groups;
}

function settingsView(
  ctx: AppContext,
  person: PersonActor,
  profile: ProfileRow | undefined,
  prefs: { topic: string; in_app: boolean; email: boolean }[],
): NotificationSettings {
  const offered = offeredGroups(person);
  const topics: TopicSetting[] = TOPIC_NAMES.filter((t) => offered.has(TOPICS[t].group)).map((t) => {
    const spec = TOPICS[t] as TopicSpec;
    const p = prefs.find((x) => x.topic === t);
    return {
      topic: t,
      group: spec.group,
      inApp: spec.required ? true : (p?.in_app ?? spec.inApp),
      email: spec.required ? true : (p?.email ?? spec.email),
      required: Boolean(spec.required),
    };
  });
  const pendingLive = profile?.pending_expires_at && profile.pending_expires_at > ctx.now();
  return {
    language: profile?.language ?? 'et',
    digest: profile?.digest ?? 'off',
    email: profile?.email ?? null,
    emailVerifiedAt: profile?.email_verified_at?.toISOString() ?? null,
    emailBouncedAt: profile?.email_bounced_at?.toISOString() ?? null,
    pendingEmail: pendingLive ? profile!.pending_email : null,
    pendingExpiresAt: pendingLive ? profile!.pending_expires_at!.toISOString() : null,
    emailAvailable: Boolean(ctx.config.mail.smtp),
    topics,
  };
}

export async function getSettings(ctx: AppContext, actor: Actor): Promise<NotificationSettings> {
  const me = requireSelf(actor);
  return inScope(ctx.db, { actor: me.personId }, async (trx) =>
    settingsView(ctx, me, await profileOf(trx, me.personId), await preferencesOf(trx, me.personId)),
  );
}

export interface SettingsInput {
  language?: Lang;
  digest?: 'off' | 'daily';
  topics?: { topic: string; inApp: boolean; email: boolean }[];
}

/** Changes language, digest and per-topic choices (required topics stay on). */
export async function updateSettings(
  ctx: AppContext,
  actor: Actor,
  input: SettingsInput,
  pageLanguage: Lang = 'et',
): Promise<NotificationSettings> {
  const me = requireSelf(actor);
  if (input.language !== undefined && !LANGS.includes(input.language))
    throw invalid([{ pointer: '/body/language', code: 'enum', allowed: ['et', 'ru', 'en'], detail: 'et, ru or en' }]);
  if (input.digest !== undefined && input.digest !== 'off' && input.digest !== 'daily')
    throw invalid([{ pointer: '/body/digest', code: 'enum', allowed: ['off', 'daily'], detail: 'off or daily' }]);
  const topics = input.topics ?? [];
  topics.forEach((t, i) => {
    if (!isTopic(t.topic))
      throw invalid([{ pointer: `/body/topics/${i}/topic`, code: 'enum', detail: 'no such topic' }]);
    if (topicSpec(t.topic)!.required && (!t.inApp || !t.email))
      throw new Problem(NP.required, `"${t.topic}" is required by law and cannot be switched off`, {
        errors: [{ pointer: `/body/topics/${i}`, detail: 'required: cannot be switched off' }],
      });
  });
  return inScope(ctx.db, { actor: me.personId }, async (trx) => {
    const now = ctx.now();
    await ensureProfile(trx, me.personId, input.language ?? pageLanguage, now);
    await trx
      .updateTable('notification_profile')
      .set({
        ...(input.language ? { language: input.language } : {}),
        ...(input.digest ? { digest: input.digest } : {}),
        updated_at: now,
      })
      .where('person_id', '=', me.personId)
      .execute();
    for (const t of topics)
      await trx
        .insertInto('notification_preference')
        .values({ person_id: me.personId, topic: t.topic, in_app: t.inApp, email: t.email, updated_at: now })
        .onConflict((oc) =>
          oc.columns(['person_id', 'topic']).doUpdateSet({ in_app: t.inApp, email: t.email, updated_at: now }),
        )
        .execute();
    return settingsView(ctx, me, await profileOf(trx, me.personId), await preferencesOf(trx, me.personId));
  });
}

/** Is the address verified by someone else? (Platform-wide: other people's rows are not visible to the caller.) */
async function takenByOther(ctx: AppContext, personId: string, email: string): Promise<boolean> {
  const other = await inScope(ctx.db, { tenant: '*' }, (trx) =>
    trx
      .selectFrom('notification_profile')
      .select('person_id')
      .where(sql`lower(email)`, '=', email.toLowerCase())
      .where('person_id', '!=', personId)
      .executeTakeFirst(),
  );
  return Boolean(other);
}

const enqueueVerification = async (ctx: AppContext, trx: Trx, personId: string) => {
  await sql`SAVEPOINT notifications_verify`.execute(trx);
  try {
    await ctx.jobs.sendInTx(trx, VERIFY_JOB, { personId });
    await sql`RELEASE SAVEPOINT notifications_verify`.execute(trx);
  } catch (err) {
    await sql`ROLLBACK TO SAVEPOINT notifications_verify`.execute(trx);
    throw err;
  }
};

/**
 * Sets a new address: it waits, unused, until its owner opens the link we send to it. The current
 * verified address (if any) keeps receiving mail meanwhile.
 */
export async function requestEmail(
  ctx: AppContext,
  actor: Actor,
  input: { email: string; language?: Lang },
): Promise<NotificationSettings> {
  const me = requireSelf(actor);
  const email = (input.email ?? '').trim();
  if (!EMAIL.test(email) || email.length > 254)
    throw invalid([
      { pointer: '/body/email', code: 'format', format: 'email', detail: 'is not an e-mail address (name@example.ee)' },
    ]);
  if (!ctx.config.mail.smtp) throw new Problem(NP.emailUnavailable, 'No mail relay is configured on this platform');
  if (await takenByOther(ctx, me.personId, email))
    throw new Problem(NP.emailTaken, 'Another person has already verified this address', {
      errors: [{ pointer: '/body/email', detail: 'belongs to someone else' }],
    });
  return inScope(ctx.db, { actor: me.personId }, async (trx) => {
    const now = ctx.now();
    const profile = await ensureProfile(trx, me.personId, input.language ?? 'et', now);
    if (profile.email?.toLowerCase() === email.toLowerCase() && !profile.email_bounced_at)
      return settingsView(ctx, me, profile, await preferencesOf(trx, me.personId));
    const expires = new Date(now.getTime() + VERIFICATION_HOURS * 3600_000);
    const token = verificationToken(ctx.config.secrets.pseudonymKey, me.personId, email, expires);
    await trx
      .updateTable('notification_profile')
      .set({
        pending_email: email,
        pending_token_hash: hashToken(token),
        pending_expires_at: expires,
        ...(input.language && !profile.email ? { language: input.language } : {}),
        updated_at: now,
      })
      .where('person_id', '=', me.personId)
      .execute();
    await enqueueVerification(ctx, trx, me.personId);
    return settingsView(ctx, me, await profileOf(trx, me.personId), await preferencesOf(trx, me.personId));
  });
}

/** Removes the address (and a pending one): nothing more is e-mailed. */
export async function removeEmail(ctx: AppContext, actor: Actor): Promise<NotificationSettings> {
  const me = requireSelf(actor);
  return inScope(ctx.db, { actor: me.personId }, async (trx) => {
    await trx
      .updateTable('notification_profile')
      .set({
        email: null,
        email_verified_at: null,
        email_bounced_at: null,
        pending_email: null,
        pending_token_hash: null,
        pending_expires_at: null,
        updated_at: ctx.now(),
      })
      .where('person_id', '=', me.personId)
      .execute();
    return settingsView(ctx, me, await profileOf(trx, me.personId), await preferencesOf(trx, me.personId));
  });
}

/**
 * The link in the verification mail (no login needed: the link is the proof). An unknown or
 * used link, an expired one, and an address meanwhile verified by someone else are refused with
 * nothing changed.
 */
export async function verifyEmail(ctx: AppContext, token: string): Promise<{ email: string }> {
  if (typeof token !== 'string' || token.length < 20 || token.length > 100)
    throw new Problem(NP.verificationInvalid, 'This verification link is not valid');
  return inScope(ctx.db, { tenant: '*' }, async (trx) => {
    const profile = await trx
      .selectFrom('notification_profile')
      .selectAll()
      .where('pending_token_hash', '=', hashToken(token))
      .forUpdate()
      .executeTakeFirst();
    if (!profile || !profile.pending_email || !profile.pending_expires_at)
      throw new Problem(NP.verificationInvalid, 'This verification link is not valid (used, replaced or mistyped)');
    if (profile.pending_expires_at <= ctx.now())
      throw new Problem(NP.verificationExpired, 'This verification link has expired; ask for a new one');
    const email = profile.pending_email;
    const other = await trx
      .selectFrom('notification_profile')
      .select('person_id')
      .where(sql`lower(email)`, '=', email.toLowerCase())
      .where('person_id', '!=', profile.person_id)
      .executeTakeFirst();
    if (other) throw new Problem(NP.emailTaken, 'Another person has verified this address meanwhile');
    const now = ctx.now();
    await trx
      .updateTable('notification_profile')
      .set({
        email,
        email_verified_at: now,
        email_bounced_at: null,
        pending_email: null,
        pending_token_hash: null,
        pending_expires_at: null,
        updated_at: now,
      })
      .where('person_id', '=', profile.person_id)
      .execute();
    // The owner just received our mail there: it takes mail again.
    await trx.deleteFrom('notification_suppression').where('email', '=', email.toLowerCase()).execute();
    return { email };
  });
}

/**
 * One-click unsubscribe (RFC 8058): the token names the person and topic and is signed, so it
 * needs no login; it switches e-mail of that topic off (the centre keeps showing it). Repeating
 * it changes nothing.
 */
export async function unsubscribe(ctx: AppContext, token: string): Promise<{ topic: string }> {
  const t = typeof token === 'string' ? readUnsubscribeToken(ctx.config.secrets.pseudonymKey, token) : undefined;
  if (!t) throw new Problem(NP.unsubscribeInvalid, 'This unsubscribe link is not valid; nothing was changed');
  const spec = TOPICS[t.topic] as TopicSpec;
  if (spec.required) throw new Problem(NP.required, 'This notice is required by law and cannot be switched off');
  await inScope(ctx.db, { tenant: '*' }, async (trx) => {
    const now = ctx.now();
    const current = await trx
      .selectFrom('notification_preference')
      .select('in_app')
      .where('person_id', '=', t.personId)
      .where('topic', '=', t.topic)
      .executeTakeFirst();
    const person = await trx.selectFrom('person').select('id').where('id', '=', t.personId).executeTakeFirst();
    if (!person) return;
    await trx
      .insertInto('notification_preference')
      .values({
        person_id: t.personId,
        topic: t.topic,
        in_app: current?.in_app ?? spec.inApp,
        email: false,
        updated_at: now,
      })
      .onConflict((oc) => oc.columns(['person_id', 'topic']).doUpdateSet({ email: false, updated_at: now }))
      .execute();
  });
  return { topic: t.topic };
}
