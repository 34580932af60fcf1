import { migrate } from '../platform/db/migrate';
import { verifyAudit } from '../platform/audit/audit';
import { seedDemo } from '../platform/demo/seed';
import { modules } from '../modules';
import { UsageError, type CliCommand } from './command';

const positiveInt = (value: unknown, name: string, fallback: number) => {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`--${name} must be a positive whole number, got "${value}"`);
  return n;
};

export const platformCommands: CliCommand[] = [
  {
    name: 'db migrate',
    summary: 'Apply pending database migrations',
    help: `Usage: kov db migrate

Applies the numbered SQL migrations in migrations/ that the database does not have yet and
loads the EHAK places. Uses DATABASE_URL, or the embedded database in KOV_DATA_DIR (default ./data).`,
    async run(io) {
      const { ownerUrl, close } = await io.openContext();
      try {
        const res = await migrate(ownerUrl, { log: io.out });
        io.out(
          res.applied.length
            ? `applied ${res.applied.length} migration(s); ${res.current} in total`
            : `the database is up to date (${res.current} migrations)`,
        );
        return 0;
      } finally {
        await close();
      }
    },
  },
  {
    name: 'seed demo',
    summary: 'Seed the synthetic demo population and demo data',
    help: `Usage: kov seed demo [--residents N] [--seed S] [--force]

Creates N synthetic residents (default 3000) spread over Tallinn, Tartu and Elva, demo officials
and each module's demo data. Deterministic: the same seed gives the same people.
  --residents N   number of residents (default 3000)
  --seed S        random seed (default 2026)
  --force         seed even if the database already has persons`,
    options: { residents: { type: 'string' }, seed: { type: 'string' }, force: { type: 'boolean' } },
    async run(io) {
      const residents = positiveInt(io.values.residents, 'residents', 3000);
      const seed = positiveInt(io.values.seed, 'seed', 2026);
      const { ctx, close } = await io.openContext();
      try {
        const done = await seedDemo(ctx, modules, { residents, seed, log: io.out, force: Boolean(io.values.force) });
        io.out(
          done ? 'demo data seeded' : 'the database already has persons; nothing seeded (use --force to add anyway)',
        );
        return 0;
      } finally {
        await close();
      }
    },
  },
  {
    name: 'audit verify',
    summary: 'Check the hash chains of the audit log',
    help: `Usage: kov audit verify [--municipality CODE]

Walks every audit chain (or one municipality's) and recomputes each entry's hash. Exits 0 when
every link holds, 1 with the first broken link otherwise.`,
    options: { municipality: { type: 'string' } },
    async run(io) {
      const code = io.values.municipality as string | undefined;
      if (code !== undefined && !/^[0-9]{4}$/.test(code))
        throw new UsageError(`--municipality must be a 4-digit EHAK code, got "${code}"`);
      const { ownerUrl, close } = await io.openContext();
      try {
        const report = await verifyAudit(ownerUrl, {
          ...(code ? { municipalityCode: code } : {}),
          onProgress: (n) => io.out(`  checked ${n} entries`),
        });
        if (report.broken) {
          io.out(
            `BROKEN: chain ${report.broken.municipalityCode}, entry ${report.broken.seq}: ${report.broken.reason}`,
          );
          return 1;
        }
        io.out(`OK: ${report.entries} entries in ${report.chains} chain(s), every link holds`);
        return 0;
      } finally {
        await close();
      }
    },
  },
];
