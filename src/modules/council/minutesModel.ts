import type { Trx } from '../../platform/db/database';

import { loadCouncil, loadSitting, personName, presidingMember, quorumRule } from './access';
import { loadResults } from './liveState';
import { loadItems, ruleOf } from './getSitting';
import { quorumNeeded, type MajorityRule } from './rules';

/**
 * The minutes (protokoll) of a sitting, built from what was recorded: attendance, agenda and
 * its changes, every vote with its rule and counts and — for open votes — each member's vote,
 * recusals, decisions. Official records are kept in Estonian (Language Act), so the minutes are.
 */
const TZ = 'Europe/Tallinn';
export const fmtDateTime = (d: Date | string) =>
  new Intl.DateTimeFormat('et-EE', { timeZone: TZ, dateStyle: 'long', timeStyle: 'short' }).format(new Date(d));
export const fmtTime = (d: Date | string) =>
  new Intl.DateTimeFormat('et-EE', { timeZone: TZ, hour: '2-digit', minute: '2-digit' }).format(new Date(d));

export const FORMAT_ET: Record<string, string> = {
  in_person: 'kohapealne istung',
  virtual: 'elektrooniline (virtuaalne) istung',
  hybrid: 'hübriidistung (kohapeal ja elektrooniliselt)',
};
export const RECORD_ET: Record<string, string> = {
  for: 'poolt',
  against: 'vastu',
  abstain: 'erapooletu',
  took_part: 'osales',
  not_voted: 'ei hääletanud',
  recused: 'taandas end',
  absent: 'puudus',
};

export function ruleText(rule: MajorityRule, seats: number, needed: number): string {
  switch (rule.kind) {
    case 'cast':
      return 'poolthäälteenamus (poolt rohkem kui vastu)';
    case 'composition':
      return `volikogu koosseisu häälteenamus (vähemalt ${needed} poolthäält ${seats}-liikmelisest koosseisust)`;
    case 'qualified':
      return rule.base === 'composition'
        ? `kvalifitseeritud häälteenamus: vähemalt ${rule.num}/${rule.den} koosseisust (${needed} poolthäält)`
        : `kvalifitseeritud häälteenamus: vähemalt ${rule.num}/${rule.den} poolt- ja vastuhäältest`;
  }
}

