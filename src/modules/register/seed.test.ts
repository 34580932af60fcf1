import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { testContext } from '../../../test/support/app';
import { inScope } from '../../platform/db/database';
import { seedDemo, demoSpread } from '../../platform/demo/seed';
import { generatePopulation } from '../../platform/demo/population';
import { ageOn } from '../../platform/identity/personalIdCode';
import { placesModule } from '../places';
import { accessModule } from '../access';
import { registerModule } from '.';
import { residenceOn } from './model';
import { residencesOf } from './extractFile';

const { ctx } = await testContext();

test('the demo seed gives every synthetic resident their register residence and seeds electorates', async () => {
  assert.equal(
    await seedDemo(ctx, [placesModule, accessModule, registerModule], { residents: 600, seed: 2026, log: () => {} }),
    true,
  );
  const people = [...generatePopulation({ seed: 2026, residents: demoSpread(600) })];
  const rows = await inScope(ctx.db, { tenant: '*' }, (trx) =>
    sql<{
      n: number;
      p: number;
    }>`SELECT count(*)::int AS n, count(DISTINCT person_id)::int AS p FROM register_residence`.execute(trx),
  );
  assert.equal(rows.rows[0]!.p, 600);
  assert.equal(
    rows.rows[0]!.n,
    people.reduce((s, p) => s + residencesOf(p).length, 0),
  );

  // Tartu's frozen poll electorate: residents 16+ on 2026-01-01, counted here from the generator itself.
  const tartu = await inScope(ctx.db, { tenant: '0793' }, (trx) =>
    sql<{
      name: string;
      frozen_size: number;
      mode: string;
    }>`SELECT name, frozen_size, mode FROM electorate WHERE municipality_code = '0793'`.execute(trx),
  );
  assert.equal(tartu.rows.length, 1);
  const expected = people.filter(
    (p) =>
      residenceOn(residencesOf(p), '2026-01-01')?.municipalityCode === '0793' && ageOn(p.birthDate, '2026-01-01') >= 16,
  ).length;
  assert.equal(tartu.rows[0]!.frozen_size, expected);
  assert.ok(expected > 100);
  const all = await inScope(ctx.db, { tenant: '*' }, (trx) =>
    sql<{
      municipality_code: string;
      n: number;
    }>`SELECT municipality_code, count(*)::int AS n FROM electorate GROUP BY 1 ORDER BY 1`.execute(trx),
  );
  assert.deepEqual(all.rows, [
    { municipality_code: '0171', n: 1 },
    { municipality_code: '0784', n: 2 },
    { municipality_code: '0793', n: 1 },
  ]);
});

test('the population is deterministic by seed and realistic in shape', () => {
  const a = [...generatePopulation({ seed: 11, residents: { '0784': 3000, '0793': 2000, '0171': 1500 } })];
  const b = [...generatePopulation({ seed: 11, residents: { '0784': 3000, '0793': 2000, '0171': 1500 } })];
  assert.deepEqual(a, b);
  assert.equal(new Set(a.map((p) => p.idCode)).size, a.length);
  const share = (code: string, pred: (age: number) => boolean) => {
    const ps = a.filter((p) => p.residence.municipalityCode === code);
    return ps.filter((p) => pred(ageOn(p.birthDate, '2026-01-01'))).length / ps.length;
  };
  // Tartu has its students, Elva vald its older residents.
  assert.ok(share('0793', (x) => x >= 20 && x < 25) > share('0171', (x) => x >= 20 && x < 25) * 1.5);
  assert.ok(share('0171', (x) => x >= 60) > share('0784', (x) => x >= 60));
  // Lasnamäe is Tallinn's largest district, Pirita its smallest; Elva linn holds about 40 % of Elva vald.
  const inUnit = (code: string) => a.filter((p) => p.residence.settlementCode === code).length;
  const tallinn = ['0176', '0298', '0339', '0387', '0482', '0524', '0596', '0614'].map(inUnit);
  assert.equal(Math.max(...tallinn), inUnit('0387'));
  assert.equal(Math.min(...tallinn), inUnit('0596'));
  const elvaLinn = inUnit('1586') / 1500;
  assert.ok(elvaLinn > 0.3 && elvaLinn < 0.5, `Elva linn share ${elvaLinn}`);
  // Some moved: their earlier residence ends the day before the current one starts.
  const movers = a.filter((p) => p.previous?.length);
  assert.ok(movers.length > a.length * 0.1);
  for (const p of movers) {
    const prev = p.previous!.at(-1)!;
    assert.equal(
      new Date(Date.parse(`${prev.until}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10),
      p.residence.since,
    );
  }
});
