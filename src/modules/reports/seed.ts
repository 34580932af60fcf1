import type { AppContext } from '../../platform/context';
import type { SeedOptions } from '../../platform/module';
import { DEMO_MUNICIPALITIES } from '../../platform/demo/population';
import { generateReports } from './generate';
import { refreshStats } from './refreshStats';

/** Demo data: about 3,000 reports over the last 14 months in Tallinn, Tartu and Elva. */
export const DEMO_REPORTS: Record<string, number> = { '0784': 1700, '0793': 900, '0171': 400 };

export async function seedReports(ctx: AppContext, opts: SeedOptions) {
  const now = ctx.now();
  const from = new Date(now.getTime() - 425 * 86_400_000);
  let seed = opts.seed;
  for (const m of DEMO_MUNICIPALITIES) {
    const residents = opts.population
      .filter((p) => p.residence.municipalityCode === m)
      .slice(0, 200)
      .map((p) => ({ personId: p.personId, name: `${p.givenName} ${p.familyName}` }));
    const officials = Object.values(opts.officials[m] ?? {}).filter(Boolean) as string[];
    const n = await generateReports(ctx, {
      municipalityCode: m,
      count: DEMO_REPORTS[m] ?? 500,
      from,
      to: now,
      now,
      seed: seed++,
      reporters: residents,
      officials,
      events: true,
    });
    opts.log(`  ${n} reports in ${m}`);
  }
  const r = await refreshStats(ctx);
  opts.log(`  report statistics: ${r.municipalityMonths} municipality-months aggregated`);
}
