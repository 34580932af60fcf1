import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

/** EHAK 2025v5 (Statistikaamet), shipped in resources/ehak with its attribution. */
export const RESOURCES_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../resources');
export const ELVL_TENANT = '0000';

export interface EhakUnit {
  code: string;
  name: string;
  level: 'county' | 'municipality' | 'settlement';
  kind: string;
  parent: string | null;
}

let cached: EhakUnit[] | undefined;
export function readEhak(): EhakUnit[] {
  if (!cached) {
    const doc = JSON.parse(readFileSync(path.join(RESOURCES_DIR, 'ehak/ehak-2025v5.json'), 'utf8')) as {
      units: EhakUnit[];
    };
    cached = doc.units;
  }
  return cached;
}

/**
 * Loads EHAK into `place` and the tenants (78 municipalities + ELVL). Idempotent: names and
 * parents are brought up to date, nothing is deleted (old codes may still be referenced).
 */
export async function loadPlaces(ownerUrl: string): Promise<{ places: number; tenants: number }> {
  const units = readEhak();
  const municipalityOf = new Map<string, string | null>();
  for (const u of units) {
    if (u.level === 'municipality') municipalityOf.set(u.code, u.code);
  }
  for (const u of units) {
    if (u.level === 'settlement') municipalityOf.set(u.code, u.parent);
  }
  // Parents first, so the foreign key holds row by row.
  const order = { county: 0, municipality: 1, settlement: 2 } as const;
  const sorted = [...units].sort((a, b) => order[a.level] - order[b.level]);
  const client = new pg.Client({ connectionString: ownerUrl });
  await client.connect();
  try {
    await client.query('BEGIN');
    await client.query(
      `INSERT INTO place (code, name, level, kind, parent_code, municipality_code)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[])
       ON CONFLICT (code) DO UPDATE SET name = EXCLUDED.name, level = EXCLUDED.level, kind = EXCLUDED.kind,
         parent_code = EXCLUDED.parent_code, municipality_code = EXCLUDED.municipality_code`,
      [
        sorted.map((u) => u.code),
        sorted.map((u) => u.name),
        sorted.map((u) => u.level),
        sorted.map((u) => u.kind),
        sorted.map((u) => u.parent),
        sorted.map((u) => municipalityOf.get(u.code) ?? null),
      ],
    );
    const municipalities = units.filter((u) => u.level === 'municipality');
    await client.query(
      `INSERT INTO tenant (code, kind, name)
       SELECT code, 'municipality', name FROM unnest($1::text[], $2::text[]) AS t(code, name)
       UNION ALL SELECT $3, 'association', 'Eesti Linnade ja Valdade Liit (ELVL)'
       ON CONFLICT (code) DO UPDATE SET name = EXCLUDED.name`,
      [municipalities.map((u) => u.code), municipalities.map((u) => u.name), ELVL_TENANT],
    );
    await client.query('COMMIT');
    return { places: units.length, tenants: municipalities.length + 1 };
  } catch (err) {
    await client.query('ROLLBACK');
    throw err;
  } finally {
    await client.end();
  }
}
