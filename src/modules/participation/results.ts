import type { AppContext } from '../../platform/context';
import type { Actor } from '../../platform/auth/actor';
import { inScope, type Trx } from '../../platform/db/database';
import { appendAudit } from '../../platform/audit/audit';
import { Problem, invalid, notFound } from '../../platform/http/problems';
import * as bb from '../ballotBox';
import { canManageVotes, seesUnpublishedResults } from './policy';
import { wrongPhase } from './problems';
import type { CountedResults, ResultsView } from './resultSchemas';
import {
  compareRules,
  electElder,
  selectBudgetWinners,
  type BudgetRules,
  type Explanation,
  type Project,
  type RuleComparison,
} from './rules';
import { formatMoney, writePabulib } from './pabulib';
import { findPabulibSource, findVote, ideaExternalIds, type Vote } from './store';
import { enqueueWithFallback, turnoutView } from './manageVotes';

/**
 * Results: computed from the ballot box only once it has closed (the box refuses earlier), seen
 * by officials after closing (to check, and to add paper ballots), public once published; the
 * published result is a snapshot. CSV and (budgets) Pabulib exports read the same data.
 */
export interface ChoiceResult {
  id: number;
  label: string;
  code?: 'yes' | 'no' | 'blank';
  votes: number;
  points: number;
  percent: number;
  costCents?: number;
  districtId?: number;
  selected?: boolean;
  pooled?: boolean;
  /** Budgets: why the idea was or was not funded. */
  explanation?: Explanation;
}

/** Points count for these methods (cumulative, scoring, ordinal by position); votes otherwise. */
const byPoints = (r: BudgetRules) => r.method === 'cumulative' || r.method === 'scoring' || r.method === 'ordinal';

/** A budget's rules as stored before equal shares existed: the greedy rule. */
export const budgetRulesOf = (r: BudgetRules): BudgetRules => ({
  ...r,
  rule: r.rule ?? 'greedy',
  utility: r.utility ?? 'cost',
  completion: r.completion ?? 'add1',
});

/** The projects and districts of a budget vote as the counting rules take them. */
async function budgetInput(ctx: AppContext, trx: Trx, v: Vote, rules: BudgetRules, choices: ChoiceResult[]) {
  const ref = { municipalityCode: v.municipalityCode, boxId: v.boxId };
  const projects: Project[] = choices.map((c) => ({
    id: c.id,
    costCents: c.costCents ?? 0,
    districtId: c.districtId ?? 0,
    score: byPoints(rules) ? c.points : c.votes,
    supporters: c.votes,
  }));
  const voters = await bb.ballotsTouching(
    ctx,
    trx,
    ref,
    rules.districts.map((d) => choices.filter((c) => c.districtId === d.id).map((c) => c.id)),
  );
  const districts = rules.districts.map((d, i) => ({ ...d, voters: voters[i] ?? 0 }));
  return { projects, districts };
}

