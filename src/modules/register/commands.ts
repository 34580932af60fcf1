import { UsageError, type CliCommand } from '../../cli/command';
import { generatePopulation } from '../../platform/demo/population';
import { demoSpread } from '../../platform/demo/seed';
import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { importExtract } from './importExtract';
import { registerPersonOf, writeExtract } from './extractFile';
import type { RegisterPerson } from './model';
import { startRegisterSimulator, type SimulatorBehaviour } from './simulator';

const municipalityOption = (v: unknown) => {
  if (typeof v !== 'string' || !/^[0-9]{4}$/.test(v))
    throw new UsageError('--municipality must be an EHAK municipality code such as 0784');
  return v;
};
const intOption = (v: unknown, name: string, fallback: number, min = 0) => {
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!Number.isInteger(n) || n < min) throw new UsageError(`${name} must be a whole number of at least ${min}`);
  return n;
};
const formatOption = (v: unknown): 'csv' | 'json' | undefined => {
  if (v === undefined) return undefined;
  if (v !== 'csv' && v !== 'json') throw new UsageError('--format must be csv or json');
  return v;
};

const importCommand: CliCommand = {
  name: 'register import',
  summary: 'Load a population register extract (CSV or JSON) of a municipality',
  help: `Usage: kov register import FILE --municipality CODE [--format csv|json] [--dry-run]

Loads a population register extract of one municipality: one row per residence record.
Columns (CSV header, or JSON keys; the register's names in brackets are accepted too):
  id_code (Isikukood)             personal ID code                      required
  given_name (Eesnimi)            first name(s)                         optional
  family_name (Perenimi)          family name                           optional
  municipality_code (VallaKood)   EHAK municipality of the residence    required
  settlement_code (KylaKood)      EHAK settlement unit inside it        optional
  address (Tekst)                 full address                          required
  ads_adr_id (AdsAdrID)           ADS address id                        optional
  valid_from (Alates)             YYYY-MM-DD or DD.MM.YYYY              required
  valid_until (Kuni)              YYYY-MM-DD or DD.MM.YYYY (inclusive)  optional
  status (Staatus)                the register's record status          optional
JSON: an array of objects, {"rows": [...]}, or JSON Lines.

Every row is checked; if any is bad, nothing is loaded and each bad line is listed (exit code 1).
A good file replaces the municipality's register data in one transaction; loading the same file
again changes nothing.

  --municipality CODE   the municipality whose extract this is (required)
  --format csv|json     default: from the file name (.json/.jsonl → json, else csv)
  --dry-run             check only`,
  options: { municipality: { type: 'string', short: 'm' }, format: { type: 'string' }, 'dry-run': { type: 'boolean' } },
  async run(io) {
    const file = io.positionals[0];
    if (!file || io.positionals.length > 1) throw new UsageError('give exactly one FILE');
    const municipalityCode = municipalityOption(io.values.municipality);
    const { ctx, close } = await io.openContext();
    try {
      const format = formatOption(io.values.format);
      const r = await importExtract(ctx, {
        municipalityCode,
        source: { path: file },
        ...(format ? { format } : {}),
        dryRun: Boolean(io.values['dry-run']),
        onProgress: io.out,
      });
      if (r.status === 'rejected') {
        io.out(`REJECTED ${r.filename}: ${r.errorCount} bad line(s); nothing was loaded.`);
        for (const e of r.errors) io.out(`  line ${e.line}: ${e.reason}`);
        if (r.errorCount > r.errors.length) io.out(`  … and ${r.errorCount - r.errors.length} more`);
        return 1;
      }
      const rate = r.durationMs ? Math.round((r.rows / r.durationMs) * 1000) : r.rows;
      const what = {
        imported: 'imported',
        unchanged: 'unchanged (this file is already loaded)',
        valid: 'valid (dry run, nothing loaded)',
      }[r.status];
      io.out(
        `${what}: ${r.rows} rows, ${r.persons} persons${r.status === 'imported' ? ` (${r.newPersons} new)` : ''} in ${(r.durationMs / 1000).toFixed(1)} s (${rate} rows/s); sha256 ${r.sha256}`,
      );
      return 0;
    } finally {
      await close();
    }
  },
};

const generateCommand: CliCommand = {
  name: 'register generate-extract',
  summary: 'Write a synthetic register extract (for tests, benchmarks and demos)',
  help: `Usage: kov register generate-extract --municipality CODE --residents N --out FILE [--seed S] [--format csv|json]

Writes an extract of N synthetic residents of the municipality (the demo population generator:
realistic ages and residents per settlement unit; some with earlier residences).`,
  options: {
    municipality: { type: 'string', short: 'm' },
    residents: { type: 'string' },
    out: { type: 'string', short: 'o' },
    seed: { type: 'string' },
    format: { type: 'string' },
  },
  async run(io) {
    const municipalityCode = municipalityOption(io.values.municipality);
    const residents = intOption(io.values.residents, '--residents', 1000, 1);
    if (typeof io.values.out !== 'string') throw new UsageError('--out FILE is required');
    const format = formatOption(io.values.format) ?? (/\.json$/i.test(io.values.out) ? 'json' : 'csv');
    const rows = await writeExtract(io.values.out, {
      municipalityCode,
      residents,
      seed: intOption(io.values.seed, '--seed', 2026),
      format,
    });
    io.out(`wrote ${rows} rows (${residents} residents of ${municipalityCode}) to ${io.values.out}`);
    return 0;
  },
};

