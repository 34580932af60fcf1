import { migrate } from '../platform/db/migrate';
import { ensureLoginRoles } from '../platform/db/roles';
import { readFileSync } from 'node:fs';
import {
  loadAuditKeys,
  readLatestCheckpoint,
  verifyAuditAgainst,
  verifyCheckpoint,
  type Checkpoint,
} from '../platform/audit/checkpoint';
import { seedDemo } from '../platform/demo/seed';
import { modules } from '../modules';
import { checkpointAuditChains } from '../modules/access';
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
      const { ownerUrl, close } = await io.openOwner();
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
    name: 'db roles',
    summary: 'Create or update the login roles kov_app (application) and kov_read (read-only)',
    help: `Usage: kov db roles [--app-password-file FILE] [--read-password-file FILE]

Run as a role with CREATEROLE (DATABASE_URL): makes kov_app and kov_read login roles that are
members of no role and own nothing, and grants kov_read every column that holds no personal data
(docs/configuration.md, "Database roles"). Without password files, each password is derived from
the credentials in DATABASE_URL. A password given from a file is marked as the operator's: later
\`kov db migrate\` runs re-grant the role but keep its password. Then set KOV_APP_DATABASE_URL to
connect as kov_app.`,
    options: { 'app-password-file': { type: 'string' }, 'read-password-file': { type: 'string' } },
    async run(io) {
      const read = (name: string) => {
        const f = io.values[name] as string | undefined;
        if (!f) return undefined;
        const pw = readFileSync(f, 'utf8').trim();
        if (pw.length < 16) throw new UsageError(`--${name}: the password in ${f} must have at least 16 characters`);
        return pw;
      };
      const passwords = { kov_app: read('app-password-file'), kov_read: read('read-password-file') };
      const { ownerUrl, close } = await io.openOwner();
      try {
        await ensureLoginRoles(ownerUrl, {
          ...(passwords.kov_app ? { kov_app: passwords.kov_app } : {}),
          ...(passwords.kov_read ? { kov_read: passwords.kov_read } : {}),
        });
        io.out('login roles kov_app and kov_read are set up');
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
    name: 'audit checkpoint',
    summary: 'Sign the head of every audit chain and write it outside the database',
    help: `Usage: kov audit checkpoint

Reads the head (last entry and hash) of every audit chain, signs them with the audit signing key
(Ed25519, KOV_AUDIT_SIGNING_KEY_FILE) and writes the checkpoint to KOV_AUDIT_CHECKPOINT_DIR
(a new file and latest.json). The platform also does this on a schedule (KOV_AUDIT_CHECKPOINT_CRON).`,
    async run(io) {
      const { ctx, close } = await io.openContext();
      try {
        const { checkpoint, file } = await checkpointAuditChains(ctx);
        io.out(`checkpoint of ${checkpoint.heads.length} chain(s) signed by key ${checkpoint.keyId}: ${file}`);
        return 0;
      } finally {
        await close();
      }
    },
  },
  {
    name: 'audit verify',
    summary: 'Check the hash chains of the audit log against the latest signed checkpoint',
    help: `Usage: kov audit verify [--municipality CODE] [--checkpoint FILE]

Walks every audit chain (or one municipality's) and recomputes each entry's hash, then checks
that every chain still reaches the head recorded by the latest signed checkpoint
(KOV_AUDIT_CHECKPOINT_DIR/latest.json, or FILE), whose Ed25519 signature must verify with the
audit public key (KOV_AUDIT_PUBLIC_KEY_FILE, else the signing key's). Exits 0 when every link
holds, 1 with the first broken link, a forged checkpoint, or entries removed since it.`,
    options: { municipality: { type: 'string' }, checkpoint: { type: 'string' } },
    async run(io) {
      const code = io.values.municipality as string | undefined;
      if (code !== undefined && !/^[0-9]{4}$/.test(code))
        throw new UsageError(`--municipality must be a 4-digit EHAK code, got "${code}"`);
      const file = io.values.checkpoint as string | undefined;
      let raw: unknown;
      try {
        raw = file ? JSON.parse(readFileSync(file, 'utf8')) : readLatestCheckpoint(io.config.audit.checkpointDir);
      } catch (err) {
        throw new UsageError(`cannot read the checkpoint ${file}: ${(err as Error).message}`);
      }
      let checkpoint: Checkpoint | null = null;
      if (raw) {
        try {
          checkpoint = verifyCheckpoint(loadAuditKeys(io.config.audit).trusted, raw);
        } catch (err) {
          io.out(`BROKEN: checkpoint rejected: ${(err as Error).message}`);
          return 1;
        }
      } else io.out('no checkpoint yet: checking the chains only (run `kov audit checkpoint`)');
      const { ownerUrl, close } = await io.openOwner();
      try {
        const report = await verifyAuditAgainst(ownerUrl, checkpoint, {
          ...(code ? { municipalityCode: code } : {}),
          onProgress: (n) => io.out(`  checked ${n} entries`),
        });
        if (report.broken) {
          io.out(
            `BROKEN: chain ${report.broken.municipalityCode}, entry ${report.broken.seq}: ${report.broken.reason}`,
          );
          return 1;
        }
        io.out(
          `OK: ${report.entries} entries in ${report.chains} chain(s), every link holds` +
            (checkpoint ? `; every chain reaches the checkpoint of ${checkpoint.at}` : ''),
        );
        return 0;
      } finally {
        await close();
      }
    },
  },
];