export async function computeResults(ctx: AppContext, trx: Trx, v: Vote) {
  const ref = { municipalityCode: v.municipalityCode, boxId: v.boxId };
  const tally = await bb.tallySelections(ctx, trx, ref);
  const turnout = await turnoutView(ctx, trx, v);
  const questions = v.ballot.questions.map((q) => {
    const ids = new Set(q.choices.map((c) => c.id));
    // Ballots that answered this question (for the percentages).
    let answered = 0;
    if (q.kind === 'multiple') answered = tally.ballots;
    else for (const id of ids) answered += tally.choices.get(id)?.ballots ?? 0;
    return {
      id: q.id,
      text: q.text,
      kind: q.kind,
      choices: q.choices.map<ChoiceResult>((c) => {
        const t = tally.choices.get(c.id) ?? { ballots: 0, points: 0 };
        return {
          id: c.id,
          label: c.label,
          ...(c.code ? { code: c.code } : {}),
          votes: t.ballots,
          points: t.points,
          percent: answered ? Math.round((t.ballots / answered) * 10000) / 100 : 0,
          ...(c.costCents !== undefined ? { costCents: c.costCents, districtId: c.districtId! } : {}),
        };
      }),
    };
  });
  const result: CountedResults = {
    voteId: v.id,
    kind: v.kind,
    ballots: tally.ballots,
    byChannel: tally.byChannel,
    turnout,
    questions,
  };
  if (v.kind === 'elder') {
    const q = questions[0]!;
    const cands = await trx
      .selectFrom('pv_candidate')
      .innerJoin('person', 'person.id', 'pv_candidate.person_id')
      .select(['pv_candidate.number', 'person.birth_date'])
      .where('pv_candidate.municipality_code', '=', v.municipalityCode)
      .where('pv_candidate.vote_id', '=', v.id)
      .execute();
    const birth = new Map(cands.map((c) => [c.number, c.birth_date]));
    const receipts = await bb.countedReceipts(trx, ref);
    const outcome = electElder(
      q.choices.map((c) => ({ choiceId: c.id, votes: c.votes, birthDate: birth.get(c.id) ?? null })),
      turnout.voters,
      v.electorateSize,
      v.rules.elder!,
      receipts,
    );
    for (const c of q.choices) c.selected = c.id === outcome.winnerChoiceId;
    result.elder = outcome;
  }
  if (v.kind === 'budget') {
    const rules = budgetRulesOf(v.rules.budget!);
    const q = questions[0]!;
    const { projects, districts } = await budgetInput(ctx, trx, v, rules, q.choices);
    // Equal shares counts whole ballots: the ballot box hands them over in memory, after close.
    const ballots = rules.rule === 'equal-shares' ? await bb.ballotSets(ctx, trx, ref) : undefined;
    const outcome = selectBudgetWinners(projects, districts, rules, ballots);
    const won = new Map(outcome.winners.map((w) => [w.id, w]));
    for (const c of q.choices) {
      c.selected = won.has(c.id);
      if (won.get(c.id)?.pooled) c.pooled = true;
      const e = outcome.explanations.get(c.id);
      if (e) c.explanation = e;
    }
    result.budget = {
      method: rules.method,
      rule: rules.rule,
      greedy: rules.greedy,
      utility: rules.utility,
      completion: rules.completion,
      winners: outcome.winners,
      districts: outcome.districts.map((d) => ({ ...d, name: rules.districts.find((x) => x.id === d.id)!.name })),
      pool: outcome.pool,
      equalShares: outcome.equalShares,
      tieRule: 'more votes (points) first; then the cheaper idea; then the lower idea number',
    };
  }
  return result;
}

async function publishedSnapshot(trx: Trx, v: Pick<Vote, 'publishedAt'>, municipalityCode: string, id: string) {
  const snap = await trx
    .selectFrom('pv_vote')
    .select('result')
    .where('municipality_code', '=', municipalityCode)
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
  return { status: 'published' as const, publishedAt: v.publishedAt, ...(snap.result as CountedResults) };
}

/** Results: public once published (the snapshot); officials see them from closing on; nobody before. */
export async function getResults(
  ctx: AppContext,
  actor: Actor,
  municipalityCode: string,
  id: string,
): Promise<ResultsView> {
  // Published results are a snapshot that never changes: a replica within the staleness bound may
  // answer them. Anything else (not yet published there, or hidden) is decided on the primary.
  if (ctx.readDb !== ctx.db) {
    const published = await inScope(ctx.readDb, { tenant: municipalityCode }, async (trx) => {
      const v = await findVote(trx, municipalityCode, id);
      return v?.status === 'published' ? publishedSnapshot(trx, v, municipalityCode, id) : undefined;
    });
    if (published) return published;
  }
  return inScope(ctx.db, { tenant: municipalityCode }, async (trx) => {
    const v = await findVote(trx, municipalityCode, id);
    if (!v || v.status === 'draft') throw notFound('Vote');
    if (v.status === 'published') return publishedSnapshot(trx, v, municipalityCode, id);
    if (v.status !== 'closed')
      throw new Problem(bb.BB.stillOpen, 'Results are hidden from everyone until the vote has closed');
    if (!seesUnpublishedResults(actor, municipalityCode))
      throw new Problem(
        bb.BB.stillOpen,
        'The vote has closed; its results are public once the municipality publishes them',
      );
    return { status: 'closed' as const, publishedAt: null, ...(await computeResults(ctx, trx, v)) };
  });
}

