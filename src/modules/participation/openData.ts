import { ANONYMOUS } from '../../platform/auth/actor';
import {
  DEFAULT_MIN_GROUP_SIZE,
  mergeSmallGroups,
  type DatasetProvider,
  type OpenDataFile,
  type OpenDataTable,
  type ProvidedDataset,
} from '../../platform/openData';
import { resultsPabulib } from './results';
import { votesWithPublishedResults } from './store';

/**
 * Results and turnout of the municipality's votes (polls, village elder elections, participatory
 * budgets) once the municipality has published the results; budgets also as Pabulib files.
 * Reads the published result snapshot (what the results API answers to anyone) through this
 * module's store; declared in the participation manifest.
 *
 * Anonymisation: only published results (never an open or unpublished vote); turnout by
 * settlement unit with units of fewer than the minimum number of voters merged into one row;
 * a vote with fewer voters than the minimum in total is not published at all; no voter data at
 * all except anonymous Pabulib ballots (numbered in random order, no attributes), and only for
 * districts with at least the minimum number of voters; candidates of elder elections are named
 * (they stood for a public office); idea photos are never included.
 */
const MIN = DEFAULT_MIN_GROUP_SIZE;

interface PublishedVote {
  id: string;
  kind: 'poll' | 'elder' | 'budget';
  title: string;
  opens_at: Date;
  closes_at: Date;
  published_at: Date;
  result: {
    ballots: number;
    turnout: {
      voters: number;
      electorateSize: number | null;
      bySettlement: { settlementCode: string | null; name: string | null; voters: number }[];
    };
    questions: {
      id: number;
      text: string;
      kind: string;
      choices: {
        id: number;
        label: string;
        votes: number;
        points: number;
        percent: number;
        costCents?: number;
        districtId?: number;
        selected?: boolean;
      }[];
    }[];
    budget?: { districts: { id: number; name: string; voters?: number }[] };
  };
  rules: { budget?: { districts: { id: number; name: string }[] } };
}

const KIND: Record<PublishedVote['kind'], { et: string; en: string }> = {
  poll: { et: 'Küsitluse', en: 'Poll' },
  elder: { et: 'Külavanema valimise', en: 'Village elder election' },
  budget: { et: 'Kaasava eelarve hääletuse', en: 'Participatory budget vote' },
};