/** People from an extract CSV (the simulator can serve an extract instead of the generated population). */
function peopleFromExtract(file: string): RegisterPerson[] {
  const rows = parse(readFileSync(file, 'utf8'), {
    columns: true,
    bom: true,
    skip_empty_lines: true,
    trim: true,
  }) as Record<string, string>[];
  const people = new Map<string, RegisterPerson>();
  for (const r of rows) {
    const id = r.id_code ?? r.Isikukood ?? '';
    const c = id[0];
    const century =
      c === '1' || c === '2' ? '18' : c === '3' || c === '4' ? '19' : c === '5' || c === '6' ? '20' : '21';
    const p = people.get(id) ?? {
      idCode: id,
      givenName: r.given_name || null,
      familyName: r.family_name || null,
      birthDate: `${century}${id.slice(1, 3)}-${id.slice(3, 5)}-${id.slice(5, 7)}`,
      residences: [],
    };
    p.residences.push({
      municipalityCode: r.municipality_code ?? '',
      settlementCode: r.settlement_code || null,
      address: r.address ?? '',
      adsAdrId: r.ads_adr_id ? Number(r.ads_adr_id) : null,
      validFrom: r.valid_from ?? '',
      validUntil: r.valid_until || null,
      status: r.status || null,
    });
    people.set(id, p);
  }
  return [...people.values()];
}

const simulatorCommand: CliCommand = {
  name: 'register-simulator',
  summary: 'Run a local X-Road population register simulator (for development and tests)',
  help: `Usage: kov register-simulator [--port 8089] [--host 127.0.0.1] [--residents N] [--seed S] [--extract FILE]
                             [--delay-ms MS] [--fail http-500|soap-fault|reset] [--malformed xml|json|wrong-person|bad-fields|no-envelope]

Answers the population register's person-and-residence query (RR434) the way the X-Road security
server does: POST /r1/EE/GOV/70008440/rr/RR434 with X-Road-Client and the SOAP query. Serves the
demo population (same seed and size as the demo: KOV_DEMO_RESIDENTS, default 3000) or the people
of an extract CSV. Point the platform at it with
  KOV_REGISTER_SOURCE=xroad KOV_XROAD_SECURITY_SERVER=http://127.0.0.1:8089 KOV_XROAD_CLIENT=EE/GOV/70000000/kov
Change its behaviour while it runs: curl -X PUT -d '{"delayMs":5000}' http://127.0.0.1:8089/__simulator/behaviour
({"fail":"http-500"}, {"malformed":"xml","times":3}, {} to behave). Stops on Ctrl+C.`,
  options: {
    port: { type: 'string', short: 'p' },
    host: { type: 'string' },
    residents: { type: 'string' },
    seed: { type: 'string' },
    extract: { type: 'string' },
    'delay-ms': { type: 'string' },
    fail: { type: 'string' },
    malformed: { type: 'string' },
  },
  async run(io) {
    const port = intOption(io.values.port, '--port', 8089);
    const seed = intOption(io.values.seed, '--seed', 2026);
    const residents = intOption(io.values.residents, '--residents', Number(process.env.KOV_DEMO_RESIDENTS ?? 3000), 1);
    const behaviour: SimulatorBehaviour = {};
    if (io.values['delay-ms'] !== undefined) behaviour.delayMs = intOption(io.values['delay-ms'], '--delay-ms', 0);
    if (io.values.fail !== undefined) {
      if (!['http-500', 'soap-fault', 'reset'].includes(String(io.values.fail)))
        throw new UsageError('--fail must be http-500, soap-fault or reset');
      behaviour.fail = io.values.fail as SimulatorBehaviour['fail'];
    }
    if (io.values.malformed !== undefined) {
      if (!['xml', 'json', 'wrong-person', 'bad-fields', 'no-envelope'].includes(String(io.values.malformed)))
        throw new UsageError('--malformed must be xml, json, wrong-person, bad-fields or no-envelope');
      behaviour.malformed = io.values.malformed as SimulatorBehaviour['malformed'];
    }
    const people =
      typeof io.values.extract === 'string'
        ? peopleFromExtract(io.values.extract)
        : [...generatePopulation({ seed, residents: demoSpread(residents) })].map(registerPersonOf);
    const sim = await startRegisterSimulator({
      people,
      port,
      host: typeof io.values.host === 'string' ? io.values.host : '127.0.0.1',
      behaviour,
      log: io.out,
    });
    io.out(`register simulator ready at ${sim.url}`);
    await new Promise<void>((resolve) => {
      process.once('SIGINT', resolve);
      process.once('SIGTERM', resolve);
    });
    await sim.close();
    return 0;
  },
};

export const registerCommands: CliCommand[] = [importCommand, generateCommand, simulatorCommand];
