import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import { sql } from 'kysely';
import type { BenchEnv, BenchScenario } from '../lib';
import { compareRateLimits, interleaveRateLimits, load } from '../lib';
import { inScope } from '../../src/platform/db/database';
import type { PersonActor } from '../../src/platform/auth/actor';
import { makeIdCode } from '../../src/platform/identity/personalIdCode';
import { upsertPerson } from '../../src/platform/auth/persons';
import { createElectorate, freezeElectorate } from '../../src/modules/register/electorates';
import { advanceVote, createVote, scheduleVote } from '../../src/modules/participation/manageVotes';
import { getResults } from '../../src/modules/participation/results';
import { addAnonymousBallots } from '../../src/modules/ballotBox';
import { upsertPersons } from '../../src/platform/auth/persons';

/**
 * Participation: sustained ballot casts over HTTP (POST …/votes/{id}/ballots: session, the vote's
 * rules, eligibility, the ballot box; the receipt only after commit), each request a different
 * voter of 20,000, on a vote whose electorate is a frozen voter list and on one checked live
 * against the register (extract); then the tally of a vote with 1,000,000 ballots (the officials'
 * results after close: counts per choice, turnout, percentages).
 */
const M = '0793'; // Tartu
const VOTERS = Number(process.env.PARTICIPATION_VOTERS ?? 20_000);
const TALLY_BALLOTS = Number(process.env.PARTICIPATION_TALLY_BALLOTS ?? 1_000_000);

const QUESTIONS = [
  { text: 'Kas Raekoja plats peaks olema autovaba?', kind: 'yesno' as const, allowBlank: true },
  {
    text: 'Mida platsile juurde tuua? (kuni kaks)',
    kind: 'multiple' as const,
    choices: ['Haljastus', 'Pingid', 'Mänguala', 'Kohvikud'],
    minChoices: 1,
    maxChoices: 2,
  },
];

async function owner<T>(env: BenchEnv, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: env.ownerUrl });
  c.on('error', () => {});
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

/** Voters: persons with a residence in Tartu in the register extract, and a browser session each. */
async function makeVoters(env: BenchEnv, settlement: string) {
  const people = Array.from({ length: VOTERS }, (_, i) => {
    const d = new Date(Date.UTC(1950, 0, 1) + (i % 15_000) * 86_400_000).toISOString().slice(0, 10);
    return { idCode: makeIdCode(i % 2 ? 'male' : 'female', d, 500 + Math.floor(i / 15_000)), birthDate: d };
  });
  const ids: string[] = [];
  for (let i = 0; i < people.length; i += 5000) {
    const b = people.slice(i, i + 5000);
    // The application role creates persons by code only through kov_person_upsert (issue 13).
    ids.push(
      ...(await upsertPersons(
        env.ctx.db,
        b.map((p) => ({ idCode: p.idCode, givenName: 'Bench', familyName: 'Voter', birthDate: p.birthDate })),
      )),
    );
  }
  await inScope(env.ctx.db, { tenant: M }, async (trx) => {
    for (let i = 0; i < ids.length; i += 5000) {
      await sql`INSERT INTO register_residence (municipality_code, person_id, valid_from, residence_municipality_code, settlement_code, address, source)
                SELECT ${M}, p, '2000-01-01', ${M}, ${settlement}, 'Bench 1', 'extract' FROM unnest(${ids.slice(i, i + 5000)}::uuid[]) AS p
                ON CONFLICT DO NOTHING`.execute(trx);
    }
  });
  const sessions = ids.map(
    () => [randomBytes(32).toString('base64url'), randomBytes(24).toString('base64url')] as const,
  );
  // As the owner: the application role may create sessions only through the login function (issue 13).
  await owner(env, async (c) => {
    for (let i = 0; i < ids.length; i += 5000) {
      const part = sessions.slice(i, i + 5000);
      await c.query(
        `INSERT INTO session (id_hash, person_id, csrf_token, amr, acr, expires_at)
         SELECT h, p, c, 'mID', 'high', now() + interval '12 hours'
           FROM unnest($1::bytea[], $2::uuid[], $3::text[]) AS t(h, p, c)`,
        [part.map((s) => createHash('sha256').update(s[0]).digest()), ids.slice(i, i + 5000), part.map((s) => s[1])],
      );
    }
  });
  await owner(env, (c) => c.query('ANALYZE person; ANALYZE session; ANALYZE register_residence'));
  return sessions;
}