export const participationResultsProvider: DatasetProvider = {
  key: 'participation.vote-results',
  title: { et: 'Hääletuste tulemused ja osalus', en: 'Vote results and turnout' },
  anonymisation: {
    minGroupSize: MIN,
    rule: {
      et: 'Avaldatakse ainult omavalitsuse avalikustatud tulemused. Osalus asustusüksuste kaupa; väiksema kui lubatud valijate arvuga üksused on liidetud üheks reaks. Valijate isikuandmeid ei avaldata; Pabulibi sedelid on anonüümsed ja juhuslikus järjekorras.',
      en: 'Only results the municipality has published. Turnout by settlement unit; units with fewer voters than the minimum are merged into one row. No personal data of voters; Pabulib ballots are anonymous and in random order.',
    },
  },
  async collect(trx, code, ctx) {
    const votes = (await votesWithPublishedResults(trx, code)).map((v) => ({
      ...v,
      result: v.result as PublishedVote['result'],
      rules: v.rules as PublishedVote['rules'],
    }));
    const out: ProvidedDataset[] = [];
    for (const v of votes) {
      const r = v.result;
      if (!r?.turnout || r.turnout.voters < MIN) continue;
      const results: OpenDataTable = {
        name: 'results',
        title: { et: 'Tulemused valikute kaupa', en: 'Results by choice' },
        columns: [
          { name: 'question_id', title: { et: 'Küsimuse nr', en: 'Question number' }, type: 'integer' },
          { name: 'question', title: { et: 'Küsimus', en: 'Question' }, type: 'string', kind: 'text' },
          { name: 'choice_id', title: { et: 'Valiku nr', en: 'Choice number' }, type: 'integer' },
          {
            name: 'choice',
            title: { et: 'Valik', en: 'Choice' },
            type: 'string',
            kind: v.kind === 'elder' ? 'officialName' : 'text',
          },
          { name: 'votes', title: { et: 'Hääli', en: 'Votes' }, type: 'integer', kind: 'measure' },
          { name: 'points', title: { et: 'Punkte', en: 'Points' }, type: 'integer', kind: 'measure' },
          { name: 'percent', title: { et: 'Protsent', en: 'Percent' }, type: 'number', kind: 'measure' },
          { name: 'cost_eur', title: { et: 'Maksumus (eurot)', en: 'Cost (EUR)' }, type: 'number', kind: 'measure' },
          { name: 'district_id', title: { et: 'Piirkond', en: 'District' }, type: 'integer' },
          { name: 'selected', title: { et: 'Valitud', en: 'Selected' }, type: 'boolean' },
        ],
        rows: r.questions.flatMap((q) =>
          q.choices.map((c) => ({
            question_id: q.id,
            question: q.text,
            choice_id: c.id,
            choice: c.label,
            votes: c.votes,
            points: c.points,
            percent: c.percent,
            cost_eur: c.costCents !== undefined ? c.costCents / 100 : null,
            district_id: c.districtId ?? null,
            selected: c.selected ?? null,
          })),
        ),
      };
      const bySettlement = r.turnout.bySettlement.map((s) => ({
        settlement_code: s.settlementCode ?? '',
        settlement: s.name ?? (s.settlementCode ? s.settlementCode : 'paberil, asustusüksuseta'),
        voters: s.voters,
      }));
      const turnoutRows = mergeSmallGroups(bySettlement, 'voters', MIN, {
        settlement_code: '',
        settlement: `muud (alla ${MIN} hääletaja)`,
      });
      const turnout: OpenDataTable = {
        name: 'turnout',
        title: { et: 'Osalus asustusüksuste kaupa', en: 'Turnout by settlement unit' },
        columns: [
          { name: 'settlement_code', title: { et: 'EHAK kood', en: 'EHAK code' }, type: 'string' },
          { name: 'settlement', title: { et: 'Asustusüksus', en: 'Settlement unit' }, type: 'string' },
          { name: 'voters', title: { et: 'Hääletajaid', en: 'Voters' }, type: 'integer', kind: 'groupSize' },
        ],
        rows: [...turnoutRows, { settlement_code: code, settlement: 'kokku', voters: r.turnout.voters }],
      };
      const files: OpenDataFile[] = [];
      if (v.kind === 'budget') {
        const districts = v.rules.budget?.districts ?? [];
        for (const d of districts) {
          const voters =
            r.budget?.districts.find((x) => x.id === d.id)?.voters ?? (districts.length === 1 ? r.turnout.voters : 0);
          if (voters < MIN) continue;
          const pb = await resultsPabulib(ctx, ANONYMOUS, code, v.id, districts.length > 1 ? d.id : undefined);
          files.push({
            name: `pabulib-${d.id}.pb`,
            title: { et: `Pabulib: ${d.name}`, en: `Pabulib: ${d.name}` },
            format: 'TXT',
            mediaType: 'text/plain',
            content: pb.text,
          });
        }
      }
      const year = new Date(v.closes_at).getUTCFullYear();
      out.push({
        key: v.id,
        title: { et: `${KIND[v.kind].et} tulemused: ${v.title}`, en: `${KIND[v.kind].en} results: ${v.title}` },
        description: {
          et: `„${v.title}“ (${year}) tulemused valikute kaupa ja osalus asustusüksuste kaupa. Hääletus toimus ${v.opens_at.toISOString().slice(0, 10)}–${v.closes_at.toISOString().slice(0, 10)}; hääletajaid ${r.turnout.voters}${r.turnout.electorateSize ? `, hääleõiguslikke ${r.turnout.electorateSize}` : ''}.`,
          en: `Results by choice and turnout by settlement unit of "${v.title}" (${year}). Voting ran ${v.opens_at.toISOString().slice(0, 10)} to ${v.closes_at.toISOString().slice(0, 10)}; ${r.turnout.voters} voters${r.turnout.electorateSize ? ` of ${r.turnout.electorateSize} eligible` : ''}.`,
        },
        keywords: {
          et: [
            'hääletus',
            'kaasamine',
            v.kind === 'budget' ? 'kaasav eelarve' : v.kind === 'elder' ? 'külavanem' : 'küsitlus',
          ],
          en: [
            'vote',
            'participation',
            v.kind === 'budget' ? 'participatory budget' : v.kind === 'elder' ? 'village elder' : 'poll',
          ],
        },
        themes: ['GOVE', 'SOCI'],
        temporal: { start: v.opens_at.toISOString().slice(0, 10), end: v.closes_at.toISOString().slice(0, 10) },
        frequency: 'NEVER',
        tables: [results, turnout],
        ...(files.length ? { files } : {}),
      });
    }
    return out;
  },
};
