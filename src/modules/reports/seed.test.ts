import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { testContext, makePerson } from '../../../test/support/app';
import { inScope } from '../../platform/db/database';
import { reportsModule } from './index';
import { DEMO_REPORTS, seedReports } from './seed';
import { analyticsOverview } from './analytics';

const { ctx } = await testContext({ jobs: false });
reportsModule.jobs!(ctx);
await ctx.jobs.start();
after(() => ctx.jobs.stop());

test('the demo seed writes a few thousand reports over Tallinn, Tartu and Elva, with their history and statistics', async () => {
  const officials: Record<string, { editor: string }> = {};
  for (const m of ['0784', '0793', '0171']) officials[m] = { editor: (await makePerson(ctx)).id };
  const residents = await Promise.all(
    [0, 1, 2].map(async (i) => ({
      ...(await makePerson(ctx)),
      residence: { municipalityCode: ['0784', '0793', '0171'][i]! },
    })),
  );
  await seedReports(ctx, {
    seed: 2026,
    log: () => {},
    population: residents.map((r) => ({
      personId: r.id,
      idCode: r.idCode,
      givenName: 'Demo',
      familyName: 'Elanik',
      birthDate: '1980-05-17',
      sex: 'female',
      residence: r.residence,
    })) as never,
    officials,
  });
  const counts = await inScope(
    ctx.db,
    { tenant: '*' },
    async (trx) =>
      (
        await sql<{ m: string; n: number; events: number; closed: number; sat: number }>`
    SELECT r.municipality_code AS m, count(*)::int AS n,
           (SELECT count(*)::int FROM report_event e WHERE e.municipality_code = r.municipality_code) AS events,
           count(r.first_closed_at)::int AS closed,
           (SELECT count(*)::int FROM report_satisfaction s WHERE s.municipality_code = r.municipality_code) AS sat
      FROM report r GROUP BY 1 ORDER BY 1`.execute(trx)
      ).rows,
  );
  assert.deepEqual(
    counts.map((c) => [c.m, c.n]),
    Object.entries(DEMO_REPORTS)
      .sort()
      .map(([m, n]) => [m, n]),
  );
  const total = counts.reduce((s, c) => s + c.n, 0);
  assert.ok(total >= 2000, `${total} reports`);
  for (const c of counts) {
    assert.ok(c.events > c.n, `${c.m}: events record the history`);
    assert.ok(c.closed > c.n / 2, `${c.m}: most are closed`);
    assert.ok(c.sat > 0, `${c.m}: some are rated`);
  }
  // Every demo report lies in its municipality (routed by the same geo lookup).
  const outside = await inScope(
    ctx.db,
    { tenant: '*' },
    async (trx) =>
      (await sql<{ n: number }>`SELECT count(*)::int AS n FROM report WHERE settlement_code IS NULL`.execute(trx))
        .rows[0]!.n,
  );
  assert.ok(outside < total * 0.05);
  const elvl = {
    kind: 'person' as const,
    personId: (await makePerson(ctx)).id,
    givenName: null,
    familyName: null,
    birthDate: '1980-01-01',
    idCodeMasked: '',
    acr: 'high',
    roles: [{ municipalityCode: '0000', role: 'admin' as const }],
  };
  const now = new Date();
  const to = `${now.getUTCFullYear()}-${String(now.getUTCMonth() + 1).padStart(2, '0')}`;
  const from = `${now.getUTCFullYear() - 2}-01`;
  const o = await analyticsOverview(ctx, elvl, { scope: '0000', from, to });
  assert.equal(o.totals.created, total, 'the statistics were built');
  assert.ok(o.timeToClose.medianHours! > 0 && o.sla.percent! > 50);
});