export async function publishResults(ctx: AppContext, actor: Actor, municipalityCode: string, id: string) {
  const official = canManageVotes(actor, municipalityCode);
  await inScope(ctx.db, { tenant: municipalityCode, actor: official.personId }, async (trx) => {
    const v = await findVote(trx, municipalityCode, id, { forUpdate: true });
    if (!v || v.status === 'draft') throw notFound('Vote');
    if (v.status !== 'closed')
      throw wrongPhase(
        v.status === 'published'
          ? 'The results are already published'
          : 'Results can be published once the vote has closed',
      );
    const result = await computeResults(ctx, trx, v);
    await trx
      .updateTable('pv_vote')
      .set({ status: 'published', published_at: new Date(), result: JSON.stringify(result), updated_at: new Date() })
      .where('municipality_code', '=', municipalityCode)
      .where('id', '=', id)
      .execute();
    // The results are final: the ballots are kept sealed for the retention period, then destroyed.
    const destroyAfter = await bb.finaliseBox(ctx, trx, { municipalityCode, boxId: v.boxId });
    await appendAudit(trx, {
      municipalityCode,
      actorId: official.personId,
      action: 'participation.results.published',
      subject: `vote:${id}`,
      details: {
        ballots: result.ballots,
        ballotsDestroyedAfter: destroyAfter.toISOString(),
        ...(v.kind === 'budget' ? { rule: budgetRulesOf(v.rules.budget!).rule } : {}),
      },
    });
    await enqueueOpenDataPublication(ctx, trx, municipalityCode);
  });
  return getResults(ctx, actor, municipalityCode, id);
}

/**
 * Published results become open data straight away: the open-data module's publication job runs
 * this module's provider (`participation.vote-results`) for the municipality, enqueued in the
 * publishing transaction; the nightly run is the safety net.
 */
async function enqueueOpenDataPublication(ctx: AppContext, trx: Trx, municipalityCode: string) {
  await enqueueWithFallback(
    ctx,
    trx,
    'opendata.publish-auto',
    { trigger: 'event', providerKeys: ['participation.vote-results'], municipalities: [municipalityCode] },
    {},
    'the nightly open-data run will publish the results',
  );
}

/** The published ballot list: receipt codes of the counted ballots (after publication). */
export async function publishedReceipts(ctx: AppContext, municipalityCode: string, id: string) {
  return inScope(ctx.db, { tenant: municipalityCode }, async (trx) => {
    const v = await findVote(trx, municipalityCode, id);
    if (!v || v.status === 'draft') throw notFound('Vote');
    if (v.status !== 'published') throw new Problem(bb.BB.stillOpen, 'The ballot list is published with the results');
    return bb.countedReceipts(trx, { municipalityCode, boxId: v.boxId });
  });
}

