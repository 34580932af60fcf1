import { readFileSync } from 'node:fs';
import type { KovModule } from '../../platform/module';
import { UsageError } from '../../cli/command';
import { hubRoutes } from './routes';
import { seedHubDemo } from './demo';
import { storeCatalogue } from './importCatalogue';

/** Public API for other modules. */
export { trackerOverview } from './trackerOverview';

export const hubModule: KovModule = {
  name: 'hub',
  description:
    'Security and knowledge hub: articles, guides, templates and standard solutions for officials; the E-ITS implementation tracker; the mentor network.',
  api: hubRoutes,
  seedDemo: seedHubDemo,
  commands: [
    {
      name: 'eits import',
      summary: "Import an E-ITS catalogue version from RIA's file",
      help: 'Usage: kov eits import <version> <file.json>\n\nImports the catalogue in the shape RIA publishes (/api/2/catalog/{version}/modules) and prints what changed since the current version. A file with any error is reported and nothing is imported.',
      async run(io) {
        const [version, file] = io.positionals;
        if (!version || !file) throw new UsageError('Usage: kov eits import <version> <file.json>');
        let doc: unknown;
        try {
          doc = JSON.parse(readFileSync(file, 'utf8'));
        } catch (err) {
          io.out(`${file} is not readable JSON: ${(err as Error).message}`);
          return 1;
        }
        const { ctx, close } = await io.openContext();
        try {
          const r = await storeCatalogue(ctx, version, doc, null, file);
          io.out(`imported E-ITS catalogue ${r.version}: ${r.modules} modules, ${r.measures} measures`);
          if (r.previousVersion)
            io.out(
              `since ${r.previousVersion}: ${r.diff.added.length} added, ${r.diff.removed.length} removed, ${r.diff.changed.length} changed`,
            );
          for (const c of r.diff.changed) io.out(`  changed ${c.code} (${c.fields.join(', ')})`);
          for (const c of r.diff.added) io.out(`  added   ${c.code}`);
          for (const c of r.diff.removed) io.out(`  removed ${c.code}`);
          return 0;
        } catch (err) {
          const e = err as { detail?: string; extras?: { errors?: { pointer: string; detail: string }[] } };
          if (e.extras?.errors) {
            io.out(e.detail ?? 'The catalogue has errors');
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
