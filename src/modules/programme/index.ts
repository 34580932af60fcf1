import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { KovModule } from '../../platform/module';
import { RESOURCES_DIR } from '../../platform/places/ehak';
import { UsageError } from '../../cli/command';
import { programmeRoutes } from './routes';
import { storePlanFile } from './importPlan';

export const ACTION_PLAN_FILE = path.join(RESOURCES_DIR, 'programme/elvl-digipoore-2023-2026.json');
export const readActionPlan = (): unknown => JSON.parse(readFileSync(ACTION_PLAN_FILE, 'utf8'));

export const programmeModule: KovModule = {
  name: 'programme',
  description:
    "Programme office: ELVL's digital transformation action plan — initiatives, cost lines, VAT, totals, consistency checks and actual spending.",
  api: programmeRoutes,
  async seedDemo(ctx, opts) {
    const r = await storePlanFile(ctx, readActionPlan(), null);
    opts.log(
      `  action plan ${r.planId}: ${r.initiatives} initiatives, ${r.costLines} cost lines, ${r.inconsistencies} stated figures that the lines do not add up to`,
    );
  },
  commands: [
    {
      name: 'programme import',
      summary: 'Import or replace an action plan from its JSON file',
      help: 'Usage: kov programme import <plan.json>\n\nImports the plan (format kov-programme-plan/1, docs/programme.md). Every error of the file is listed and nothing is stored unless the whole file is valid.',
      async run(io) {
        const file = io.positionals[0];
        if (!file) throw new UsageError('Name the plan file: kov programme import <plan.json>');
        const doc = JSON.parse(readFileSync(file, 'utf8')) as unknown;
        const { ctx, close } = await io.openContext();
        try {
          const r = await storePlanFile(ctx, doc, null);
          io.out(
            `imported plan ${r.planId}: ${r.initiatives} initiatives, ${r.costLines} cost lines, ${r.statedTotals} stated figures (${r.inconsistencies} do not match the lines)`,
          );
          return 0;
        } catch (err) {
          const e = err as { detail?: string; extras?: { errors?: { pointer: string; detail: string }[] } };
          if (e.extras?.errors) {
            io.out(e.detail ?? 'The plan file has errors');
            for (const fe of e.extras.errors) io.out(`  ${fe.pointer}: ${fe.detail}`);
            return 1;
          }
          throw err;
        } finally {
          await close();
        }
      },
    },
  ],
};
