import { SolrSyntaxError } from './solrQuery';

/**
 * Solr's date values and date math (as in its DateMathParser, time zone UTC): an instant
 * `2024-05-01T09:12:33Z` (fractions of a second allowed: ckanext-harvest sends microseconds) or
 * `NOW`, followed by any number of `+n UNIT`, `-n UNIT` and `/UNIT` (round down), with UNIT one of
 * YEAR(S) MONTH(S) DAY(S) DATE HOUR(S) MINUTE(S) SECOND(S) MILLI(S) MILLISECOND(S).
 * `NOW-1DAY`, `NOW/DAY`, `NOW-1DAY/DAY`, `2020-01-01T00:00:00Z+1MONTH`. Anything else is an
 * "Invalid Date String" / "Invalid Date Math String", as Solr answers.
 */
const UNITS: Record<string, 'year' | 'month' | 'day' | 'hour' | 'minute' | 'second' | 'milli'> = {
  YEAR: 'year',
  YEARS: 'year',
  MONTH: 'month',
  MONTHS: 'month',
  DAY: 'day',
  DAYS: 'day',
  DATE: 'day',
  HOUR: 'hour',
  HOURS: 'hour',
  MINUTE: 'minute',
  MINUTES: 'minute',
  SECOND: 'second',
  SECONDS: 'second',
  MILLI: 'milli',
  MILLIS: 'milli',
  MILLISECOND: 'milli',
  MILLISECONDS: 'milli',
};

const INSTANT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?Z/;

function add(d: Date, unit: string, n: number) {
  switch (unit) {
    case 'year':
    case 'month': {
      // As java.time does: the day is kept, or clamped to the end of a shorter month (Jan 31 + 1 month = Feb 29).
      const months = d.getUTCFullYear() * 12 + d.getUTCMonth() + (unit === 'year' ? 12 * n : n);
      const year = Math.floor(months / 12);
      const month = months - year * 12;
      const last = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
      d.setUTCFullYear(year, month, Math.min(d.getUTCDate(), last));
      break;
    }
    case 'day':
      d.setUTCDate(d.getUTCDate() + n);
      break;
    case 'hour':
      d.setUTCHours(d.getUTCHours() + n);
      break;
    case 'minute':
      d.setUTCMinutes(d.getUTCMinutes() + n);
      break;
    case 'second':
      d.setUTCSeconds(d.getUTCSeconds() + n);
      break;
    default:
      d.setUTCMilliseconds(d.getUTCMilliseconds() + n);
  }
}

function round(d: Date, unit: string) {
  const order = ['year', 'month', 'day', 'hour', 'minute', 'second', 'milli'];
  const k = order.indexOf(unit);
  if (k < 1) d.setUTCMonth(0);
  if (k < 2) d.setUTCDate(1);
  if (k < 3) d.setUTCHours(0);
  if (k < 4) d.setUTCMinutes(0);
  if (k < 5) d.setUTCSeconds(0);
  if (k < 6) d.setUTCMilliseconds(0);
}

/** The instant a Solr date expression names, relative to `now`. */
export function solrDate(value: string, now: Date): Date {
  let rest: string;
  let d: Date;
  if (value.startsWith('NOW')) {
    d = new Date(now.getTime());
    rest = value.slice(3);
  } else {
    const m = INSTANT.exec(value);
    if (!m) throw new SolrSyntaxError(`Invalid Date String:'${value}'`);
    const [, y, mo, da, h, mi, s, frac] = m;
    const ms = Date.UTC(Number(y), Number(mo) - 1, Number(da), Number(h), Number(mi), Number(s));
    d = new Date(ms + Math.floor(Number(`0.${frac ?? '0'}`) * 1000));
    // Reject dates the calendar does not have (2024-02-30) rather than rolling them over.
    if (
      d.getUTCFullYear() !== Number(y) ||
      d.getUTCMonth() !== Number(mo) - 1 ||
      d.getUTCDate() !== Number(da) ||
      Number(h) > 23 ||
      Number(mi) > 59 ||
      Number(s) > 59
    )
      throw new SolrSyntaxError(`Invalid Date String:'${value}'`);
    rest = value.slice(m[0].length);
  }
  const op = /^([+-])(\d+)([A-Z]+)|^\/([A-Z]+)/;
  while (rest.length) {
    const m = op.exec(rest);
    const unit = m ? UNITS[m[3] ?? m[4]!] : undefined;
    if (!m || !unit) throw new SolrSyntaxError(`Invalid Date Math String:'${value}'`);
    if (m[4]) round(d, unit);
    else add(d, unit, (m[1] === '-' ? -1 : 1) * Number(m[2]));
    rest = rest.slice(m[0].length);
  }
  if (Number.isNaN(d.getTime())) throw new SolrSyntaxError(`Invalid Date String:'${value}'`);
  return d;
}
