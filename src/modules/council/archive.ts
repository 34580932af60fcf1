import type { AppContext } from '../../platform/context';
import type { Actor } from '../../platform/auth/actor';
import { inScope, type Trx } from '../../platform/db/database';
import { notFound } from '../../platform/http/problems';
import { currentCouncil, loadCouncil, personName } from './access';

import { decide, type MajorityRule } from './rules';
import { ruleOf } from './getSitting';
import { ruleText } from './minutesModel';

/**
 * The public archive: every closed vote of the council's published sittings (decisions and
 * elections), and each member's voting record — open votes with the member's vote, secret ones
 * only as "took part". Also as open data (CSV and JSON).
 */
async function councilFor(trx: Trx, ctx: AppContext, code: string, councilId?: string) {
  const council = councilId ? await loadCouncil(trx, code, councilId) : await currentCouncil(trx, code, ctx.now());
  if (!council) throw notFound(`A council of municipality ${code}`);
  return council;
}

const who = (actor: Actor) => (actor.kind === 'person' ? actor.personId : undefined);

export async function listDecisions(ctx: AppContext, actor: Actor, code: string, opts: { councilId?: string } = {}) {
  return inScope(ctx.db, { tenant: code, actor: who(actor) }, async (t) => {
    const trx = t;
    const council = await councilFor(trx, ctx, code, opts.councilId);
    const rows = await trx
      .selectFrom('council_vote as v')
      .innerJoin('council_sitting as s', (j) =>
        j.onRef('s.municipality_code', '=', 'v.municipality_code').onRef('s.id', '=', 'v.sitting_id'),
      )
      .innerJoin('council_agenda_item as i', (j) =>
        j.onRef('i.municipality_code', '=', 'v.municipality_code').onRef('i.id', '=', 'v.item_id'),
      )
      .leftJoin('council_candidate as e', (j) =>
        j.onRef('e.municipality_code', '=', 'v.municipality_code').onRef('e.id', '=', 'v.elected_candidate_id'),
      )
      .select([
        'v.id',
        'v.number',
        'v.kind',
        'v.question',
        'v.majority',
        'v.qualified_num',
        'v.qualified_den',
        'v.qualified_base',
        'v.seats',
        'v.votes_for',
        'v.votes_against',
        'v.votes_abstain',
        'v.not_voted',
        'v.recused',
        'v.absent',
        'v.outcome',
        'v.closed_at',
        's.id as sitting_id',
        's.number as sitting_number',
        's.starts_at',
        's.title as sitting_title',
        'i.title as item_title',
        'i.position as item_position',
        'e.name as elected',
      ])
      .where('v.municipality_code', '=', code)
      .where('s.council_id', '=', council.id)
      .where('v.status', '=', 'closed')
      .where('s.published_at', 'is not', null)
      .orderBy('s.starts_at', 'desc')
      .orderBy('v.number')
      .execute();
    return {
      council: { id: council.id, name: council.name, seats: council.seats },
      decisions: rows.map((r) => {
        const rule = ruleOf(r) as MajorityRule;
        const d = decide(
          { for: r.votes_for ?? 0, against: r.votes_against ?? 0, abstain: r.votes_abstain ?? 0 },
          r.seats,
          rule,
        );
        return {
          voteId: r.id,
          sittingId: r.sitting_id,
          sittingNumber: r.sitting_number,
          sittingDate: new Date(r.starts_at).toISOString().slice(0, 10),
          sittingTitle: r.sitting_title,
          itemPosition: r.item_position,
          itemTitle: r.item_title,
          voteNumber: r.number,
          kind: r.kind,
          question: r.question,
          rule: rule.kind,
          ruleText: ruleText(rule, r.seats, d.needed),
          for: r.votes_for ?? 0,
          against: r.votes_against ?? 0,
          abstain: r.votes_abstain ?? 0,
          notVoted: r.not_voted ?? 0,
          recused: r.recused ?? 0,
          absent: r.absent ?? 0,
          outcome: r.outcome!,
          elected: r.elected ?? null,
          closedAt: r.closed_at ? new Date(r.closed_at).toISOString() : null,
        };
      }),
    };
  });
}

