import { randomUUID } from 'node:crypto';
import type { AppContext } from '../../platform/context';
import type { Actor } from '../../platform/auth/actor';
import { inScope } from '../../platform/db/database';
import { appendAudit } from '../../platform/audit/audit';
import { Problem, notFound } from '../../platform/http/problems';
import * as bb from '../ballotBox';
import { canManageVotes } from './policy';
import { PV } from './problems';
import { formatMoney, ordinalPoints, parsePabulib, parsePabulibStream, type PbFile, type PbIssue } from './pabulib';
import { DEFAULT_BUDGET_RULES, selectBudgetWinners, type BudgetBallot, type BudgetRules, type Project } from './rules';
import { insertImportedIdeas, insertImportedVote, insertPabulibSource } from './store';

/** How the imported budget's winners are counted: the file's rule unless the official chooses another. */
export interface Counting {
  rule: 'greedy' | 'equal-shares';
  greedy: 'skip' | 'stop';
  utility: 'cost' | 'cardinality';
}

export interface PbImportReport {
  imported: boolean;
  voteId: string | null;
  title: string;
  projects: number;
  votes: number;
  budgetCents: number;
  voteType: string;
  /** The file's META rule, and how the platform counted. */
  fileRule: string | null;
  counting: Counting;
  countingNote: string | null;
  issues: PbIssue[];
  errors: number;
  warnings: number;
  /** Winners by the counting rule, and whether they equal the file's `selected` column (null: the file has none). */
  winners: string[];
  matchesFileSelection: boolean | null;
  differences: string[];
  /** Projects nobody voted for: never funded, whatever the rule. */
  unsupported: string[];
}

/**
 * The counting the file's META `rule` names: `greedy` → greedy with skipping (as Pabulib counts),
 * `equalshares` and `equalshares/add1` → equal shares with cost utilities and the add-one
 * completion. Any other value (unknown, greedy-custom, …) is counted greedily with skipping, and
 * the report says so.
 */
export function countingOfFile(rule: string | undefined): { counting: Counting; known: boolean } {
  const r = (rule ?? '').trim().toLowerCase();
  if (r === 'equalshares' || r === 'equalshares/add1' || r === 'mes')
    return { counting: { rule: 'equal-shares', greedy: 'skip', utility: 'cost' }, known: true };
  return { counting: { rule: 'greedy', greedy: 'skip', utility: 'cost' }, known: r === 'greedy' };
}

function parseDay(s: string | undefined): Date | null {
  if (!s) return null;
  const m = /^(\d{1,2})\.(\d{1,2})\.(\d{4})/.exec(s.trim());
  if (m) return new Date(Date.UTC(Number(m[3]), Number(m[2]) - 1, Number(m[1])));
  const y = /^(\d{4})$/.exec(s.trim());
  if (y) return new Date(Date.UTC(Number(y[1]), 0, 1));
  const d = new Date(s);
  return Number.isNaN(d.getTime()) ? null : d;
}

/** The ballots of a parsed file as the counting rules read them (choice numbers, weights). */
function ballotsOf(f: PbFile, number: number[], maxLength: number): BudgetBallot[] {
  return f.votes.map((v) => ({
    selections: v.projects.map((j) => number[j]!),
    weights:
      f.voteType === 'ordinal' ? ordinalPoints(v.projects.length, maxLength) : v.points ? v.points.slice() : null,
  }));
}

/**
 * Loads a past participatory budget from a Pabulib file as a closed budget of the municipality:
 * projects become feasible ideas (their project_id kept), every vote an anonymous ballot (its
 * order, points and voter metadata kept), and the file's META and project table are kept as
 * written so the export gives the file back. The file is read as a stream; a file with errors
 * imports nothing (one transaction, after the whole file has been read). Winners are counted by
 * the file's rule (or the official's choice) and compared with the file's `selected` column.
 * `actor` null = the operators' command line.
 */
