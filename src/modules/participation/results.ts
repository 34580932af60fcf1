import type { AppContext } from '../../platform/context';
import { hasRole, type Actor } from '../../platform/auth/actor';
import { inScope, type Trx } from '../../platform/db/database';
import { appendAudit } from '../../platform/audit/audit';
import { Problem, invalid, notFound } from '../../platform/http/problems';
import * as bb from '../ballotBox';
import { canManageVotes } from './policy';
import { wrongPhase } from './problems';
import { electElder, selectBudgetWinners, type Project } from './rules';
import { writePabulib } from './pabulib';
import { findVote, type Vote } from './store';
import { enqueueWithFallback, turnoutView } from './manageVotes';

/**
 * Results: computed from the ballot box only once it has closed (the box refuses earlier), seen
 * by officials after closing (to check, and to add paper ballots), public once published; the
 * published result is a snapshot. CSV and (budgets) Pabulib exports read the same data.
 */
export interface ChoiceResult {
  id: number;
  label: string;
  code?: string;
  votes: number;
  points: number;
  percent: number;
  costCents?: number;
  districtId?: number;
  selected?: boolean;
  pooled?: boolean;
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
  const result: Record<string, unknown> = {
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
    const rules = v.rules.budget!;
    const q = questions[0]!;
    const projects: Project[] = q.choices.map((c) => ({
      id: c.id,
      costCents: c.costCents ?? 0,
      districtId: c.districtId ?? 0,
      score: rules.method === 'cumulative' ? c.points : c.votes,
      supporters: c.votes,
    }));
    const voters = await bb.ballotsTouching(
      ctx,
      trx,
      ref,
      rules.districts.map((d) => q.choices.filter((c) => c.districtId === d.id).map((c) => c.id)),
    );
    const outcome = selectBudgetWinners(
      projects,
      rules.districts.map((d, i) => ({ ...d, voters: voters[i] ?? 0 })),
      rules,
    );
    const won = new Map(outcome.winners.map((w) => [w.id, w]));
    for (const c of q.choices) {
      c.selected = won.has(c.id);
      if (won.get(c.id)?.pooled) c.pooled = true;
    }
    result.budget = {
      method: rules.method,
      greedy: rules.greedy,
      winners: outcome.winners,
      districts: outcome.districts.map((d) => ({ ...d, name: rules.districts.find((x) => x.id === d.id)!.name })),
      pool: outcome.pool,
      tieRule: 'more votes (points) first; then the cheaper idea; then the lower idea number',
    };
  }
  return result;
}

/** Results: public once published (the snapshot); officials see them from closing on; nobody before. */
export async function getResults(ctx: AppContext, actor: Actor, municipalityCode: string, id: string) {
  return inScope(ctx.db, { tenant: municipalityCode }, async (trx) => {
    const v = await findVote(trx, municipalityCode, id);
    if (!v || v.status === 'draft') throw notFound('Vote');
    if (v.status === 'published') {
      const snap = await trx
        .selectFrom('pv_vote')
        .select('result')
        .where('municipality_code', '=', municipalityCode)
        .where('id', '=', id)
        .executeTakeFirstOrThrow();
      return { status: 'published' as const, publishedAt: v.publishedAt, ...(snap.result as object) };
    }
    if (v.status !== 'closed')
      throw new Problem(bb.BB.stillOpen, 'Results are hidden from everyone until the vote has closed');
    if (!hasRole(actor, municipalityCode, ['admin', 'editor', 'analyst']))
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
      details: { ballots: result.ballots, ballotsDestroyedAfter: destroyAfter.toISOString() },
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

/** Results as CSV: one row per choice, or turnout by settlement unit (`part=turnout`). */
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
  const lines = ['question_id,question,choice_id,choice,votes,points,percent,cost_eur,district_id,selected'];
  for (const q of r.questions)
    for (const c of q.choices)
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
        ]
          .map(csvCell)
          .join(','),
      );
  return lines.join('\r\n') + '\r\n';
}

/**
 * A budget's result as a Pabulib file: one district (`districtId`), or the whole budget when it
 * has one district. Voters are numbered 1…n in an order unrelated to casting (by random receipt).
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
    const rules = v.rules.budget!;
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
    const external = new Map(
      (
        await trx
          .selectFrom('pv_idea')
          .select(['number', 'external_id'])
          .where('municipality_code', '=', municipalityCode)
          .where('vote_id', '=', id)
          .execute()
      ).map((i) => [i.number, i.external_id ?? String(i.number)]),
    );
    const pid = (n: number) => external.get(n) ?? String(n);
    const sets = await bb.ballotSets(ctx, trx, { municipalityCode, boxId: v.boxId });
    const votes = [];
    for (const s of sets) {
      const keep = s.selections.map((c, i) => ({ c, w: s.weights?.[i] ?? null })).filter((x) => ids.has(x.c));
      if (keep.length === 0) continue;
      votes.push({
        voterId: String(votes.length + 1),
        projectIds: keep.map((x) => pid(x.c)),
        points: rules.method === 'cumulative' ? keep.map((x) => x.w ?? 1) : null,
      });
    }
    const place = await trx.selectFrom('place').select('name').where('code', '=', municipalityCode).executeTakeFirst();
    const day = (iso: string) => {
      const d = new Date(iso);
      return `${String(d.getUTCDate()).padStart(2, '0')}.${String(d.getUTCMonth() + 1).padStart(2, '0')}.${d.getUTCFullYear()}`;
    };
    const meta: Record<string, string | number> = {
      description: v.title,
      country: 'Estonia',
      unit: place?.name ?? municipalityCode,
      ...(rules.districts.length > 1 ? { district: district.name } : {}),
      instance: new Date(v.opensAt).getUTCFullYear(),
      num_projects: choices.length,
      num_votes: votes.length,
      budget: district.budgetCents % 100 === 0 ? district.budgetCents / 100 : (district.budgetCents / 100).toFixed(2),
      vote_type: rules.method === 'cumulative' ? 'cumulative' : 'approval',
      rule: 'greedy',
      date_begin: day(v.opensAt),
      date_end: day(v.closesAt),
      ...(rules.method === 'approval' ? { min_length: rules.minChoices, max_length: rules.maxChoices } : {}),
      ...(rules.method === 'knapsack'
        ? {
            max_sum_cost: district.budgetCents / 100,
            ...(rules.minSpentPercent
              ? { min_sum_cost: Math.ceil((district.budgetCents * rules.minSpentPercent) / 100) / 100 }
              : {}),
          }
        : {}),
      ...(rules.method === 'cumulative'
        ? { max_sum_points: rules.points, ...(rules.maxPointsPerIdea ? { max_points: rules.maxPointsPerIdea } : {}) }
        : {}),
      language: 'estonian',
    };
    const text = writePabulib({
      meta,
      projects: choices.map((c) => ({
        id: pid(c.id),
        costCents: c.costCents ?? 0,
        name: c.label,
        votes: c.votes,
        score: rules.method === 'cumulative' ? c.points : null,
        selected: Boolean(c.selected),
        category: null,
      })),
      votes,
    });
    return {
      text,
      filename: `${(place?.name ?? municipalityCode).replace(/[^A-Za-z0-9]+/g, '_')}_${new Date(v.opensAt).getUTCFullYear()}_${district.name.replace(/[^A-Za-z0-9]+/g, '_')}.pb`,
    };
  });
}
