import { sql } from 'kysely';
import type { AppContext } from '../../platform/context';
import { inScope, type Trx } from '../../platform/db/database';
import { notify, notifyAudience, type Topic } from '../notifications';
import { electorateMembers } from '../register';

/**
 * What the participation module tells people (docs/notifications.md), through the notification
 * service:
 *  - a vote opened: everyone in its electorate who set up notifications and has the topic on;
 *  - a day before it closes: those of them who have not voted. Only the recipient can read their
 *    notification (row-level security), its text is the same whether or not one voted, and
 *    nothing here logs or returns per-vote counts — so nobody else learns who was reminded;
 *  - results published: the electorate again;
 *  - an idea or candidacy reviewed: its author (in the review's transaction).
 * The first three are a sweep (`participation.tell`, every minute, platform-wide: whose settings
 * allow what is not visible inside a municipality's scope) that writes the notifications and
 * marks the vote in one transaction, so each is told exactly once.
 */
export const TELL_JOB = 'participation.tell';
const REMIND_BEFORE_MS = 24 * 3600_000;

const voteLink = (m: string, id: string) => `/haaletused/${m}/${id}`;

async function municipalityName(trx: Trx, code: string) {
  const t = await trx.selectFrom('tenant').select('name').where('code', '=', code).executeTakeFirst();
  return t?.name ?? code;
}

/** Runs the sweep; returns how many votes it told about (not how many people). */
export async function tellAboutVotes(ctx: AppContext): Promise<number> {
  const now = ctx.now();
  const remindFrom = new Date(now.getTime() + REMIND_BEFORE_MS);
  let told = 0;
  for (;;) {
    const did = await inScope(ctx.db, { tenant: '*' }, async (trx) => {
      const v = await trx
        .selectFrom('pv_vote')
        .select([
          'municipality_code',
          'id',
          'title',
          'status',
          'closes_at',
          'electorate_id',
          'box_id',
          'opened_told_at',
          'reminded_at',
          'results_told_at',
        ])
        .where('imported', '=', false)
        .where((eb) =>
          eb.or([
            eb.and([eb('status', '=', 'open'), eb('opened_told_at', 'is', null)]),
            eb.and([eb('status', '=', 'open'), eb('reminded_at', 'is', null), eb('closes_at', '<=', remindFrom)]),
            eb.and([eb('status', '=', 'published'), eb('results_told_at', 'is', null)]),
          ]),
        )
        .orderBy('closes_at')
        .limit(1)
        .forUpdate()
        .skipLocked()
        .executeTakeFirst();
      if (!v) return false;
      const m = v.municipality_code;
      const everyone = v.electorate_id ? await electorateMembers(trx, m, v.electorate_id) : undefined;
      const base = {
        title: v.title,
        municipality: await municipalityName(trx, m),
        closesAt: v.closes_at.toISOString(),
      };
      const tell = async (topic: Topic, key: string, audience: typeof everyone) => {
        if (audience)
          await notifyAudience(ctx, trx, {
            topic,
            municipalityCode: m,
            params: base,
            link: voteLink(m, v.id),
            dedupeKey: `${key}:${v.id}`,
            audience,
          });
      };
      const set: { opened_told_at?: Date; reminded_at?: Date; results_told_at?: Date } = {};
      if (v.status === 'open') {
        const remindNow = !v.reminded_at && v.closes_at <= remindFrom;
        // Opened less than a day before it closes: the reminder would repeat the opening.
        if (!v.opened_told_at) {
          await tell('participation.vote-opened', 'vote-opened', everyone);
          set.opened_told_at = now;
          if (remindNow) set.reminded_at = now;
        } else if (remindNow) {
          const notVoted =
            everyone &&
            sql<{ person_id: string }>`SELECT e.person_id FROM (${everyone}) e
              WHERE NOT EXISTS (SELECT 1 FROM bb_voter b
                                 WHERE b.municipality_code = ${m} AND b.box_id = ${v.box_id} AND b.person_id = e.person_id)`;
          await tell('participation.vote-reminder', 'vote-reminder', notVoted);
          set.reminded_at = now;
        }
      } else {
        await tell('participation.results', 'vote-results', everyone);
        set.results_told_at = now;
        if (!v.opened_told_at) set.opened_told_at = now;
        if (!v.reminded_at) set.reminded_at = now;
      }
      await trx.updateTable('pv_vote').set(set).where('municipality_code', '=', m).where('id', '=', v.id).execute();
      return true;
    });
    if (!did) return told;
    told += 1;
  }
}

/** The author of an idea, or the candidate of an elder election, is told of its review. */
export async function tellProposalReviewed(
  ctx: AppContext,
  trx: Trx,
  p: {
    municipalityCode: string;
    voteId: string;
    voteTitle: string;
    to: (string | null)[];
    kind: 'idea' | 'candidate';
    title: string;
    outcome: string;
    reason: string | null;
  },
) {
  const to = [...new Set(p.to.filter((x): x is string => Boolean(x)))];
  if (!to.length) return;
  await notify(ctx, trx, {
    to,
    topic: 'participation.proposal-reviewed',
    municipalityCode: p.municipalityCode,
    params: {
      kind: p.kind,
      title: p.title,
      voteTitle: p.voteTitle,
      outcome: p.outcome,
      ...(p.reason ? { reason: p.reason } : {}),
    },
    link: voteLink(p.municipalityCode, p.voteId),
  });
}