export async function importPabulib(
  ctx: AppContext,
  actor: Actor | null,
  municipalityCode: string,
  source: string | AsyncIterable<Uint8Array | string>,
  opts: { filename?: string; counting?: Partial<Counting> } = {},
): Promise<PbImportReport> {
  const actorId = actor ? canManageVotes(actor, municipalityCode).personId : null;
  const tenant = await ctx.db
    .selectFrom('tenant')
    .select('code')
    .where('code', '=', municipalityCode)
    .executeTakeFirst();
  if (!tenant) throw notFound(`Municipality ${municipalityCode}`);
  const f = typeof source === 'string' ? parsePabulib(source) : await parsePabulibStream(source);
  const m = f.metaMap;
  const title = (
    m.description ||
    [m.unit, m.subunit, m.instance].filter(Boolean).join(' ') ||
    opts.filename ||
    'Imported participatory budget'
  ).slice(0, 300);
  const fromFile = countingOfFile(m.rule);
  const counting: Counting = { ...fromFile.counting, ...stripUndefined(opts.counting ?? {}) };
  const report: PbImportReport = {
    imported: false,
    voteId: null,
    title,
    projects: f.projects.length,
    votes: f.votes.length,
    budgetCents: f.budgetCents,
    voteType: m.vote_type ?? 'approval',
    fileRule: m.rule ?? null,
    counting,
    countingNote:
      !fromFile.known && !opts.counting?.rule
        ? `the file's rule "${m.rule ?? ''}" is not one the platform counts by; counted by the greedy rule with skipping`
        : null,
    issues: f.issues,
    errors: f.errors,
    warnings: f.warnings,
    winners: [],
    matchesFileSelection: null,
    differences: [],
    unsupported: [],
  };
  if (f.errors)
    throw new Problem(PV.importFailed, `The file has ${f.errors} error(s); nothing was imported`, { report });

  // Choice numbers: the project ids themselves when they are all small positive integers.
  const allNumeric = f.projects.every((p) => /^[1-9]\d{0,8}$/.test(p.id));
  const number = f.projects.map((p, i) => (allNumeric ? Number(p.id) : i + 1));
  let longest = 1;
  let mostPoints = 1;
  for (const v of f.votes) {
    if (v.projects.length > longest) longest = v.projects.length;
    if (v.points) {
      let sum = 0;
      for (const p of v.points) sum += p;
      if (sum > mostPoints) mostPoints = sum;
    }
  }
  const maxLength = Number(m.max_length) || longest;
  const method: BudgetRules['method'] = f.voteType;
  const rules: BudgetRules = {
    ...DEFAULT_BUDGET_RULES,
    method,
    maxChoices: maxLength,
    minChoices: 1,
    points: Number(m.max_sum_points) || mostPoints,
    maxPointsPerIdea: Number(m.max_points) || 0,
    rule: counting.rule,
    greedy: counting.greedy,
    utility: counting.utility,
    completion: 'add1',
    districts: [
      {
        id: 1,
        name: m.subunit || m.district || m.unit || 'Budget',
        budgetCents: f.budgetCents,
        settlementCodes: [],
        minVoters: 0,
      },
    ],
  };
  const ballots = ballotsOf(f, number, maxLength);

  // The winners, counted in memory on the file's ballots by the same rules as the results.
  const supporters = new Array<number>(f.projects.length).fill(0);
  const score = new Array<number>(f.projects.length).fill(0);
  const index = new Map(number.map((n, j) => [n, j]));
  for (const b of ballots)
    b.selections.forEach((s, k) => {
      const j = index.get(s)!;
      supporters[j]!++;
      score[j]! += b.weights ? b.weights[k]! : 1;
    });
  const projects: Project[] = f.projects.map((p, j) => ({
    id: number[j]!,
    costCents: p.costCents,
    districtId: 1,
    score: score[j]!,
    supporters: supporters[j]!,
  }));
  const outcome = selectBudgetWinners(
    projects,
    [{ ...rules.districts[0]!, voters: ballots.length }],
    rules,
    counting.rule === 'equal-shares' ? ballots : undefined,
  );

  const begin = parseDay(m.date_begin) ?? new Date(Date.UTC(Number(m.instance) || 2000, 0, 1));
  let end = parseDay(m.date_end) ?? new Date(begin.getTime() + 86_400_000);
  if (end <= begin) end = new Date(begin.getTime() + 86_400_000);
  const voteId = randomUUID();
  await inScope(ctx.db, { tenant: municipalityCode, ...(actorId ? { actor: actorId } : {}) }, async (trx) => {
    const boxId = await bb.createBox(trx, {
      municipalityCode,
      owner: `participation.vote:${voteId}`,
      keepSets: true,
      maxSelections: Math.max(1, maxLength, longest),
    });
    await insertImportedVote(trx, {
      municipalityCode,
      id: voteId,
      title,
      description: `Imported from the Pabulib file ${opts.filename ?? ''}`.trim(),
      opensAt: begin,
      closesAt: end,
      ballot: {
        questions: [
          {
            id: 1,
            text: title,
            kind: 'multiple',
            minChoices: 1,
            maxChoices: maxLength,
            choices: f.projects.map((p, j) => ({
              id: number[j]!,
              label: p.name,
              costCents: p.costCents,
              districtId: 1,
            })),
          },
        ],
      },
      rules: { budget: rules },
      boxId,
      createdBy: actorId,
    });
    const categoryAt = f.projectHeader.findIndex((h) => h.toLowerCase() === 'category');
    await insertImportedIdeas(
      trx,
      municipalityCode,
      voteId,
      f.projects.map((p, j) => ({
        number: number[j]!,
        externalId: p.id,
        title: p.name.slice(0, 200) || `Project ${p.id}`,
        description: categoryAt >= 0 ? (p.cells[categoryAt] ?? '') : '',
        costCents: p.costCents,
      })),
    );
    await insertPabulibSource(trx, municipalityCode, voteId, {
      filename: opts.filename ?? null,
      voteType: f.voteType,
      meta: f.meta,
      projectHeader: f.projectHeader,
      projects: f.projects.map((p) => p.cells),
      voteHeader: f.voteHeader,
    });
    // Every ballot into the box, which seals them, closes and counts (without opening them again).
    const payloads = new Array<bb.BallotPayload>(f.votes.length);
    for (let k = 0; k < f.votes.length; k++) {
      const v = f.votes[k]!;
      const content =
        v.extra || v.raw
          ? { pabulib: { ...(v.extra ? { extra: v.extra } : {}), ...(v.raw ? { raw: v.raw } : {}) } }
          : {};
      payloads[k] = {
        format: 'plain/1',
        content,
        selections: ballots[k]!.selections as number[],
        weights: ballots[k]!.weights as number[] | null,
      };
    }
    await bb.importBallots(ctx, trx, { municipalityCode, boxId, ballots: payloads });
    await appendAudit(trx, {
      municipalityCode,
      actorId,
      action: 'participation.pabulib.imported',
      subject: `vote:${voteId}`,
      details: {
        filename: opts.filename ?? null,
        projects: f.projects.length,
        votes: f.votes.length,
        warnings: report.warnings,
        rule: counting.rule,
      },
    });
  });
  report.imported = true;
  report.voteId = voteId;
  const byNumber = new Map(f.projects.map((p, j) => [number[j]!, p]));
  const won = new Set(outcome.winners.map((w) => byNumber.get(w.id)!.id));
  report.winners = [...won];
  report.unsupported = f.projects.filter((_, j) => supporters[j] === 0).map((p) => p.id);
  if (f.projects.some((p) => p.selected !== null)) {
    const ruleName =
      counting.rule === 'greedy'
        ? `the greedy rule (${counting.greedy})`
        : `equal shares (${counting.utility} utilities)`;
    for (const p of f.projects) {
      const selected = p.selected !== null && p.selected !== '0';
      if (selected !== won.has(p.id))
        report.differences.push(
          `project ${p.id} ("${p.name}", ${formatMoney(p.costCents)}): the file says ${selected ? `selected (${p.selected})` : 'not selected'}, ${ruleName} ${won.has(p.id) ? 'selects it' : 'does not'}`,
        );
    }
    report.matchesFileSelection = report.differences.length === 0;
  }
  return report;
}

const stripUndefined = <T extends object>(o: T): Partial<T> =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
