import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { testContext } from '../../../test/support/app';
import { seedDemo } from '../../platform/demo/seed';
import { inScope } from '../../platform/db/database';
import { servicesModule } from './index';
import { lifeEventPage } from './lifeEvents';
import { exportCatalogue, validateCpsv } from './cpsvExport';
import { TEMPLATE_COUNT } from './templates';

const { ctx } = await testContext();

test('demo data: ~40 templates, five pilot municipalities with mapped services, filled life-event pages, a year of answers', async () => {
  const lines: string[] = [];
  assert.equal(await seedDemo(ctx, [servicesModule], { residents: 400, seed: 7, log: (l) => lines.push(l) }), true);
  assert.ok(TEMPLATE_COUNT >= 40);
  const counts = await inScope(ctx.db, { tenant: '*' }, (trx) =>
    sql<{
      municipality_code: string;
      n: number;
      adopted: number;
    }>`SELECT municipality_code, count(*)::int AS n, count(template_id)::int AS adopted FROM service GROUP BY 1 ORDER BY 1`.execute(
      trx,
    ),
  );
  const by = new Map(counts.rows.map((r) => [r.municipality_code, r]));
  assert.equal(by.get('0000')!.n, TEMPLATE_COUNT);
  for (const code of ['0784', '0793', '0171', '0624', '0714'])
    assert.ok(by.get(code)!.adopted >= 8, `${code}: ${JSON.stringify(by.get(code))}`);
  for (const [code, event] of [
    ['0793', 'having-a-child'],
    ['0784', 'moving'],
    ['0171', 'death-of-a-relative'],
  ] as const) {
    const page = await lifeEventPage(ctx, code, event, 'et');
    assert.ok(
      page.steps.some((s) => s.municipalServices.length > 0),
      `${code} ${event}`,
    );
    assert.ok(page.steps.some((s) => s.stateServices.length > 0));
  }
  const span = await inScope(ctx.db, { tenant: '*' }, (trx) =>
    sql<{
      n: number;
      months: number;
    }>`SELECT count(*)::int AS n, count(DISTINCT date_trunc('month', answered_at))::int AS months FROM survey_answer`.execute(
      trx,
    ),
  );
  assert.ok(span.rows[0]!.n > 1000);
  assert.ok(span.rows[0]!.months >= 12, `answers in ${span.rows[0]!.months} months`);
  const rolled = await inScope(ctx.db, { tenant: '*' }, (trx) =>
    sql<{ n: number }>`SELECT sum(answers)::int AS n FROM survey_monthly`.execute(trx),
  );
  assert.equal(rolled.rows[0]!.n, span.rows[0]!.n);
  const { quads } = await exportCatalogue(ctx, '0793', 'turtle');
  const report = await validateCpsv(quads);
  assert.equal(report.conforms, true, report.text);
});
