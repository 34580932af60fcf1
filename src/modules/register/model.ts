import { ageOn } from '../../platform/identity/personalIdCode';

/**
 * The register's view of a person and their residences, as every `PopulationRegister`
 * implementation returns it, and the pure rules that turn it into eligibility.
 */
export interface Residence {
  /** EHAK code of the municipality (VallaKood). */
  municipalityCode: string;
  /** EHAK code of the settlement unit (KylaKood; a district in Tallinn), null if the register has none. */
  settlementCode: string | null;
  /** Full address text (Tekst). */
  address: string;
  /** ADS address id (AdsAdrID). */
  adsAdrId: number | null;
  /** YYYY-MM-DD (Alates). */
  validFrom: string;
  /** YYYY-MM-DD, inclusive, or null while current (Kuni). */
  validUntil: string | null;
  /** The register's status of the record (Staatus), as given. */
  status: string | null;
}

export interface RegisterPerson {
  idCode: string;
  givenName: string | null;
  familyName: string | null;
  birthDate: string;
  residences: Residence[];
}

export type LookupResult = { found: true; person: RegisterPerson } | { found: false };

export type EligibilityReason =
  'not-resident' | 'wrong-settlement' | 'under-age' | 'over-age' | 'not-on-list' | 'excluded';

export type EligibilityAnswer =
  | {
      eligible: true;
      municipalityCode: string;
      /** Settlement unit of residence on the date that counts; null for people eligible through the include list only. */
      settlementCode: string | null;
      basis: 'residence' | 'include-list';
      mode: 'live' | 'frozen';
    }
  | { eligible: false; reason: EligibilityReason; mode: 'live' | 'frozen' };

/**
 * The residence valid on `date` (YYYY-MM-DD): valid_from ≤ date ≤ valid_until (inclusive, open
 * when null). Where two records touch or overlap on that day (registers differ on whether `Kuni`
 * is the last day or the move day), the one that started later wins.
 */
export function residenceOn(residences: readonly Residence[], date: string): Residence | undefined {
  let best: Residence | undefined;
  for (const r of residences) {
    if (r.validFrom > date) continue;
    if (r.validUntil !== null && r.validUntil < date) continue;
    if (!best || r.validFrom > best.validFrom) best = r;
  }
  return best;
}

/** The current residence on `today`. */
export const currentResidence = (residences: readonly Residence[], today: string) => residenceOn(residences, today);

/** The platform's age rule (see `ageOn`): whole years; born 29 February → a year older on 1 March in common years. */
export function ageReason(
  birthDate: string,
  referenceDate: string,
  minAge: number | null,
  maxAge: number | null,
): 'under-age' | 'over-age' | undefined {
  const age = ageOn(birthDate, referenceDate);
  if (minAge !== null && age < minAge) return 'under-age';
  if (maxAge !== null && age > maxAge) return 'over-age';
  return undefined;
}

/** Today's date in Estonia (YYYY-MM-DD) for a moment in time. */
export function tallinnDate(at: Date): string {
  // en-CA formats as YYYY-MM-DD.
  return new Intl.DateTimeFormat('en-CA', {
    timeZone: 'Europe/Tallinn',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(at);
}

export const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** A real calendar date in YYYY-MM-DD form. */
export function isIsoDate(s: string): boolean {
  if (!ISO_DATE.test(s)) return false;
  const [y, m, d] = s.split('-').map(Number) as [number, number, number];
  if (m < 1 || m > 12 || d < 1) return false;
  return d <= new Date(Date.UTC(y, m, 0)).getUTCDate() && y >= 1800 && y <= 2199;
}
