import { createReadStream, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { BenchEnv, BenchScenario } from '../lib';
import type { PersonActor } from '../../src/platform/auth/actor';
import { makeIdCode } from '../../src/platform/identity/personalIdCode';
import { upsertPerson } from '../../src/platform/auth/persons';
import { compareResults, getResults } from '../../src/modules/participation/results';
import { importPabulib } from '../../src/modules/participation/pabulibImport';
import { parsePabulib } from '../../src/modules/participation/pabulib';
import { equalShares } from '../../src/modules/participation/equalShares';
import { inScope } from '../../src/platform/db/database';
import { ballotSets } from '../../src/modules/ballotBox';

/**
 * Participatory budgets at city scale: importing a 500,000-vote Pabulib file (read as a stream
 * from disk, the way `kov pb import` does) and counting 100,000 voters × 100 projects by the
 * Method of Equal Shares with the add-one completion, approval and cumulative. Each next to the
 * raw-PostgreSQL baseline of the same run: COPY of the same ballots into a bare table (import),
 * reading the same ballots back with one SELECT (counting).
 */
const M = '0793';

function prng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A Pabulib file of the given size: popularity-skewed choices of 1–5 projects, voter age and sex. */
export function generatePb(opts: { voters: number; projects: number; cumulative: boolean; seed: number }): string {
  const rand = prng(opts.seed);
  const P = opts.projects;
  const cost = Array.from({ length: P }, () => (20 + Math.floor(rand() * 480)) * 1000);
  const pop = Array.from({ length: P }, () => rand() ** 2 + 0.02);
  const total = pop.reduce((a, b) => a + b, 0);
  const votes: string[] = [];
  for (let v = 1; v <= opts.voters; v++) {
    const k = 1 + Math.floor(rand() * 5);
    const chosen = new Set<number>();
    while (chosen.size < k) {
      let r = rand() * total;
      let j = 0;
      while ((r -= pop[j]!) > 0 && j < P - 1) j++;
      chosen.add(j + 1);
    }
    const ids = [...chosen];
    const row = [String(v), String(18 + (v % 70)), v % 2 ? 'M' : 'F', ids.join(',')];
    if (opts.cumulative) row.push(ids.map(() => 1 + Math.floor(rand() * 2)).join(','));
    votes.push(row.join(';'));
  }
  const budget = Math.round(cost.reduce((a, b) => a + b, 0) * 0.25);
  return [
    'META',
    'key;value',
    `description;Generated budget, ${opts.voters} voters`,
    'country;Estonia',
    'unit;Tartu',
    'instance;2025',
    `num_projects;${P}`,
    `num_votes;${opts.voters}`,
    `budget;${budget}`,
    `vote_type;${opts.cumulative ? 'cumulative' : 'approval'}`,
    'rule;equalshares',
    ...(opts.cumulative ? ['max_sum_points;10'] : ['max_length;5']),
    'PROJECTS',
    'project_id;cost;name',
    ...cost.map((c, j) => `${j + 1};${c};Project ${j + 1}`),
    'VOTES',
    `voter_id;age;sex;vote${opts.cumulative ? ';points' : ''}`,
    ...votes,
  ].join('\n');
}

async function official(env: BenchEnv): Promise<PersonActor> {
  const personId = await upsertPerson(env.ctx.db, {
    idCode: makeIdCode('female', '1975-03-03', 716),
    givenName: 'Bench',
    familyName: 'Official',
    birthDate: '1975-03-03',
  });
  return {
    kind: 'person',
    personId,
    givenName: 'Bench',
    familyName: 'Official',
    birthDate: '1975-03-03',
    idCodeMasked: '',
    roles: [{ municipalityCode: M, role: 'admin' }],
    acr: 'high',
  };
}

const ms = (t0: number) => Math.round(performance.now() - t0);
const load1 = () => Math.round(os.loadavg()[0]! * 100) / 100;

/** Raw PostgreSQL: COPY the same ballots (payload columns of bb_ballot) into a bare table. */
async function copyBaseline(ownerUrl: string, f: ReturnType<typeof parsePabulib>): Promise<number> {
  const c = new pg.Client({ connectionString: ownerUrl });
  await c.connect();
  try {
    await c.query(
      'CREATE TABLE bench_pb_copy (box uuid, receipt text, selections integer[], weights integer[], content jsonb)',
    );
    const t0 = performance.now();
    await c.query('BEGIN');
    const stream = c.query(copyFrom('COPY bench_pb_copy FROM STDIN'));
    const box = '00000000-0000-0000-0000-000000000001';
    await new Promise<void>((resolve, reject) => {
      stream.on('error', reject);
      stream.on('finish', () => resolve());
      let i = 0;
      const pump = () => {
        while (i < f.votes.length) {
          const v = f.votes[i]!;
          const line = `${box}\tR${i}\t{${v.projects.map((j) => f.projects[j]!.id).join(',')}}\t${v.points ? `{${v.points.join(',')}}` : '\\N'}\t${JSON.stringify({ pabulib: { extra: v.extra } })}\n`;
          i++;
          if (!stream.write(line)) return void stream.once('drain', pump);
        }
        stream.end();
      };
      pump();
    });
    await c.query('COMMIT');
    return ms(t0);
  } finally {
    await c.query('DROP TABLE IF EXISTS bench_pb_copy');
    await c.end();
  }
}

export const pabulibImportScenario: BenchScenario = {
  name: 'pabulib-import',
  title: 'Pabulib import: a 500,000-vote file from disk (stream), next to a raw COPY of the same ballots',
  async run(env) {
    const tmp = mkdtempSync(path.join(os.tmpdir(), 'kov-pb-'));
    try {
      const VOTES = Number(process.env.BENCH_PB_VOTES ?? 500_000);
      const text = generatePb({ voters: VOTES, projects: 100, cumulative: false, seed: 16 });
      const file = path.join(tmp, 'big.pb');
      writeFileSync(file, text);
      const actor = await official(env);
      const loadBefore = load1();
      const t0 = performance.now();
      const report = await importPabulib(env.ctx, actor, M, createReadStream(file), {
        filename: 'big.pb',
        counting: { rule: 'greedy' },
      });
      const importMs = ms(t0);
      env.log(`imported ${report.votes} votes in ${importMs} ms (load ${loadBefore} → ${load1()})`);
      // The box holds and counted every vote of the file.
      const check = new pg.Client({ connectionString: env.ownerUrl });
      await check.connect();
      const held = (
        await check.query(
          `SELECT b.counted_import AS counted, (SELECT count(*) FROM bb_ballot_set s WHERE s.box_id = b.id) AS kept
             FROM pv_vote v JOIN bb_box b ON b.id = v.box_id WHERE v.id = $1`,
          [report.voteId],
        )
      ).rows[0];
      await check.end();
      if (Number(held.counted) !== VOTES || Number(held.kept) !== VOTES)
        throw new Error(`the box counted ${held.counted} and kept ${held.kept} ballots of ${VOTES}`);
      const t1 = performance.now();
      const parsed = parsePabulib(text);
      const parseMs = ms(t1);
      const copyMs = await copyBaseline(env.ownerUrl, parsed);
      env.log(`parse alone ${parseMs} ms; raw COPY of the same ${parsed.votes.length} ballots ${copyMs} ms`);
      return {
        metrics: {
          votes: report.votes,
          importMs,
          parseMs,
          baselineCopyMs: copyMs,
          ratioToCopy: Math.round((importMs / copyMs) * 100) / 100,
          loadAverage1m: load1(),
        },
        targets: [{ metric: 'importMs', op: '<', value: 30_000 }],
        notes: [
          'importMs: read the file as a stream, check every line, store projects, the source and every ballot in one transaction, count the winners (greedy)',
          'baselineCopyMs: raw PostgreSQL COPY of the same ballots (payload columns only) into a bare table, same database, same run',
        ],
      };
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  },
};

export const equalSharesScenario: BenchScenario = {
  name: 'equal-shares',
  title: 'Method of Equal Shares with the add-one completion: 100,000 voters × 100 projects, approval and cumulative',
  async run(env) {
    const actor = await official(env);
    const metrics: Record<string, number> = {};
    const notes: string[] = [];
    for (const cumulative of [false, true]) {
      const kind = cumulative ? 'cumulative' : 'approval';
      const text = generatePb({ voters: 100_000, projects: 100, cumulative, seed: cumulative ? 2 : 1 });
      const f = parsePabulib(text);
      // Through the real path: the file imported (ballots sealed into the vote's box, which is
      // closed and counted), then the ballots as the results read them from the box.
      const report = await importPabulib(env.ctx, actor, M, text, { counting: { rule: 'equal-shares' } });
      const ballots = await inScope(env.ctx.db, { tenant: M }, async (trx) => {
        const { box_id: boxId } = await trx
          .selectFrom('pv_vote')
          .select('box_id')
          .where('id', '=', report.voteId!)
          .executeTakeFirstOrThrow();
        return ballotSets(env.ctx, trx, { municipalityCode: M, boxId });
      });
      const projects = f.projects.map((p, j) => ({ id: j + 1, costCents: p.costCents, votes: 0, score: 0 }));
      for (const b of ballots)
        b.selections.forEach((x, k) => {
          projects[x - 1]!.votes++;
          projects[x - 1]!.score += b.weights ? b.weights[k]! : 1;
        });
      // The rule alone, on those ballots in memory.
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      const r = equalShares(projects, ballots, { budgetCents: f.budgetCents, utility: 'cost', completion: 'add1' });
      const ruleMs = ms(t0);
      const ruleCpuMs = Math.round(process.cpuUsage(c0).user / 1000);
      // The officials' results: ballots from the ballot box, tallies, the rule, explanations.
      const t1 = performance.now();
      const res = (await getResults(env.ctx, actor, M, report.voteId!)) as unknown as {
        budget: { winners: unknown[] };
      };
      const resultsMs = ms(t1);
      const t2 = performance.now();
      await compareResults(env.ctx, actor, M, report.voteId!);
      const compareMs = ms(t2);
      // Raw PostgreSQL: read the same ballots with one SELECT — the choices the results count from
      // (ballots are sealed in bb_ballot; a budget's box keeps their choices, without slot or receipt,
      // in bb_ballot_set when it is counted, and equal shares reads them there).
      const c = new pg.Client({ connectionString: env.ownerUrl });
      await c.connect();
      const box = (await c.query('SELECT box_id FROM pv_vote WHERE id = $1', [report.voteId])).rows[0].box_id;
      const t3 = performance.now();
      const rows = await c.query('SELECT selections, weights FROM bb_ballot_set WHERE box_id = $1', [box]);
      const selectMs = ms(t3);
      await c.end();
      if (rows.rowCount !== f.votes.length)
        notes.push(`${kind}: ${rows.rowCount} kept ballots for ${f.votes.length} votes`);
      env.log(
        `${kind}: rule ${ruleMs} ms (${ruleCpuMs} ms CPU, ${r.steps} add-one steps, ${r.winners.length} funded); officials' results ${resultsMs} ms; comparison of 4 rules ${compareMs} ms; raw SELECT of ${rows.rowCount} ballots ${selectMs} ms (load ${load1()})`,
      );
      if (res.budget.winners.length !== r.winners.length) notes.push(`${kind}: results and rule disagree`);
      Object.assign(metrics, {
        [`${kind}RuleMs`]: ruleMs,
        [`${kind}RuleCpuMs`]: ruleCpuMs,
        [`${kind}Steps`]: r.steps,
        [`${kind}ResultsMs`]: resultsMs,
        [`${kind}CompareMs`]: compareMs,
        [`${kind}BaselineSelectMs`]: selectMs,
      });
    }
    metrics.loadAverage1m = load1();
    return {
      metrics,
      targets: [
        { metric: 'approvalRuleMs', op: '<', value: 10_000 },
        { metric: 'cumulativeRuleMs', op: '<', value: 10_000 },
      ],
      notes: [
        'RuleMs: equal shares with the add-one completion on 100,000 ballots in memory (exact fractions)',
        'ResultsMs: the officials’ results of the imported vote (ballots read from the ballot box, tallies, the rule, explanations)',
        'BaselineSelectMs: raw PostgreSQL SELECT of the same ballots (their choices as kept in bb_ballot_set, which the results read), same run',
        ...notes,
      ],
    };
  },
};
