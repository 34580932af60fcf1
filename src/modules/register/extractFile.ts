import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { generatePopulation, type SyntheticPerson } from '../../platform/demo/population';
import type { RegisterPerson, Residence } from './model';

/**
 * The synthetic population in the register's shapes: as residence records (for extracts and the
 * demo data) and as register persons (for the simulator). Same seed, same people as the demo.
 */
export function residencesOf(p: SyntheticPerson): Residence[] {
  const rs: Residence[] = (p.previous ?? []).map((r) => ({
    municipalityCode: r.municipalityCode,
    settlementCode: r.settlementCode,
    address: r.address,
    adsAdrId: adsId(p.idCode, r.since),
    validFrom: r.since,
    validUntil: r.until,
    status: 'E',
  }));
  rs.push({
    municipalityCode: p.residence.municipalityCode,
    settlementCode: p.residence.settlementCode,
    address: p.residence.address,
    adsAdrId: adsId(p.idCode, p.residence.since),
    validFrom: p.residence.since,
    validUntil: null,
    status: 'K',
  });
  return rs;
}

/** A stable made-up ADS address id. */
function adsId(idCode: string, since: string): number {
  let h = 2166136261;
  for (const c of idCode + since) h = Math.imul(h ^ c.charCodeAt(0), 16777619) >>> 0;
  return 1_000_000 + (h % 8_000_000);
}

export function registerPersonOf(p: SyntheticPerson): RegisterPerson {
  return {
    idCode: p.idCode,
    givenName: p.givenName,
    familyName: p.familyName,
    birthDate: p.birthDate,
    residences: residencesOf(p),
  };
}

export const EXTRACT_COLUMNS = [
  'id_code',
  'given_name',
  'family_name',
  'municipality_code',
  'settlement_code',
  'address',
  'ads_adr_id',
  'valid_from',
  'valid_until',
  'status',
] as const;

function csvField(v: string | number | null): string {
  if (v === null) return '';
  const s = String(v);
  return /[",;\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** Extract rows (one per residence record) of people. */
export function* extractRows(people: Iterable<SyntheticPerson>): Generator<(string | number | null)[]> {
  for (const p of people) {
    for (const r of residencesOf(p))
      yield [
        p.idCode,
        p.givenName,
        p.familyName,
        r.municipalityCode,
        r.settlementCode,
        r.address,
        r.adsAdrId,
        r.validFrom,
        r.validUntil,
        r.status,
      ];
  }
}

/** Writes a generated extract (CSV or JSON) of `residents` people of one municipality; returns the row count. */
export async function writeExtract(
  file: string,
  opts: { municipalityCode: string; residents: number; seed: number; format: 'csv' | 'json' },
): Promise<number> {
  const out = createWriteStream(file);
  let rows = 0;
  let buf = '';
  const write = async (s: string) => {
    buf += s;
    if (buf.length > 1 << 20) {
      if (!out.write(buf)) await once(out, 'drain');
      buf = '';
    }
  };
  if (opts.format === 'csv') await write(EXTRACT_COLUMNS.join(',') + '\n');
  else await write('[\n');
  for (const row of extractRows(
    generatePopulation({ seed: opts.seed, residents: { [opts.municipalityCode]: opts.residents } }),
  )) {
    if (opts.format === 'csv') await write(row.map(csvField).join(',') + '\n');
    else
      await write((rows ? ',\n' : '') + JSON.stringify(Object.fromEntries(EXTRACT_COLUMNS.map((c, i) => [c, row[i]]))));
    rows++;
  }
  if (opts.format === 'json') await write('\n]\n');
  out.end(buf);
  await once(out, 'finish');
  return rows;
}