async function official(env: BenchEnv): Promise<PersonActor> {
  const personId = await upsertPerson(env.ctx.db, {
    idCode: makeIdCode('male', '1970-02-02', 901),
    givenName: 'Bench',
    familyName: 'Official',
    birthDate: '1970-02-02',
  });
  await inScope(env.ctx.db, { tenant: M }, (trx) =>
    trx
      .insertInto('role_grant')
      .values({ municipality_code: M, person_id: personId, role: 'admin', granted_by: null })
      .onConflict((oc) => oc.doNothing())
      .execute(),
  );
  return {
    kind: 'person',
    personId,
    givenName: 'Bench',
    familyName: 'Official',
    birthDate: '1970-02-02',
    idCodeMasked: '',
    roles: [{ municipalityCode: M, role: 'admin' }],
    acr: 'high',
  };
}

async function openPoll(
  env: BenchEnv,
  actor: PersonActor,
  title: string,
  electorate: { electorateId: string } | { scope: 'municipality'; minAge: number },
) {
  const iso = (ms: number) => new Date(Date.now() + ms).toISOString();
  const v = await createVote(env.ctx, actor, M, {
    kind: 'poll',
    title,
    opensAt: iso(-60_000),
    closesAt: iso(3 * 3600_000),
    electorate,
    questions: QUESTIONS,
  });
  await scheduleVote(env.ctx, actor, M, v.id);
  await advanceVote(env.ctx, M, v.id);
  return v;
}

async function closeNow(env: BenchEnv, voteId: string) {
  await owner(env, async (c) => {
    await c.query(`UPDATE pv_vote SET closes_at = now() - interval '1 second' WHERE id = $1`, [voteId]);
    await c.query(
      `UPDATE bb_box SET closes_at = now() - interval '1 second' WHERE id = (SELECT box_id FROM pv_vote WHERE id = $1)`,
      [voteId],
    );
  });
  await advanceVote(env.ctx, M, voteId);
}

/**
 * Rate limiting's cost on casts (compareRateLimits): pairs of short phases without and with the
 * limiter on the one server, each phase on a fresh vote of the frozen voter list (every cast a
 * voter's first, as in the frozen phase), sessions seen within the minute.
 */
async function rateLimitCost(env: BenchEnv, actor: PersonActor, electorateId: string, hook: string) {
  let n = 0;
  const prepare = async () => {
    const vote = await openPoll(env, actor, `Bench: rate limits ${++n}`, { electorateId });
    process.env.KOV_BENCH_CAST_PATH = `/api/v1/municipalities/${M}/votes/${vote.id}/ballots`;
    await owner(env, (c) => c.query('UPDATE session SET last_seen_at = now()'));
    return (seconds: number) => load({ url: env.url, duration: seconds, requests: [{ setupRequest: hook as never }] });
  };
  const pairs = await compareRateLimits(env, prepare, { family: 'casts' });
  // And slots of 500 ms with and without the limiter within one continuous load on one more vote.
  const slots = await interleaveRateLimits(env, await prepare());
  return { ...pairs, slots };
}

const ms = (t0: number) => Math.round((performance.now() - t0) * 10) / 10;

