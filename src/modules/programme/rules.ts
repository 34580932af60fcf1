/**
 * The money rules of the action plan, as pure functions: VAT by account and year, totals by any
 * cut, and the consistency check of the figures the plan document states against the sum of its
 * cost lines. Amounts are integer cents without VAT.
 */

/** SF 2021–2027 measure activities ("meetme tegevus"). */
export const MEASURE_ACTIVITIES: Record<number, string> = {
  1: 'Infotehnoloogiliste lahenduste väljatöötamine ja arendamine (development of IT solutions)',
  2: 'Küberruumi hoidmine, arendamine ja juurutamine usaldusväärse ja turvalisena (cyberspace security)',
  3: 'Teadlikkuse tõstmine (awareness raising)',
  4: 'Muu digipöördega seotud otsene kulu (other direct costs)',
};

/** Accounts of the public-sector chart of accounts used by the plan ("EA konto"). */
export const ACCOUNTS: Record<number, string> = {
  15: 'põhivara investeering (fixed-asset investment)',
  50: 'tööjõukulud (personnel costs)',
  55: 'majandamiskulud (goods and services)',
};

export interface VatRule {
  /** Accounts whose lines carry VAT (the plan: 15 and 55; personnel costs carry none). */
  accounts: number[];
  /** Rate by year: the entry with the greatest fromYear ≤ the year applies. Basis points (2400 = 24 %). */
  rates: { fromYear: number; rateBp: number }[];
  /** VAT of each line rounded to whole euros (as the plan's figures are) or to cents. */
  rounding: 'euro' | 'cent';
}

export interface CostLine {
  initiative: string;
  measureActivity: number;
  account: number;
  year: number;
  amountCents: number;
}

export function vatRateBp(rule: VatRule, year: number): number | undefined {
  let best: { fromYear: number; rateBp: number } | undefined;
  for (const r of rule.rates) if (r.fromYear <= year && (!best || r.fromYear > best.fromYear)) best = r;
  return best?.rateBp;
}

/** VAT of one line in cents, rounded half up (to the euro or the cent, by the rule). */
export function lineVatCents(rule: VatRule, line: Pick<CostLine, 'account' | 'year' | 'amountCents'>): number {
  if (!rule.accounts.includes(line.account)) return 0;
  const rate = vatRateBp(rule, line.year);
  if (rate === undefined) throw new Error(`no VAT rate for ${line.year}`);
  const scaled = line.amountCents * rate; // cents × basis points: exact in a double for any plan
  if (rule.rounding === 'cent') return Math.floor((scaled + 5_000) / 10_000);
  return Math.floor((scaled + 500_000) / 1_000_000) * 100;
}

export interface Money {
  net: number;
  vat: number;
  gross: number;
}
const zero = (): Money => ({ net: 0, vat: 0, gross: 0 });
function add(m: Money, net: number, vat: number) {
  m.net += net;
  m.vat += vat;
  m.gross += net + vat;
}

export interface Filter {
  initiative?: string | null;
  measureActivity?: number | null;
  account?: number | null;
  year?: number | null;
}

const matches = (l: CostLine, f: Filter) =>
  (f.initiative == null || l.initiative === f.initiative) &&
  (f.measureActivity == null || l.measureActivity === f.measureActivity) &&
  (f.account == null || l.account === f.account) &&
  (f.year == null || l.year === f.year);

export function sumWhere(rule: VatRule, lines: CostLine[], f: Filter): Money {
  const m = zero();
  for (const l of lines) if (matches(l, f)) add(m, l.amountCents, lineVatCents(rule, l));
  return m;
}

export interface Breakdown {
  total: Money;
  byYear: Record<string, Money>;
}

export interface Totals {
  years: number[];
  total: Money;
  byYear: Record<string, Money>;
  byMeasureActivity: Record<string, Breakdown>;
  byAccount: Record<string, Breakdown>;
  byInitiative: Record<string, Breakdown & { byAccount: Record<string, Breakdown> }>;
}

/** Totals of the plan by year, measure activity, account and initiative, with and without VAT. */
export function computeTotals(rule: VatRule, lines: CostLine[], years: number[]): Totals {
  const breakdown = (): Breakdown => ({
    total: zero(),
    byYear: Object.fromEntries(years.map((y) => [String(y), zero()])),
  });
  const t: Totals = {
    years,
    total: zero(),
    byYear: Object.fromEntries(years.map((y) => [String(y), zero()])),
    byMeasureActivity: {},
    byAccount: {},
    byInitiative: {},
  };
  for (const key of Object.keys(MEASURE_ACTIVITIES)) t.byMeasureActivity[key] = breakdown();
  for (const key of Object.keys(ACCOUNTS)) t.byAccount[key] = breakdown();
  const put = (b: Breakdown, year: string, net: number, vat: number) => {
    add(b.total, net, vat);
    add((b.byYear[year] ??= zero()), net, vat);
  };
  for (const l of lines) {
    const vat = lineVatCents(rule, l);
    const y = String(l.year);
    add(t.total, l.amountCents, vat);
    add((t.byYear[y] ??= zero()), l.amountCents, vat);
    put((t.byMeasureActivity[String(l.measureActivity)] ??= breakdown()), y, l.amountCents, vat);
    put((t.byAccount[String(l.account)] ??= breakdown()), y, l.amountCents, vat);
    const ini = (t.byInitiative[l.initiative] ??= { ...breakdown(), byAccount: {} });
    put(ini, y, l.amountCents, vat);
    put((ini.byAccount[String(l.account)] ??= breakdown()), y, l.amountCents, vat);
  }
  return t;
}

export interface StatedTotal extends Filter {
  id: string;
  label: string;
  withVat: boolean;
  amountCents: number;
}

export interface ConsistencyCheck {
  id: string;
  label: string;
  scope: { initiative: string | null; measureActivity: number | null; account: number | null; year: number | null };
  withVat: boolean;
  statedCents: number;
  computedCents: number;
  /** computed − stated: negative when the lines add up to less than the document says. */
  differenceCents: number;
  ok: boolean;
}

/** Compares every stated figure with the sum of the lines it covers. */
export function checkConsistency(rule: VatRule, lines: CostLine[], stated: StatedTotal[]): ConsistencyCheck[] {
  return stated.map((s) => {
    const scope = {
      initiative: s.initiative ?? null,
      measureActivity: s.measureActivity ?? null,
      account: s.account ?? null,
      year: s.year ?? null,
    };
    const m = sumWhere(rule, lines, scope);
    const computedCents = s.withVat ? m.gross : m.net;
    return {
      id: s.id,
      label: s.label,
      scope,
      withVat: s.withVat,
      statedCents: s.amountCents,
      computedCents,
      differenceCents: computedCents - s.amountCents,
      ok: computedCents === s.amountCents,
    };
  });
}

/** "1 445 225 €" style, for messages. */
export function formatEuros(cents: number): string {
  const sign = cents < 0 ? '−' : '';
  const abs = Math.abs(cents);
  const euros = Math.floor(abs / 100)
    .toString()
    .replace(/\B(?=(\d{3})+(?!\d))/g, '\u00a0');
  const rest = abs % 100;
  return `${sign}${euros}${rest ? ',' + String(rest).padStart(2, '0') : ''}\u00a0€`;
}
