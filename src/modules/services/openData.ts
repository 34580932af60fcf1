import {
  DEFAULT_MIN_GROUP_SIZE,
  mergeSmallGroups,
  type DatasetProvider,
  type OpenDataCell,
  type ProvidedDataset,
} from '../../platform/openData';
import { monthlySatisfaction, servicesInForce } from './store';

/**
 * The municipality's service catalogue and the satisfaction aggregates of its services (monthly,
 * from the roll-up `survey_monthly`). Reads through the services store; declared in the services
 * manifest.
 *
 * Anonymisation: the catalogue holds no personal data. Satisfaction is published per service and
 * month with all channels together; a service-month with fewer answers than the minimum is merged
 * with the other small ones of that month, or left out if even together they are too few.
 */
const MIN = DEFAULT_MIN_GROUP_SIZE;

export const servicesCatalogueProvider: DatasetProvider = {
  key: 'services.catalogue',
  title: { et: 'Teenuste kataloog ja rahulolu', en: 'Service catalogue and satisfaction' },
  anonymisation: {
    minGroupSize: MIN,
    rule: {
      et: 'Teenuste kataloogis isikuandmeid ei ole. Rahulolu teenuse ja kuu kaupa; väiksema kui lubatud vastuste arvuga teenused on liidetud.',
      en: 'The catalogue holds no personal data. Satisfaction by service and month; services with fewer answers than the minimum are merged.',
    },
  },
  async collect(trx, code): Promise<ProvidedDataset[]> {
    const services = await servicesInForce(trx, code);
    if (services.length === 0) return [];
    const monthly = await monthlySatisfaction(trx, code);
    const byMonth = new Map<string, Record<string, OpenDataCell>[]>();
    for (const r of monthly) {
      const list = byMonth.get(r.month) ?? [];
      list.push({
        month: r.month,
        service_identifier: r.identifier,
        service: r.name_et,
        answers: r.answers,
        score_sum: r.score_sum,
        top2: r.top2,
      });
      byMonth.set(r.month, list);
    }
    const satisfaction = [...byMonth.entries()].flatMap(([month, rows]) =>
      mergeSmallGroups(rows, 'answers', MIN, {
        month,
        service_identifier: 'other',
        service: `muud teenused (igaüks alla ${MIN} vastuse)`,
      }).map((r): Record<string, OpenDataCell> => ({
        month: r.month ?? null,
        service_identifier: r.service_identifier ?? null,
        service: r.service ?? null,
        answers: r.answers ?? null,
        mean_score: Math.round((Number(r.score_sum) / Number(r.answers)) * 100) / 100,
        top2_percent: Math.round((Number(r.top2) / Number(r.answers)) * 1000) / 10,
      })),
    );
    const last = services.reduce((m, s) => (s.updated_at > m ? s.updated_at : m), services[0]!.updated_at);
    return [
      {
        key: 'catalogue',
        title: { et: 'Teenuste kataloog ja rahulolu', en: 'Service catalogue and satisfaction' },
        description: {
          et: 'Omavalitsuse avalike teenuste loetelu (nimi, kirjeldus, valdkond, liik, tasu, kanalid) ja teenuste kasutajate rahulolu kuude kaupa (keskmine hinne 1–5 ja rahulolevate osakaal).',
          en: "The municipality's public services (name, description, field, type, fee, channels) and users' satisfaction by month (mean score 1–5 and share satisfied).",
        },
        keywords: { et: ['teenused', 'rahulolu'], en: ['services', 'satisfaction'] },
        themes: ['GOVE', 'SOCI'],
        temporal: { end: new Date(last).toISOString().slice(0, 10) },
        frequency: 'MONTHLY',
        tables: [
          {
            name: 'services',
            title: { et: 'Teenused', en: 'Services' },
            columns: [
              { name: 'identifier', title: { et: 'Tunnus', en: 'Identifier' }, type: 'string' },
              { name: 'name_et', title: { et: 'Nimi', en: 'Name (Estonian)' }, type: 'string', kind: 'text' },
              {
                name: 'name_en',
                title: { et: 'Nimi inglise keeles', en: 'Name (English)' },
                type: 'string',
                kind: 'text',
              },
              {
                name: 'description_et',
                title: { et: 'Kirjeldus', en: 'Description (Estonian)' },
                type: 'string',
                kind: 'text',
              },
              { name: 'field', title: { et: 'Valdkond', en: 'Field' }, type: 'string' },
              { name: 'service_type', title: { et: 'Teenuse liik', en: 'Service type' }, type: 'string' },
              { name: 'fee_type', title: { et: 'Tasu', en: 'Fee' }, type: 'string' },
              { name: 'channels', title: { et: 'Kanalid', en: 'Channels' }, type: 'string' },
              { name: 'status', title: { et: 'Staatus', en: 'Status' }, type: 'string' },
            ],
            rows: services.map((s) => ({
              identifier: s.identifier,
              name_et: s.data.name?.et ?? s.name_et,
              name_en: s.data.name?.en ?? null,
              description_et: s.data.description?.et ?? null,
              field: s.field,
              service_type: s.data.serviceType ?? null,
              fee_type: s.data.feeType ?? null,
              channels: [...new Set((s.data.channels ?? []).map((c) => c.type))].join(';') || null,
              status: s.status,
            })),
          },
          {
            name: 'satisfaction',
            title: { et: 'Rahulolu kuude kaupa', en: 'Satisfaction by month' },
            columns: [
              { name: 'month', title: { et: 'Kuu', en: 'Month' }, type: 'date' },
              { name: 'service_identifier', title: { et: 'Teenuse tunnus', en: 'Service identifier' }, type: 'string' },
              { name: 'service', title: { et: 'Teenus', en: 'Service' }, type: 'string', kind: 'text' },
              { name: 'answers', title: { et: 'Vastuseid', en: 'Answers' }, type: 'integer', kind: 'groupSize' },
              {
                name: 'mean_score',
                title: { et: 'Keskmine hinne (1–5)', en: 'Mean score (1–5)' },
                type: 'number',
                kind: 'measure',
              },
              {
                name: 'top2_percent',
                title: { et: 'Rahulolevad (4–5), %', en: 'Satisfied (4–5), %' },
                type: 'number',
                kind: 'measure',
              },
            ],
            rows: satisfaction,
          },
        ],
      },
    ];
  },
};
