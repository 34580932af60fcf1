import { sql } from 'kysely';
import type { AppContext } from '../../platform/context';
import type { Actor } from '../../platform/auth/actor';
import { inScope } from '../../platform/db/database';
import { appendAudit } from '../../platform/audit/audit';
import { Problem, notFound } from '../../platform/http/problems';
import * as bb from '../ballotBox';
import { canManageVotes } from './policy';
import { PV } from './problems';
import { parsePabulib, pbBudgetCents, pbVoteType, type PbIssue } from './pabulib';
import { computeResults } from './results';
import { DEFAULT_BUDGET_RULES, type BudgetRules } from './rules';
import { findVote } from './store';

export interface PbImportReport {
  imported: boolean;
  voteId: string | null;
  title: string;
  projects: number;
  votes: number;
  budgetCents: number;
  voteType: string;
  issues: PbIssue[];
  errors: number;
  warnings: number;
  /** Winners by our greedy rule, and whether they equal the file's `selected` column (null: the file has none). */
  winners: string[];
  matchesFileSelection: boolean | null;
  differences: string[];
}

function parseDay(s: string | undefined): Date | null {
  if (!s) return null;
  const m = /^(\d{1,2})\.(\d{1,2})\.(\d{4})/.exec(s.trim()) ?? null;
  if (m) return new Date(Date.UTC(Number(m[3]), Number(m[2]) - 1, Number(m[1])));
  const d = new Date(s);
  return Number.isNaN(d.getTime()) ? null : d;
}

/**
 * Loads a past participatory budget from a Pabulib file as a closed budget of the municipality:
 * projects become feasible ideas (their project_id kept), every vote an anonymous ballot. Files
 * with errors import nothing; warnings name the rows skipped. Winners are then computed by the
 * same rule engine (greedy with skipping) and compared with the file's `selected` column.
 * `actor` null = the operators' command line.
 */
