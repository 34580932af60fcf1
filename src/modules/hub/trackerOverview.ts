import type { AppContext } from '../../platform/context';
import type { Actor } from '../../platform/auth/actor';
import { inScope } from '../../platform/db/database';
import { forbidden, notFound } from '../../platform/http/problems';
import { canSeeNamedOverview, requireOfficial } from './policy';
import { currentVersion, readAllTrackerRows, readCatalogue, type MeasureStatus } from './eitsStore';
import { computeProgress } from './progress';

/**
 * E-ITS progress across municipalities. ELVL's staff see names; anonymised, every official may
 * compare their municipality with the others (names and codes replaced by "KOV 1…n", ordered by
 * progress, so no row can be traced back by its position in the EHAK list).
 */
export async function trackerOverview(ctx: AppContext, actor: Actor, anonymise: boolean) {
  const official = requireOfficial(actor);
  if (!anonymise && !canSeeNamedOverview(official))
    throw forbidden('The named overview is for ELVL staff; ask for the anonymised one');
  const version = await currentVersion(ctx.db);
  if (!version) throw notFound('An imported E-ITS catalogue');
  const catalogue = (await readCatalogue(ctx.db, version))!;
  const rows = await inScope(ctx.db, { tenant: '*', actor: official.personId }, (trx) => readAllTrackerRows(trx));
  const names = new Map(
    (await ctx.db.selectFrom('tenant').select(['code', 'name']).execute()).map((t) => [t.code, t.name]),
  );
  const codes = new Set<string>([
    ...rows.trackers.map((t) => t.municipality_code),
    ...rows.states.map((s) => s.municipality_code),
  ]);
  const today = ctx.now().toISOString().slice(0, 10);
  const list = [...codes].map((code) => {
    const states = rows.states.filter((s) => s.municipality_code === code);
    const p = computeProgress({
      catalogue,
      targetLevel: rows.trackers.find((t) => t.municipality_code === code)?.target_level ?? 'standard',
      excludedModules: new Set(
        rows.scope.filter((s) => s.municipality_code === code && !s.applies).map((s) => s.module_code),
      ),
      status: new Map(states.map((s) => [s.measure_code, s.status as MeasureStatus])),
    });
    const overdue = states.filter(
      (s) => s.due_date && s.due_date < today && s.status !== 'implemented' && s.status !== 'not_applicable',
    ).length;
    return {
      municipalityCode: code as string | null,
      name: names.get(code) ?? code,
      progress: p.overall,
      byLayer: p.byLayer,
      overdue,
    };
  });
  list.sort((a, b) => b.progress.percent - a.progress.percent || (a.name < b.name ? -1 : 1));
  const municipalities = anonymise
    ? list.map((m, i) => ({ ...m, municipalityCode: null, name: `KOV ${i + 1}` }))
    : list;
  const all = municipalities.map((m) => m.progress.percent);
  return {
    catalogueVersion: version,
    anonymised: anonymise,
    municipalities,
    median: all.length ? [...all].sort((a, b) => a - b)[Math.floor((all.length - 1) / 2)]! : null,
  };
}
