import { timingSafeEqual } from 'node:crypto';
import type { AppContext } from '../../platform/context';
import type { Actor } from '../../platform/auth/actor';
import { inScope } from '../../platform/db/database';
import { Problem, forbidden, invalid } from '../../platform/http/problems';
import { RP } from './problems';
import { loadReport, nextClock, saveClock, type Report } from './reportState';
import { hashSecret, recordEvent } from './submitReport';
import { isClosed } from './statuses';
import { reporterLinkKey, tellHandlerOfReopen } from './tellPeople';

export interface SurveyInput {
  fixed: 'yes' | 'no' | 'dont_know';
  rating: number;
  comment?: string;
  /** The reporter says the problem is still there: the report opens again. */
  reopen?: boolean;
  /** The secret from the report's manage link, for reporters who are not logged in. */
  manageToken?: string;
}

/** True if the actor (or the manage link's secret, or the reporter link's key) is the report's reporter. */
export function isReporter(
  r: Pick<Report, 'reporter_person_id' | 'reporter_secret_hash' | 'municipality_code' | 'id'>,
  actor: Actor,
  manageToken?: string,
  secret?: string,
): boolean {
  if (actor.kind === 'person' && r.reporter_person_id && r.reporter_person_id === actor.personId) return true;
  if (manageToken?.startsWith('rk1.') && secret && r.reporter_person_id) {
    const want = Buffer.from(reporterLinkKey(secret, r.municipality_code, r.id));
    const got = Buffer.from(manageToken);
    return got.length === want.length && timingSafeEqual(got, want);
  }
  if (manageToken && r.reporter_secret_hash) {
    const h = hashSecret(manageToken);
    return h.length === r.reporter_secret_hash.length && timingSafeEqual(h, r.reporter_secret_hash);
  }
  return false;
}

/**
 * The satisfaction questionnaire, offered to the reporter when the report is closed (on its page
 * and through the link in the closing notice): fixed yes / no / don't know, 1–5, a comment, and
 * the choice to reopen. Once per closing.
 */
export async function answerSurvey(
  ctx: AppContext,
  actor: Actor,
  municipalityCode: string,
  id: number,
  input: SurveyInput,
) {
  if (!['yes', 'no', 'dont_know'].includes(input.fixed))
    throw invalid([
      { pointer: '/body/fixed', code: 'enum', allowed: ['yes', 'no', 'dont_know'], detail: 'yes, no or dont_know' },
    ]);
  if (!Number.isInteger(input.rating) || input.rating < 1 || input.rating > 5)
    throw invalid([
      { pointer: '/body/rating', code: 'enum', allowed: [1, 2, 3, 4, 5], detail: 'a whole number from 1 to 5' },
    ]);
  if (input.comment && input.comment.length > 2000)
    throw invalid([{ pointer: '/body/comment', code: 'maxLength', limit: 2000, detail: 'at most 2000 characters' }]);
  return inScope(
    ctx.db,
    { tenant: municipalityCode, ...(actor.kind === 'person' ? { actor: actor.personId } : {}) },
    async (trx) => {
      const r = await loadReport(trx, municipalityCode, id, { lock: true });
      if (!isReporter(r, actor, input.manageToken, ctx.config.secrets.pseudonymKey))
        throw forbidden('Only the reporter can answer the questionnaire of this report');
      if (!isClosed(r.status) || r.status === 'duplicate')
        throw new Problem(RP.survey, 'The report is not closed, so there is nothing to rate yet');
      const closing = r.reopen_count + 1;
      const at = ctx.now();
      const ins = await trx
        .insertInto('report_satisfaction')
        .values({
          municipality_code: municipalityCode,
          report_id: id,
          at,
          fixed: input.fixed,
          rating: input.rating,
          comment: input.comment?.trim() || null,
          reopened: Boolean(input.reopen),
          closing,
        })
        .onConflict((oc) => oc.doNothing())
        .executeTakeFirst();
      if (Number(ins.numInsertedOrUpdatedRows ?? 0) === 0)
        throw new Problem(RP.survey, 'This closing of the report has already been rated');
      await recordEvent(trx, {
        municipalityCode,
        reportId: id,
        at,
        kind: 'satisfaction',
        public: false,
        details: { fixed: input.fixed, rating: input.rating, reopen: Boolean(input.reopen), closing },
      });
      let status = r.status;
      if (input.reopen) {
        status = 'open';
        await recordEvent(trx, {
          municipalityCode,
          reportId: id,
          at,
          kind: 'status',
          public: true,
          statusFrom: r.status,
          statusTo: 'open',
          text: input.comment?.trim() || null,
          details: { reopenedBy: 'reporter' },
        });
        await saveClock(trx, r, nextClock(r, 'open', at, { acknowledges: false }), at);
        await tellHandlerOfReopen(ctx, trx, r, input.comment?.trim() || null);
      } else {
        await saveClock(trx, r, r, at);
      }
      return { closing, status };
    },
  );
}