export async function importPabulib(
  ctx: AppContext,
  actor: Actor | null,
  municipalityCode: string,
  text: string,
  opts: { filename?: string; greedy?: 'skip' | 'stop' } = {},
): Promise<PbImportReport> {
  const actorId = actor ? canManageVotes(actor, municipalityCode).personId : null;
  const tenant = await ctx.db
    .selectFrom('tenant')
    .select('code')
    .where('code', '=', municipalityCode)
    .executeTakeFirst();
  if (!tenant) throw notFound(`Municipality ${municipalityCode}`);
  const f = parsePabulib(text);
  const errors = f.issues.filter((i) => i.severity === 'error').length;
  const title =
    f.meta.description ||
    [f.meta.unit, f.meta.instance].filter(Boolean).join(' ') ||
    opts.filename ||
    'Imported participatory budget';
  const voteType = pbVoteType(f.meta);
  const report: PbImportReport = {
    imported: false,
    voteId: null,
    title,
    projects: f.projects.length,
    votes: f.votes.length,
    budgetCents: pbBudgetCents(f.meta),
    voteType,
    issues: f.issues,
    errors,
    warnings: f.issues.length - errors,
    winners: [],
    matchesFileSelection: null,
    differences: [],
  };
  if (errors) throw new Problem(PV.importFailed, `The file has ${errors} error(s); nothing was imported`, { report });

  const allNumeric = f.projects.every((p) => /^[1-9]\d{0,8}$/.test(p.id));
  const number = new Map(f.projects.map((p, i) => [p.id, allNumeric ? Number(p.id) : i + 1]));
  const maxLen = Math.max(1, ...f.votes.map((v) => v.projectIds.length));
  const rules: BudgetRules = {
    ...DEFAULT_BUDGET_RULES,
    method: voteType,
    maxChoices: Number(f.meta.max_length) || maxLen,
    minChoices: 1,
    points:
      Number(f.meta.max_sum_points) || Math.max(1, ...f.votes.map((v) => (v.points ?? []).reduce((a, b) => a + b, 0))),
    maxPointsPerIdea: Number(f.meta.max_points) || 0,
    greedy: opts.greedy ?? 'skip',
    districts: [
      {
        id: 1,
        name: f.meta.district || f.meta.subunit || f.meta.unit || 'Budget',
        budgetCents: report.budgetCents,
        settlementCodes: [],
        minVoters: 0,
      },
    ],
  };
  const begin = parseDay(f.meta.date_begin) ?? new Date(Date.UTC(Number(f.meta.instance) || 2000, 0, 1));
  let end = parseDay(f.meta.date_end) ?? new Date(begin.getTime() + 86_400_000);
  if (end <= begin) end = new Date(begin.getTime() + 86_400_000);
  const ballot = {
    questions: [
      {
        id: 1,
        text: title,
        kind: 'multiple' as const,
        minChoices: 1,
        maxChoices: rules.maxChoices,
        choices: f.projects.map((p) => ({
          id: number.get(p.id)!,
          label: p.name,
          costCents: p.costCents,
          districtId: 1,
        })),
      },
    ],
  };

  const voteId = await inScope(
    ctx.db,
    { tenant: municipalityCode, ...(actorId ? { actor: actorId } : {}) },
    async (trx) => {
      const id = (await sql<{ id: string }>`SELECT gen_random_uuid() AS id`.execute(trx)).rows[0]!.id;
      const boxId = await bb.createBox(trx, {
        municipalityCode,
        owner: `participation.vote:${id}`,
        keepSets: true,
        maxSelections: f.projects.length,
      });
      await trx
        .insertInto('pv_vote')
        .values({
          municipality_code: municipalityCode,
          id,
          kind: 'budget',
          title: title.slice(0, 300),
          description: `Imported from the Pabulib file ${opts.filename ?? ''}`.trim(),
          status: 'closed',
          opens_at: begin,
          closes_at: end,
          opened_at: begin,
          closed_at: end,
          ballot: JSON.stringify(ballot),
          rules: JSON.stringify({ budget: rules }),
          box_id: boxId,
          created_by: actorId,
          imported: true,
        } as never)
        .execute();
      for (let i = 0; i < f.projects.length; i += 1000) {
        await trx
          .insertInto('pv_idea')
          .values(
            f.projects.slice(i, i + 1000).map((p) => ({
              municipality_code: municipalityCode,
              vote_id: id,
              number: number.get(p.id)!,
              external_id: p.id,
              title: p.name.slice(0, 200) || `Project ${p.id}`,
              description: p.category ?? '',
              district_id: 1,
              final_cost_cents: p.costCents,
              estimated_cost_cents: p.costCents,
              status: 'feasible',
            })) as never,
          )
          .execute();
      }
      await bb.addAnonymousBallots(ctx, trx, {
        municipalityCode,
        boxId,
        channel: 'import',
        ballots: f.votes.map((v) => ({
          format: 'plain/1',
          selections: v.projectIds.map((p) => number.get(p)!),
          weights: v.points,
        })),
      });
      await bb.closeBox(ctx, trx, { municipalityCode, boxId });
      await appendAudit(trx, {
        municipalityCode,
        actorId,
        action: 'participation.pabulib.imported',
        subject: `vote:${id}`,
        details: {
          filename: opts.filename ?? null,
          projects: f.projects.length,
          votes: f.votes.length,
          warnings: report.warnings,
        },
      });
      return id;
    },
  );
  report.imported = true;
  report.voteId = voteId;
  const result = (await inScope(ctx.db, { tenant: municipalityCode }, async (trx) =>
    computeResults(ctx, trx, (await findVote(trx, municipalityCode, voteId))!),
  )) as any;
  const byNumber = new Map(f.projects.map((p) => [number.get(p.id)!, p]));
  const winners = new Set<string>(result.budget.winners.map((w: { id: number }) => byNumber.get(w.id)!.id));
  report.winners = [...winners];
  if (f.projects.some((p) => p.selected !== null)) {
    for (const p of f.projects) {
      if (Boolean(p.selected) !== winners.has(p.id))
        report.differences.push(
          `project ${p.id} ("${p.name}"): the file says ${p.selected ? 'selected' : 'not selected'}, the greedy rule ${winners.has(p.id) ? 'selects it' : 'does not'}`,
        );
    }
    report.matchesFileSelection = report.differences.length === 0;
  }
  return report;
}