const csvCell = (v: unknown) => {
  const s = v === null || v === undefined ? '' : String(v);
  return /[",\n\r]/.test(s) || /^[=+\-@]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

/** Results as CSV: one row per choice (budgets: with why each idea was or was not funded), or turnout by settlement unit (`part=turnout`). */
export async function resultsCsv(
  ctx: AppContext,
  actor: Actor,
  municipalityCode: string,
  id: string,
  part: 'choices' | 'turnout',
): Promise<string> {
  const r = (await getResults(ctx, actor, municipalityCode, id)) as any;
  if (part === 'turnout') {
    const lines = [
      'settlement_code,settlement,voters',
      ...r.turnout.bySettlement.map((s: any) => [s.settlementCode, s.name, s.voters].map(csvCell).join(',')),
    ];
    lines.push(['', 'total', r.turnout.voters].map(csvCell).join(','));
    return lines.join('\r\n') + '\r\n';
  }
  const eur = (c: number | null | undefined) => (c === null || c === undefined ? '' : (c / 100).toFixed(2));
  const budget = r.kind === 'budget';
  const lines = [
    'question_id,question,choice_id,choice,votes,points,percent,cost_eur,district_id,selected' +
      (budget
        ? ',rule,reason,place,money_left_eur,round,price_per_unit_eur,max_payment_eur,supporters_had_eur,payers,paid_all_they_had'
        : ''),
  ];
  for (const q of r.questions)
    for (const c of q.choices as ChoiceResult[]) {
      const e = c.explanation;
      lines.push(
        [
          q.id,
          q.text,
          c.id,
          c.label,
          c.votes,
          c.points,
          c.percent,
          c.costCents !== undefined ? (c.costCents / 100).toFixed(2) : '',
          c.districtId ?? '',
          c.selected === undefined ? '' : c.selected ? 1 : 0,
          ...(budget
            ? [
                e?.rule ?? '',
                e?.reason ?? '',
                e?.place ?? '',
                eur(e?.moneyLeftCents),
                e?.round ?? '',
                eur(e?.pricePerUnitCents),
                eur(e?.maxPaymentCents),
                eur(e?.supportersHadCents),
                e?.payers ?? '',
                e?.paidAllTheyHad ?? '',
              ]
            : []),
        ]
          .map(csvCell)
          .join(','),
      );
    }
  return lines.join('\r\n') + '\r\n';
}

/**
 * Before publishing, officials compare the counting rules side by side on the same closed
 * ballots: what each would fund, the money it uses and the share of voters with at least one
 * funded project. Officials only (the results are theirs until published), after closing.
 */
export async function compareResults(
  ctx: AppContext,
  actor: Actor,
  municipalityCode: string,
  id: string,
): Promise<{ voteId: string; ballots: number; variants: RuleComparison[] }> {
  return inScope(ctx.db, { tenant: municipalityCode }, async (trx) => {
    const v = await findVote(trx, municipalityCode, id);
    if (!v || v.status === 'draft') throw notFound('Vote');
    if (!seesUnpublishedResults(actor, municipalityCode))
      throw new Problem(bb.BB.stillOpen, 'Comparing the counting rules is for the municipality’s officials');
    if (v.kind !== 'budget')
      throw invalid([{ pointer: '/params/id', detail: 'only participatory budgets have counting rules to compare' }]);
    if (v.status !== 'closed' && v.status !== 'published')
      throw new Problem(bb.BB.stillOpen, 'The rules can be compared once the vote has closed');
    const rules = budgetRulesOf(v.rules.budget!);
    const ref = { municipalityCode, boxId: v.boxId };
    const tally = await bb.tallySelections(ctx, trx, ref);
    const choices: ChoiceResult[] = v.ballot.questions[0]!.choices.map((c) => {
      const t = tally.choices.get(c.id) ?? { ballots: 0, points: 0 };
      return {
        id: c.id,
        label: c.label,
        votes: t.ballots,
        points: t.points,
        percent: 0,
        costCents: c.costCents ?? 0,
        districtId: c.districtId ?? 0,
      };
    });
    const { projects, districts } = await budgetInput(ctx, trx, v, rules, choices);
    const ballots = await bb.ballotSets(ctx, trx, ref);
    return { voteId: id, ballots: ballots.length, variants: compareRules(projects, districts, rules, ballots) };
  });
}

const pbDay = (iso: string) => {
  const d = new Date(iso);
  return `${String(d.getUTCDate()).padStart(2, '0')}.${String(d.getUTCMonth() + 1).padStart(2, '0')}.${d.getUTCFullYear()}`;
};

/** The Pabulib name of a budget's counting rule (equal shares: with the add-one completion, as used in practice). */
const pbRule = (r: BudgetRules) => (r.rule === 'equal-shares' ? 'equalshares' : 'greedy');

/**
 * A budget's result as a Pabulib file: one district (`districtId`), or the whole budget when it
 * has one district. Voters are numbered 1…n in an order unrelated to casting (by random
 * receipt). A budget imported from a Pabulib file gives back that file: its META, its projects
 * with every column, and every vote with its order, points and voter metadata (only the voter
 * ids are new).
 */
export async function resultsPabulib(
  ctx: AppContext,
  actor: Actor,
  municipalityCode: string,
  id: string,
  districtId?: number,
): Promise<{ text: string; filename: string }> {
  const r = (await getResults(ctx, actor, municipalityCode, id)) as any;
  return inScope(ctx.db, { tenant: municipalityCode }, async (trx) => {
    const v = (await findVote(trx, municipalityCode, id))!;
    if (v.kind !== 'budget')
      throw invalid([{ pointer: '/params/id', detail: 'Pabulib files are for participatory budgets' }]);
    const rules = budgetRulesOf(v.rules.budget!);
    const district = districtId
      ? rules.districts.find((d) => d.id === districtId)
      : rules.districts.length === 1
        ? rules.districts[0]
        : undefined;
    if (!district)
      throw invalid([
        {
          pointer: '/query/district',
          detail: `choose a district: ${rules.districts.map((d) => `${d.id} (${d.name})`).join(', ')}`,
        },
      ]);
    const choices = (r.questions[0].choices as ChoiceResult[]).filter((c) => c.districtId === district.id);
    const ids = new Set(choices.map((c) => c.id));
    const external = await ideaExternalIds(trx, municipalityCode, id);
    const pid = (n: number) => external.get(n) ?? String(n);
    const source = v.imported ? await findPabulibSource(trx, municipalityCode, id) : undefined;
    const sets = await bb.ballotSets(ctx, trx, { municipalityCode, boxId: v.boxId }, { content: Boolean(source) });
    const place = await trx.selectFrom('place').select('name').where('code', '=', municipalityCode).executeTakeFirst();
    const safe = (x: string) => x.replace(/[^A-Za-z0-9]+/g, '_');
    if (source) {
      const header = source.voteHeader.map((h) => h.toLowerCase());
      const votes = function* () {
        let n = 0;
        for (const s of sets) {
          const pb = (s.content as { pabulib?: { extra?: string[]; raw?: { vote: string; points: string | null } } })
            ?.pabulib;
          let extra = 0;
          n++;
          yield header.map((h) => {
            if (h === 'voter_id') return String(n);
            if (h === 'vote') return pb?.raw?.vote ?? s.selections.map(pid).join(',');
            if (h === 'points')
              return pb?.raw?.points ?? (s.weights && source.voteType !== 'ordinal' ? s.weights.join(',') : '');
            return pb?.extra?.[extra++] ?? '';
          });
        }
      };
      return {
        text: writePabulib({
          meta: source.meta,
          projectHeader: source.projectHeader,
          projects: source.projects,
          voteHeader: source.voteHeader,
          votes: votes(),
        }),
        filename: safe(source.filename?.replace(/\.pb$/i, '') || v.title) + '.pb',
      };
    }
    const votes: string[][] = [];
    const cumulative = rules.method === 'cumulative';
    for (const s of sets) {
      const keep = s.selections.map((c, i) => ({ c, w: s.weights?.[i] ?? null })).filter((x) => ids.has(x.c));
      if (keep.length === 0) continue;
      const row = [String(votes.length + 1), keep.map((x) => pid(x.c)).join(',')];
      if (cumulative) row.push(keep.map((x) => String(x.w ?? 1)).join(','));
      votes.push(row);
    }
    const meta: [string, string | number][] = [
      ['description', v.title],
      ['country', 'Estonia'],
      ['unit', place?.name ?? municipalityCode],
      ...(rules.districts.length > 1 ? ([['subunit', district.name]] as [string, string][]) : []),
      ['instance', new Date(v.opensAt).getUTCFullYear()],
      ['num_projects', choices.length],
      ['num_votes', votes.length],
      ['budget', formatMoney(district.budgetCents)],
      ['vote_type', cumulative ? 'cumulative' : 'approval'],
      ['rule', pbRule(rules)],
      ['date_begin', pbDay(v.opensAt)],
      ['date_end', pbDay(v.closesAt)],
      ...((rules.method === 'approval'
        ? [
            ['min_length', rules.minChoices],
            ['max_length', rules.maxChoices],
          ]
        : []) as [string, number][]),
      ...((rules.method === 'knapsack'
        ? [
            ['max_sum_cost', formatMoney(district.budgetCents)],
            ...(rules.minSpentPercent
              ? [['min_sum_cost', formatMoney(Math.ceil((district.budgetCents * rules.minSpentPercent) / 100))]]
              : []),
          ]
        : []) as [string, string][]),
      ...((cumulative
        ? [
            ['max_sum_points', rules.points],
            ...(rules.maxPointsPerIdea ? [['max_points', rules.maxPointsPerIdea]] : []),
          ]
        : []) as [string, number][]),
      ['language', 'et'],
      ['currency', 'EUR'],
      ...((rules.rule === 'greedy' && rules.greedy === 'stop'
        ? [
            [
              'comment',
              '#1: counted by the greedy rule without skipping: funding stopped at the first project that did not fit',
            ],
          ]
        : rules.rule === 'equal-shares'
          ? [
              [
                'comment',
                `#1: counted by the Method of Equal Shares with ${rules.utility} utilities${rules.completion === 'add1' ? ' and the add-one completion, then greedy for the money left' : ''}`,
              ],
            ]
          : []) as [string, string][]),
    ];
    return {
      text: writePabulib({
        meta,
        projectHeader: ['project_id', 'cost', 'votes', ...(cumulative ? ['score'] : []), 'name', 'selected'],
        projects: choices.map((c) => [
          pid(c.id),
          formatMoney(c.costCents ?? 0),
          String(c.votes),
          ...(cumulative ? [String(c.points)] : []),
          c.label,
          c.selected ? '1' : '0',
        ]),
        voteHeader: cumulative ? ['voter_id', 'vote', 'points'] : ['voter_id', 'vote'],
        votes,
      }),
      filename: `${safe(place?.name ?? municipalityCode)}_${new Date(v.opensAt).getUTCFullYear()}_${safe(district.name)}.pb`,
    };
  });
}