export const participationScenario: BenchScenario = {
  name: 'participation',
  title: `Ballot casts over HTTP (${VOTERS} voters; frozen and live electorates) and the tally of ${TALLY_BALLOTS.toLocaleString('en')} ballots`,
  async run(env) {
    const { ctx } = env;
    const settlement = (
      await ctx.db
        .selectFrom('place')
        .select('code')
        .where('municipality_code', '=', M)
        .where('level', '=', 'settlement')
        .orderBy('code')
        .executeTakeFirstOrThrow()
    ).code;
    env.log(`creating ${VOTERS} voters with register residence and sessions`);
    const sessions = await makeVoters(env, settlement);
    const actor = await official(env);
    const tmp = mkdtempSync(path.join(os.tmpdir(), 'kov-bench-participation-'));
    const votersFile = path.join(tmp, 'voters.json');
    writeFileSync(votersFile, JSON.stringify(sessions));
    process.env.KOV_BENCH_VOTERS = votersFile;
    const hook = path.resolve(import.meta.dirname, 'participationRequest.cjs');

    const castPhase = async (label: string, voteId: string, base = env.url) => {
      process.env.KOV_BENCH_CAST_PATH = `/api/v1/municipalities/${M}/votes/${voteId}/ballots`;
      // Voters who have just opened the vote page: their sessions were seen within the minute (the
      // platform refreshes a session's idle clock at most once a minute).
      await owner(env, (c) => c.query('UPDATE session SET last_seen_at = now()'));
      // A short warm-up (JIT, prepared statements, caches), then the measured phase.
      await load({ url: base, duration: 2, requests: [{ setupRequest: hook as never }] });
      const xacts = () =>
        owner(env, async (c) => {
          await new Promise((res) => setTimeout(res, 1500)); // backends report their statistics about once a second
          return Number(
            (
              await c.query(
                `SELECT xact_commit + xact_rollback AS n FROM pg_stat_database WHERE datname = current_database()`,
              )
            ).rows[0].n,
          );
        });
      const x0 = await xacts();
      // CPU used during the phase: this process (the server and the load generator's worker thread)
      // and the database's backends serving this database (Linux /proc; NaN elsewhere).
      const backends = await owner(env, async (c) =>
        (
          await c.query(
            `SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND backend_type = 'client backend' AND pid <> pg_backend_pid()`,
          )
        ).rows.map((r) => r.pid as number),
      );
      const dbCpu = () =>
        backends.reduce((n, pid) => {
          try {
            const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
            return n + (Number(f[11]) + Number(f[12])) * 10; // utime + stime in clock ticks (100 Hz) → ms
          } catch {
            return n;
          }
        }, 0);
      const cpu0 = process.cpuUsage();
      const db0 = dbCpu();
      const r = await load({ url: base, duration: env.seconds, requests: [{ setupRequest: hook as never }] });
      const cpu = process.cpuUsage(cpu0);
      const appCpuMsPerCast = Math.round(((cpu.user + cpu.system) / 1000 / Math.max(1, r.requests)) * 100) / 100;
      const dbCpuMsPerCast = existsSync('/proc/self/stat')
        ? Math.round(((dbCpu() - db0) / Math.max(1, r.requests)) * 100) / 100
        : NaN;
      const transactionsPerCast = Math.round((((await xacts()) - x0 - 2) / Math.max(1, r.requests)) * 100) / 100;
      const counted = await owner(
        env,
        async (c) =>
          (
            await c.query(
              `SELECT count(*)::int AS n FROM bb_ballot b JOIN pv_vote v ON v.box_id = b.box_id AND v.municipality_code = b.municipality_code WHERE v.id = $1`,
              [voteId],
            )
          ).rows[0].n as number,
      );
      env.log(
        `${label}: ${r.requestsPerSecond} casts/s, p50 ${r.p50Ms} ms, p99 ${r.p99Ms} ms, ${r.non2xx} non-2xx, ${r.errors} errors; ${counted} ballots in the box; ${transactionsPerCast} database transactions per cast; CPU per cast: ${appCpuMsPerCast} ms server + load generator, ${dbCpuMsPerCast} ms database backends`,
      );
      return { ...r, counted, transactionsPerCast, appCpuMsPerCast, dbCpuMsPerCast };
    };

    // 1. Frozen electorate: the voter list fixed when the vote was scheduled.
    const frozenE = await createElectorate(ctx, actor, M, {
      name: 'Bench frozen',
      scope: 'municipality',
      settlementCodes: [],
      minAge: 16,
      maxAge: null,
      referenceDate: new Date().toISOString().slice(0, 10),
      residenceAt: 'reference-date',
      mode: 'frozen',
    });
    await freezeElectorate(ctx, actor, M, frozenE.id);
    const frozenVote = await openPoll(env, actor, 'Bench: frozen voter list', { electorateId: frozenE.id });
    const frozen = await castPhase('frozen voter list', frozenVote.id);
    // What counting every cast against its address and person costs (rate limits above the
    // benchmark's rate): pairs of short phases without and with the limiter.
    const limited = await rateLimitCost(env, actor, frozenE.id, hook);
    for (const l of limited.lines) env.log(`rate limits, ${l}`);
    const sl = limited.slots;
    env.log(
      `rate limits, ${sl.slots} pairs of ${sl.slotMs} ms slots in one load: with ${sl.withPerSecond} / without ${sl.withoutPerSecond} casts/s, cost ${sl.costPercent} % overall, per slot pair median ${sl.medianPairCostPercent} % (${sl.minPairCostPercent} … ${sl.maxPairCostPercent} %)`,
    );

    // 2. Live electorate: every first cast of a voter asks the register (extract), logged.
    const liveVote = await openPoll(env, actor, 'Bench: live electorate', { scope: 'municipality', minAge: 16 });
    const live = await castPhase('live electorate', liveVote.id);

    // 3. Tally: a closed vote with a million ballots (as if cast), counted as the officials see it after close.
    env.log(`filling a vote with ${TALLY_BALLOTS.toLocaleString('en')} ballots`);
    const tallyVote = await openPoll(env, actor, 'Bench: tally', { scope: 'municipality', minAge: 16 });
    const t0 = performance.now();
    const settlements = (
      await ctx.db
        .selectFrom('place')
        .select('code')
        .where('municipality_code', '=', M)
        .where('level', '=', 'settlement')
        .orderBy('code')
        .limit(16)
        .execute()
    ).map((p) => p.code);
    let tallyBox = '';
    await owner(env, async (c) => {
      const box = (await c.query(`SELECT box_id FROM pv_vote WHERE id = $1`, [tallyVote.id])).rows[0].box_id as string;
      // Who voted: a million persons with a voter row each (turnout by settlement unit is part of the count).
      for (let i = 0; i < TALLY_BALLOTS; i += 250_000) {
        await c.query(
          `WITH p AS (INSERT INTO person (id_code, given_name, family_name, birth_date)
                      SELECT '8' || lpad(n::text, 10, '0'), 'Tally', 'Voter', '1980-01-01' FROM generate_series($3::int, $4::int) AS n
                      RETURNING id, id_code)
           INSERT INTO bb_voter (municipality_code, box_id, person_id, settlement_code, channel)
           SELECT $1, $2::uuid, p.id, ($5::text[])[1 + (hashtext(p.id_code) & 15) % cardinality($5::text[])], 'internet' FROM p`,
          [M, box, i + 1, Math.min(TALLY_BALLOTS, i + 250_000), settlements],
        );
      }
      return box;
    }).then(async (box) => {
      tallyBox = box;
      // What was voted: a million ballots, sealed by the ballot box as any other (anonymous
      // ballots: random slots), a different mix of choices per ballot.
      for (let i = 0; i < TALLY_BALLOTS; i += 50_000) {
        const n = Math.min(50_000, TALLY_BALLOTS - i);
        const ballots = Array.from({ length: n }, (_, k) => {
          const x = i + k;
          const a = 1 + (x % 3);
          const m = 4 + ((x * 7) % 4);
          return { format: 'plain/1', selections: x % 2 ? [a, m] : [a, m, 4 + ((m - 3) % 4)] };
        });
        await inScope(ctx.db, { tenant: M }, (trx) =>
          addAnonymousBallots(ctx, trx, { municipalityCode: M, boxId: box, channel: 'import', ballots }),
        );
      }
      await owner(env, (c) => c.query('ANALYZE bb_ballot; ANALYZE bb_voter'));
    });
    env.log(`filled in ${Math.round(ms(t0))} ms; closing and counting`);
    // The same-run yardstick of a count (the machine may be loaded): the database's raw read of
    // the same rows — COPY of the columns a count reads, to this process, discarded — timed just
    // before and just after the count, the mean of the two.
    const rawCopy = () =>
      owner(env, async (c) => {
        const t = performance.now();
        const stream = c.query(
          copyTo(
            `COPY (SELECT receipt, channel, sealed FROM bb_ballot WHERE box_id = '${tallyBox}' AND status = 'counted') TO STDOUT`,
          ),
        );
        let bytes = 0;
        for await (const chunk of stream) bytes += (chunk as Buffer).length;
        return { ms: ms(t), bytes };
      });
    const copyBefore = await rawCopy();
    // Closing counts the box: every sealed ballot is opened in memory and the counts written.
    const c0 = performance.now();
    await closeNow(env, tallyVote.id);
    const countMs = ms(c0);
    const copyAfter = await rawCopy();
    const rawCopyMs = Math.round(((copyBefore.ms + copyAfter.ms) / 2) * 10) / 10;
    env.log(
      `closed and counted ${TALLY_BALLOTS.toLocaleString('en')} sealed ballots in ${Math.round(countMs)} ms; raw COPY of the same rows ${copyBefore.ms} / ${copyAfter.ms} ms (${copyBefore.bytes} bytes): count = ${Math.round((countMs / rawCopyMs) * 100) / 100} × raw read`,
    );
    const tallies: number[] = [];
    let ballots = 0;
    for (let i = 0; i < 3; i++) {
      const t1 = performance.now();
      const res = (await getResults(ctx, actor, M, tallyVote.id)) as unknown as { ballots: number };
      tallies.push(ms(t1));
      ballots = res.ballots;
    }
    rmSync(tmp, { recursive: true, force: true });
    const ratio = (x: number) => (env.baseline ? Math.round((x / env.baseline.insertsPerSecond) * 100) / 100 : NaN);
    return {
      metrics: {
        castsPerSecond: frozen.requestsPerSecond,
        castP50Ms: frozen.p50Ms,
        castP90Ms: frozen.p90Ms,
        castP99Ms: frozen.p99Ms,
        castMaxMs: frozen.maxMs,
        castErrors: frozen.errors + frozen.non2xx,
        ratioToInsertBaseline: ratio(frozen.requestsPerSecond),
        transactionsPerCast: frozen.transactionsPerCast,
        appCpuMsPerCast: frozen.appCpuMsPerCast,
        dbCpuMsPerCast: frozen.dbCpuMsPerCast,
        rateLimitedCastsPerSecond: limited.with.requestsPerSecond,
        rateLimitedCastP99Ms: limited.with.p99Ms,
        rateLimitedCastErrors: limited.limitedFailures,
        rateLimitCostPercent: limited.costPercent,
        rateLimitCostMinPercent: limited.minCostPercent,
        rateLimitCostMaxPercent: limited.maxCostPercent,
        rateLimitCpuCostPercent: limited.cpuCostPercent,
        rateLimitServerCpuCostPercent: limited.serverCpuCostPercent,
        rateLimitOwnSharePercent: limited.ownSharePercent,
        rateLimitCheckCpuUs: limited.own.checkUs,
        rateLimitFlushCpuMs: Math.round((limited.own.flushNodeMs + limited.own.flushDbMs) * 1000) / 1000,
        rateLimitFlushesPerSecond: limited.flushesPerSecond,
        rateLimitRowsPerFlush: limited.rowsPerFlush,
        rateLimitSlotsCostPercent: limited.slots.costPercent,
        rateLimitSlotPairsMedianPercent: limited.slots.medianPairCostPercent,
        liveCastsPerSecond: live.requestsPerSecond,
        liveCastP50Ms: live.p50Ms,
        liveCastP99Ms: live.p99Ms,
        liveCastErrors: live.errors + live.non2xx,
        liveRatioToInsertBaseline: ratio(live.requestsPerSecond),
        liveTransactionsPerCast: live.transactionsPerCast,
        liveAppCpuMsPerCast: live.appCpuMsPerCast,
        liveDbCpuMsPerCast: live.dbCpuMsPerCast,
        tallyBallots: ballots,
        tallyMs: [...tallies].sort((a, b) => a - b)[1]!,
        countSealedMs: countMs,
        countRawCopyMs: rawCopyMs,
        countToRawCopyRatio: Math.round((countMs / rawCopyMs) * 100) / 100,
      },
      targets: [
        { metric: 'castsPerSecond', op: '>=', value: 2000 },
        { metric: 'castP99Ms', op: '<', value: 100 },
        { metric: 'tallyMs', op: '<', value: 5000 },
        { metric: 'countSealedMs', op: '<', value: 5000 },
        { metric: 'rateLimitCostPercent', op: '<=', value: 5 },
      ],
      notes: [
        `casts: ${env.seconds} s per phase after a 2 s warm-up, 20 connections, each request the next of ${VOTERS} voters (re-votes once all have voted), sessions seen within the minute; the receipt is answered after commit`,
        `frozen phase: ${frozen.counted} ballots counted; live phase: ${live.counted}`,
        `count: closing the box opens every sealed ballot in memory (AES-256-GCM) and writes the counts: ${Math.round(countMs)} ms for ${ballots} ballots`,
        `tally: getResults as an official after close (the counts written at close, turnout by settlement unit over the voters, percentages) over ${ballots} ballots and as many voters; runs ${tallies.join(' / ')} ms, the median reported`,
      ],
    };
  },
};