export async function votingRecords(
  ctx: AppContext,
  actor: Actor,
  code: string,
  opts: { councilId?: string; memberId?: string } = {},
) {
  return inScope(ctx.db, { tenant: code, actor: who(actor) }, async (t) => {
    const trx = t;
    const council = await councilFor(trx, ctx, code, opts.councilId);
    let q = trx
      .selectFrom('council_vote_record as r')
      .innerJoin('council_vote as v', (j) =>
        j.onRef('v.municipality_code', '=', 'r.municipality_code').onRef('v.id', '=', 'r.vote_id'),
      )
      .innerJoin('council_sitting as s', (j) =>
        j.onRef('s.municipality_code', '=', 'v.municipality_code').onRef('s.id', '=', 'v.sitting_id'),
      )
      .innerJoin('council_agenda_item as i', (j) =>
        j.onRef('i.municipality_code', '=', 'v.municipality_code').onRef('i.id', '=', 'v.item_id'),
      )
      .innerJoin('council_member as m', (j) =>
        j.onRef('m.municipality_code', '=', 'r.municipality_code').onRef('m.id', '=', 'r.member_id'),
      )
      .innerJoin('person as p', 'p.id', 'm.person_id')
      .leftJoin('council_faction as f', (j) =>
        j.onRef('f.municipality_code', '=', 'm.municipality_code').onRef('f.id', '=', 'm.faction_id'),
      )
      .select([
        'r.record',
        'r.member_id',
        'v.id as vote_id',
        'v.number',
        'v.kind',
        'v.question',
        'v.outcome',
        's.id as sitting_id',
        's.number as sitting_number',
        's.starts_at',
        'i.title as item_title',
        'p.given_name',
        'p.family_name',
        'f.name as faction',
      ])
      .where('r.municipality_code', '=', code)
      .where('s.council_id', '=', council.id)
      .where('s.published_at', 'is not', null);
    if (opts.memberId) q = q.where('r.member_id', '=', opts.memberId);
    const rows = await q
      .orderBy('s.starts_at', 'desc')
      .orderBy('v.number')
      .orderBy('p.family_name')
      .orderBy('p.given_name')
      .execute();
    let member = null;
    if (opts.memberId) {
      const m = await trx
        .selectFrom('council_member as m')
        .innerJoin('person as p', 'p.id', 'm.person_id')
        .leftJoin('council_faction as f', (j) =>
          j.onRef('f.municipality_code', '=', 'm.municipality_code').onRef('f.id', '=', 'm.faction_id'),
        )
        .select(['m.id', 'm.status', 'm.kind', 'm.office', 'p.given_name', 'p.family_name', 'f.name as faction'])
        .where('m.municipality_code', '=', code)
        .where('m.council_id', '=', council.id)
        .where('m.id', '=', opts.memberId)
        .executeTakeFirst();
      if (!m) throw notFound(`Council member ${opts.memberId}`);
      member = {
        id: m.id,
        name: personName(m),
        faction: m.faction ?? null,
        status: m.status,
        kind: m.kind,
        office: m.office,
      };
    }
    return {
      council: { id: council.id, name: council.name, seats: council.seats },
      member,
      records: rows.map((r) => ({
        voteId: r.vote_id,
        sittingId: r.sitting_id,
        sittingNumber: r.sitting_number,
        sittingDate: new Date(r.starts_at).toISOString().slice(0, 10),
        itemTitle: r.item_title,
        voteNumber: r.number,
        kind: r.kind,
        question: r.question,
        outcome: r.outcome!,
        memberId: r.member_id,
        memberName: personName(r),
        faction: r.faction ?? null,
        record: r.record,
      })),
    };
  });
}

/** RFC 4180 CSV: comma-separated, CRLF line ends, fields quoted when needed. */
export function toCsv(header: string[], rows: (string | number | null)[][]): string {
  const cell = (v: string | number | null) => {
    const s = v === null ? '' : String(v);
    // A leading = + - @ would be a formula to a spreadsheet: prefix it (CSV injection).
    const safe = /^[=+\-@\t\r]/.test(s) && typeof v === 'string' ? `'${s}` : s;
    return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
  };
  return [header, ...rows].map((r) => r.map(cell).join(',')).join('\r\n') + '\r\n';
}