export async function buildMinutes(trx: Trx, code: string, sittingId: string) {
  const s = await loadSitting(trx, code, sittingId);
  const council = await loadCouncil(trx, code, s.council_id);
  const tenant = await trx.selectFrom('tenant').select('name').where('code', '=', code).executeTakeFirst();
  const chair = await presidingMember(trx, s);
  const people = new Map<
    string,
    { name: string; faction: string | null; kind: string; status: string; substitute: boolean }
  >();
  const members = await trx
    .selectFrom('council_member as m')
    .innerJoin('person as p', 'p.id', 'm.person_id')
    .leftJoin('council_faction as f', (j) =>
      j.onRef('f.municipality_code', '=', 'm.municipality_code').onRef('f.id', '=', 'm.faction_id'),
    )
    .select([
      'm.id',
      'm.person_id',
      'm.kind',
      'm.status',
      'm.replaces_member_id',
      'p.given_name',
      'p.family_name',
      'f.name as faction',
    ])
    .where('m.municipality_code', '=', code)
    .where('m.council_id', '=', s.council_id)
    .orderBy('p.family_name')
    .orderBy('p.given_name')
    .execute();
  for (const m of members)
    people.set(m.id, {
      name: personName(m),
      faction: m.faction ?? null,
      kind: m.kind,
      status: m.status,
      substitute: m.replaces_member_id !== null,
    });
  const chairName = chair ? (people.get(chair.id)?.name ?? null) : null;
  const secretary = s.secretary_id
    ? await trx
        .selectFrom('person')
        .select(['given_name', 'family_name'])
        .where('id', '=', s.secretary_id)
        .executeTakeFirst()
    : undefined;

  const log = await trx
    .selectFrom('council_attendance_log')
    .select(['member_id', 'present', 'mode', 'at'])
    .where('municipality_code', '=', code)
    .where('sitting_id', '=', sittingId)
    .orderBy('seq')
    .execute();
  const seen = new Map<string, { arrivedAt: Date; leftAt: Date | null; mode: string }>();
  for (const e of log) {
    const cur = seen.get(e.member_id);
    if (e.present) seen.set(e.member_id, { arrivedAt: cur?.arrivedAt ?? e.at, leftAt: null, mode: e.mode });
    else if (cur) cur.leftAt = e.at;
  }
  const present = [...seen.entries()]
    .map(([id, a]) => ({
      id,
      name: people.get(id)?.name ?? '—',
      faction: people.get(id)?.faction ?? null,
      substitute: people.get(id)?.substitute ?? false,
      mode: a.mode,
      arrivedAt: a.arrivedAt.toISOString(),
      leftAt: a.leftAt?.toISOString() ?? null,
    }))
    .sort((a, b) => a.name.localeCompare(b.name, 'et'));
  const absent = members
    .filter((m) => m.status === 'active' && !seen.has(m.id))
    .map((m) => ({ id: m.id, name: people.get(m.id)!.name, faction: m.faction ?? null }));

  const items = await loadItems(trx, code, sittingId);
  const results = await loadResults(trx, code, sittingId);
  const recusals = items.length
    ? await trx
        .selectFrom('council_recusal')
        .select(['item_id', 'member_id', 'reason'])
        .where('municipality_code', '=', code)
        .where(
          'item_id',
          'in',
          items.map((i) => i.id),
        )
        .execute()
    : [];
  const changes = await trx
    .selectFrom('council_agenda_change')
    .select(['at', 'action', 'item_id', 'details'])
    .where('municipality_code', '=', code)
    .where('sitting_id', '=', sittingId)
    .where('after_publication', '=', true)
    .orderBy('seq')
    .execute();
  const byRecord = (rec: Record<string, string>, kind: string) =>
    Object.entries(rec)
      .filter(([, r]) => r === kind)
      .map(([id]) => people.get(id)?.name ?? '—')
      .sort((a, b) => a.localeCompare(b, 'et'));

  return {
    municipality: tenant?.name ?? code,
    council: council.name,
    seats: council.seats,
    quorum: {
      num: council.quorum_num,
      den: council.quorum_den,
      needed: quorumNeeded(council.seats, quorumRule(council)),
    },
    sitting: {
      id: s.id,
      number: s.number,
      title: s.title,
      format: s.format,
      startsAt: new Date(s.starts_at).toISOString(),
      place: s.place,
      link: s.link,
      openedAt: s.opened_at ? new Date(s.opened_at).toISOString() : null,
      closedAt: s.closed_at ? new Date(s.closed_at).toISOString() : null,
      status: s.status,
    },
    chair: chairName,
    secretary: secretary ? personName(secretary) : null,
    present,
    absent,
    agendaChanges: changes
      .filter((ch) => ch.action.startsWith('item.'))
      .map((ch) => ({
        at: ch.at.toISOString(),
        action: ch.action,
        title: items.find((i) => i.id === ch.item_id)?.title ?? null,
      })),
    items: items.map((i) => ({
      id: i.id,
      position: i.position,
      title: i.title,
      kind: i.kind,
      isPublic: i.is_public,
      withdrawn: i.withdrawn,
      rapporteur: i.rapporteur,
      rule: ruleOf(i),
      note: i.minutes_note,
      recusals: recusals
        .filter((r) => r.item_id === i.id)
        .map((r) => ({ name: people.get(r.member_id)?.name ?? '—', reason: r.reason })),
      votes: results
        .filter((v) => v.itemId === i.id)
        .map((v) => ({
          number: v.number,
          kind: v.kind,
          question: v.question,
          ruleText: ruleText(v.rule, v.seats, v.needed),
          for: v.for,
          against: v.against,
          abstain: v.abstain,
          notVoted: v.notVoted,
          recused: v.recused,
          absent: v.absent,
          outcome: v.outcome,
          tie: v.tie,
          elected: v.candidates.find((cd) => cd.id === v.electedCandidateId)?.name ?? null,
          candidates: v.candidates,
          closedAt: v.closedAt,
          names: {
            for: byRecord(v.records, 'for'),
            against: byRecord(v.records, 'against'),
            abstain: byRecord(v.records, 'abstain'),
            took_part: byRecord(v.records, 'took_part'),
            not_voted: byRecord(v.records, 'not_voted'),
            recused: byRecord(v.records, 'recused'),
            absent: byRecord(v.records, 'absent'),
          },
        })),
    })),
  };
}
export type MinutesModel = Awaited<ReturnType<typeof buildMinutes>>;

export function outcomeText(v: MinutesModel['items'][number]['votes'][number]): string {
  switch (v.outcome) {
    case 'adopted':
      return 'Otsus võeti vastu.';
    case 'rejected':
      return v.tie ? 'Otsust ei võetud vastu (hääled jagunesid võrdselt).' : 'Otsust ei võetud vastu.';
    case 'elected':
      return `Valituks osutus ${v.elected}.`;
    case 'not_elected':
      return 'Keegi ei osutunud valituks.';
  }
}
