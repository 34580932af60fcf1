import { roundCoordinate, type DatasetProvider, type ProvidedDataset } from '../../platform/openData';
import { publicReportFacts } from './store';

/**
 * Anna Teada (reports): monthly statistics by category, and the reports themselves anonymised.
 * Reads through the reports store (`publicReportFacts`); declared in the reports manifest.
 *
 * Anonymisation: no description, address, attributes, photos, reporter or assignee — only the
 * report number, day, category, status, settlement unit and the location rounded to 3 decimals
 * (about 100 m); hidden reports are left out. The statistics count reports, not people.
 */
export const reportsProvider: DatasetProvider = {
  key: 'reports.statistics',
  title: { et: 'Anna Teada teated ja statistika', en: 'Anna Teada reports and statistics' },
  anonymisation: {
    rule: {
      et: 'Teadetest avaldatakse ainult number, kuupäev, kategooria, olek, asustusüksus ja ~100 m täpsusega asukoht; kirjeldust, aadressi, fotosid ega teataja andmeid ei avaldata.',
      en: 'Of each report only its number, day, category, status, settlement unit and location to about 100 m are published; no description, address, photos or reporter data.',
    },
  },
  async collect(trx, code): Promise<ProvidedDataset[]> {
    const reports = await publicReportFacts(trx, code);
    if (reports.length === 0) return [];
    const monthly = new Map<
      string,
      { month: string; category_code: string; category: string | null; reports: number; closed: number; days: number[] }
    >();
    for (const r of reports) {
      const key = `${r.created.slice(0, 7)}|${r.category_code}`;
      const m = monthly.get(key) ?? {
        month: `${r.created.slice(0, 7)}-01`,
        category_code: r.category_code,
        category: r.category,
        reports: 0,
        closed: 0,
        days: [],
      };
      m.reports++;
      if (r.closed) m.closed++;
      if (r.days !== null) m.days.push(r.days);
      monthly.set(key, m);
    }
    const median = (xs: number[]) => {
      if (!xs.length) return null;
      const s = [...xs].sort((a, b) => a - b);
      return s.length % 2
        ? s[(s.length - 1) / 2]!
        : Math.round(((s[s.length / 2 - 1]! + s[s.length / 2]!) / 2) * 10) / 10;
    };
    const first = reports[0]!.created;
    const last = reports[reports.length - 1]!.created;
    return [
      {
        key: 'reports',
        title: { et: 'Anna Teada teated ja statistika', en: 'Anna Teada reports and statistics' },
        description: {
          et: 'Elanike teated (Anna Teada) kuude ja kategooriate kaupa: arv, suletud ja lahendamise mediaanaeg päevades; ning teated ise anonüümselt (number, kuupäev, kategooria, olek, asustusüksus, ~100 m täpsusega asukoht).',
          en: "Residents' reports (Anna Teada) by month and category: count, closed and median days to close; and the reports themselves, anonymised (number, day, category, status, settlement unit, location to about 100 m).",
        },
        keywords: { et: ['Anna Teada', 'teated', 'heakord'], en: ['reports', 'Open311', 'public space'] },
        themes: ['REGI', 'GOVE'],
        temporal: { start: first < last ? first : last, end: first < last ? last : first },
        frequency: 'DAILY',
        tables: [
          {
            name: 'monthly',
            title: { et: 'Teated kuude ja kategooriate kaupa', en: 'Reports by month and category' },
            columns: [
              { name: 'month', title: { et: 'Kuu', en: 'Month' }, type: 'date' },
              { name: 'category_code', title: { et: 'Kategooria kood', en: 'Category code' }, type: 'string' },
              { name: 'category', title: { et: 'Kategooria', en: 'Category' }, type: 'string' },
              { name: 'reports', title: { et: 'Teateid', en: 'Reports' }, type: 'integer', kind: 'measure' },
              { name: 'closed', title: { et: 'Suletud', en: 'Closed' }, type: 'integer', kind: 'measure' },
              {
                name: 'median_days_to_close',
                title: { et: 'Lahendamise mediaanaeg (päevi)', en: 'Median days to close' },
                type: 'number',
                kind: 'measure',
              },
            ],
            rows: [...monthly.values()]
              .sort((a, b) => a.month.localeCompare(b.month) || a.category_code.localeCompare(b.category_code))
              .map((m) => ({
                month: m.month,
                category_code: m.category_code,
                category: m.category,
                reports: m.reports,
                closed: m.closed,
                median_days_to_close: median(m.days),
              })),
          },
          {
            name: 'reports',
            title: { et: 'Teated (anonüümitud)', en: 'Reports (anonymised)' },
            columns: [
              { name: 'id', title: { et: 'Number', en: 'Number' }, type: 'integer' },
              { name: 'date', title: { et: 'Kuupäev', en: 'Date' }, type: 'date' },
              { name: 'category_code', title: { et: 'Kategooria', en: 'Category' }, type: 'string' },
              { name: 'status', title: { et: 'Olek', en: 'Status' }, type: 'string' },
              {
                name: 'settlement_code',
                title: { et: 'Asustusüksus (EHAK)', en: 'Settlement unit (EHAK)' },
                type: 'string',
              },
              {
                name: 'lat',
                title: { et: 'Laius (~100 m)', en: 'Latitude (~100 m)' },
                type: 'number',
                kind: 'latitude',
              },
              {
                name: 'lon',
                title: { et: 'Pikkus (~100 m)', en: 'Longitude (~100 m)' },
                type: 'number',
                kind: 'longitude',
              },
              { name: 'closed', title: { et: 'Suletud', en: 'Closed' }, type: 'date' },
            ],
            rows: reports.map((r) => ({
              id: r.id,
              date: r.created,
              category_code: r.category_code,
              status: r.status,
              settlement_code: r.settlement_code,
              lat: roundCoordinate(r.lat),
              lon: roundCoordinate(r.lon),
              closed: r.closed,
            })),
          },
        ],
      },
    ];
  },
};
