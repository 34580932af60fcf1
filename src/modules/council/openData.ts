import type { DatasetProvider, ProvidedDataset } from '../../platform/openData';
import { closedPublicVotes, councilsOf, membersOf, openVoteRecords } from './store';

/**
 * Council decisions and members' open votes: for each council (term) of the municipality, the
 * closed votes on public agenda items of closed sittings with their counts and outcome, each
 * member's open vote, and the members. Reads through the council's store; declared in the council's manifest.
 *
 * Anonymisation: council members act in a public office and their open votes are public by law
 * (KOKS); they are named (columns of kind officialName). Secret ballots (elections of persons)
 * appear only as totals and outcome, never who took part how. Closed (non-public) agenda items
 * are left out. Item titles are scanned like everything else: a title naming a resident stops
 * the dataset.
 */
export const councilVotesProvider: DatasetProvider = {
  key: 'council.decisions',
  title: { et: 'Volikogu otsused ja avalikud hääletused', en: 'Council decisions and open votes' },
  anonymisation: {
    rule: {
      et: 'Volikogu liikmete nimed ja avalikud hääled on avalikud (KOKS). Salajased hääletused ainult kokkuvõttena. Kinniseid päevakorrapunkte ei avaldata.',
      en: "Council members' names and open votes are public (KOKS). Secret ballots only as totals. Closed agenda items are not published.",
    },
  },
  async collect(trx, code) {
    const out: ProvidedDataset[] = [];
    for (const c of await councilsOf(trx, code)) {
      const votes = await closedPublicVotes(trx, code, c.id);
      if (votes.length === 0) continue;
      const records = await openVoteRecords(
        trx,
        code,
        votes.filter((v) => v.kind === 'open').map((v) => v.vote_id),
      );
      const members = await membersOf(trx, code, c.id);
      const voteKey = new Map(votes.map((v) => [v.vote_id, v]));
      const name = (r: { given_name: string | null; family_name: string | null }) =>
        `${r.given_name ?? ''} ${r.family_name ?? ''}`.trim();
      out.push({
        key: c.id,
        title: { et: `${c.name}: otsused ja hääletused`, en: `${c.name}: decisions and votes` },
        description: {
          et: `${c.name} (${c.term_start}${c.term_end ? `–${c.term_end}` : ''}) lõppenud istungite avalike päevakorrapunktide hääletused, tulemused ja liikmete avalikud hääled.`,
          en: `Votes, outcomes and members' open votes on public agenda items of closed sittings of ${c.name} (${c.term_start}${c.term_end ? ` to ${c.term_end}` : ''}).`,
        },
        keywords: { et: ['volikogu', 'otsused', 'hääletused'], en: ['council', 'decisions', 'votes'] },
        themes: ['GOVE', 'JUST'],
        temporal: { start: c.term_start, ...(c.term_end ? { end: c.term_end } : {}) },
        frequency: 'MONTHLY',
        tables: [
          {
            name: 'votes',
            title: { et: 'Hääletused', en: 'Votes' },
            columns: [
              { name: 'sitting_number', title: { et: 'Istungi nr', en: 'Sitting' }, type: 'integer' },
              { name: 'sitting_date', title: { et: 'Istungi kuupäev', en: 'Sitting date' }, type: 'date' },
              { name: 'item', title: { et: 'Päevakorrapunkt', en: 'Agenda item' }, type: 'string', kind: 'text' },
              { name: 'vote_number', title: { et: 'Hääletuse nr', en: 'Vote number' }, type: 'integer' },
              { name: 'kind', title: { et: 'Liik (avalik/salajane)', en: 'Kind (open/secret)' }, type: 'string' },
              { name: 'question', title: { et: 'Küsimus', en: 'Question' }, type: 'string', kind: 'text' },
              { name: 'majority', title: { et: 'Nõutav enamus', en: 'Majority required' }, type: 'string' },
              { name: 'votes_for', title: { et: 'Poolt', en: 'For' }, type: 'integer', kind: 'measure' },
              { name: 'votes_against', title: { et: 'Vastu', en: 'Against' }, type: 'integer', kind: 'measure' },
              { name: 'votes_abstain', title: { et: 'Erapooletu', en: 'Abstained' }, type: 'integer', kind: 'measure' },
              {
                name: 'not_voted',
                title: { et: 'Ei hääletanud', en: 'Did not vote' },
                type: 'integer',
                kind: 'measure',
              },
              { name: 'recused', title: { et: 'Taandas end', en: 'Recused' }, type: 'integer', kind: 'measure' },
              { name: 'absent', title: { et: 'Puudus', en: 'Absent' }, type: 'integer', kind: 'measure' },
              { name: 'outcome', title: { et: 'Tulemus', en: 'Outcome' }, type: 'string' },
            ],
            rows: votes.map((v) => ({
              sitting_number: v.sitting_number,
              sitting_date: new Date(v.sitting_date).toISOString().slice(0, 10),
              item: v.item_title,
              vote_number: v.vote_number,
              kind: v.kind,
              question: v.question,
              majority: v.majority,
              votes_for: v.votes_for,
              votes_against: v.votes_against,
              votes_abstain: v.votes_abstain,
              not_voted: v.not_voted,
              recused: v.recused,
              absent: v.absent,
              outcome: v.outcome,
            })),
          },
          {
            name: 'member-votes',
            title: { et: 'Liikmete avalikud hääled', en: "Members' open votes" },
            columns: [
              { name: 'sitting_number', title: { et: 'Istungi nr', en: 'Sitting' }, type: 'integer' },
              { name: 'vote_number', title: { et: 'Hääletuse nr', en: 'Vote number' }, type: 'integer' },
              { name: 'member', title: { et: 'Liige', en: 'Member' }, type: 'string', kind: 'officialName' },
              { name: 'faction', title: { et: 'Fraktsioon', en: 'Faction' }, type: 'string' },
              { name: 'vote', title: { et: 'Hääl', en: 'Vote' }, type: 'string' },
            ],
            rows: records.map((r) => ({
              sitting_number: voteKey.get(r.vote_id)!.sitting_number,
              vote_number: voteKey.get(r.vote_id)!.vote_number,
              member: name(r),
              faction: r.faction,
              vote: r.record,
            })),
          },
          {
            name: 'members',
            title: { et: 'Liikmed', en: 'Members' },
            columns: [
              { name: 'member', title: { et: 'Liige', en: 'Member' }, type: 'string', kind: 'officialName' },
              { name: 'faction', title: { et: 'Fraktsioon', en: 'Faction' }, type: 'string' },
              { name: 'kind', title: { et: 'Liik', en: 'Kind' }, type: 'string' },
              { name: 'status', title: { et: 'Staatus', en: 'Status' }, type: 'string' },
              { name: 'office', title: { et: 'Amet', en: 'Office' }, type: 'string' },
            ],
            rows: members.map((m) => ({
              member: name(m),
              faction: m.faction,
              kind: m.kind,
              status: m.status,
              office: m.office,
            })),
          },
        ],
      });
    }
    return out;
  },
};
