import type { Catalogue, Group, Layer } from './catalogue';
import type { MeasureStatus } from './eitsStore';

/** Which measure groups count at a protection level: basic ⊂ standard ⊂ high. */
export const GROUPS_AT: Record<Group, Group[]> = {
  basic: ['basic'],
  standard: ['basic', 'standard'],
  high: ['basic', 'standard', 'high'],
};

export interface Progress {
  total: number;
  notApplicable: number;
  notStarted: number;
  inProgress: number;
  implemented: number;
  percent: number;
}

export const emptyProgress = (): Progress => ({
  total: 0,
  notApplicable: 0,
  notStarted: 0,
  inProgress: 0,
  implemented: 0,
  percent: 100,
});

function count(p: Progress, status: MeasureStatus) {
  p.total += 1;
  if (status === 'not_applicable') p.notApplicable += 1;
  else if (status === 'implemented') p.implemented += 1;
  else if (status === 'in_progress') p.inProgress += 1;
  else p.notStarted += 1;
}

/** implemented ÷ (total − not applicable), one decimal; 100 when nothing applicable is left. */
export function finish(p: Progress): Progress {
  const denominator = p.total - p.notApplicable;
  p.percent = denominator === 0 ? 100 : Math.round((p.implemented / denominator) * 1000) / 10;
  return p;
}

export interface ProgressInput {
  catalogue: Catalogue;
  targetLevel: Group;
  /** Modules marked as not applying (default: every module applies). */
  excludedModules: Set<string>;
  status: Map<string, MeasureStatus>;
}

/** Progress overall, by layer and by module, counting only applicable modules at the target level. */
export function computeProgress(i: ProgressInput) {
  const groups = GROUPS_AT[i.targetLevel];
  const overall = emptyProgress();
  const byLayer: Partial<Record<Layer, Progress>> = {};
  const byModule: Record<string, Progress> = {};
  const layerOf = new Map(i.catalogue.modules.map((m) => [m.code, m.layer]));
  for (const m of i.catalogue.modules) byModule[m.code] = emptyProgress();
  for (const m of i.catalogue.measures) {
    if (i.excludedModules.has(m.moduleCode) || !groups.includes(m.group)) continue;
    const status = i.status.get(m.code) ?? 'not_started';
    const layer = layerOf.get(m.moduleCode)!;
    count(overall, status);
    count((byLayer[layer] ??= emptyProgress()), status);
    count((byModule[m.moduleCode] ??= emptyProgress()), status);
  }
  finish(overall);
  for (const p of Object.values(byLayer)) finish(p!);
  for (const p of Object.values(byModule)) finish(p);
  return { overall, byLayer: byLayer as Record<string, Progress>, byModule };
}
