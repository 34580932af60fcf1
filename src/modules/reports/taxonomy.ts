import { sql } from 'kysely';
import type { Trx } from '../../platform/db/database';
import type { CategoryAttribute } from './store';

/**
 * The national default taxonomy: the categories Anna Teada uses today, plus state roads routed
 * to the Transport Administration. Every municipality starts with these (materialised on first
 * use) and may rename, extend, deactivate, give a department, an SLA, extra questions (Open311
 * attributes), a route to another body and a delivery endpoint.
 */
export interface DefaultCategory {
  code: string;
  et: string;
  en: string;
  ru: string;
  domain: string;
  slaDays: number;
  bodyCode?: string;
  attributes?: CategoryAttribute[];
}

export const DEFAULT_CATEGORIES: DefaultCategory[] = [
  {
    code: 'roads',
    et: 'Teed ja tänavad',
    en: 'Roads and streets',
    ru: 'Дороги и улицы',
    domain: 'Taristu',
    slaDays: 14,
    attributes: [
      {
        code: 'surface',
        datatype: 'singlevaluelist',
        required: false,
        description: 'Mis on katki? / What is broken?',
        values: [
          { key: 'pothole', name: 'Auk teekattes' },
          { key: 'kerb', name: 'Äärekivi' },
          { key: 'sign', name: 'Liiklusmärk' },
          { key: 'other', name: 'Muu' },
        ],
      },
    ],
  },
  {
    code: 'cleanliness',
    et: 'Heakord',
    en: 'Cleanliness',
    ru: 'Благоустройство',
    domain: 'Heakord ja keskkond',
    slaDays: 10,
  },
  {
    code: 'hazard',
    et: 'Ohtlik objekt',
    en: 'Dangerous object',
    ru: 'Опасный объект',
    domain: 'Ohutus',
    slaDays: 3,
    attributes: [
      {
        code: 'urgent',
        datatype: 'singlevaluelist',
        required: true,
        description: 'Kas oht on vahetu? / Is the danger immediate?',
        values: [
          { key: 'yes', name: 'Jah' },
          { key: 'no', name: 'Ei' },
        ],
      },
    ],
  },
  { code: 'greenery', et: 'Haljastus', en: 'Greenery', ru: 'Озеленение', domain: 'Heakord ja keskkond', slaDays: 21 },
  {
    code: 'parking',
    et: 'Valesti parkimine',
    en: 'Illegal parking',
    ru: 'Неправильная парковка',
    domain: 'Ohutus',
    slaDays: 2,
    attributes: [
      { code: 'plate', datatype: 'string', required: false, description: 'Registreerimisnumber / Number plate' },
    ],
  },
  {
    code: 'lighting',
    et: 'Valgustus',
    en: 'Street lighting',
    ru: 'Уличное освещение',
    domain: 'Taristu',
    slaDays: 14,
    attributes: [{ code: 'pole', datatype: 'string', required: false, description: 'Posti number / Pole number' }],
  },
  {
    code: 'dead-animal',
    et: 'Surnud loom/lind',
    en: 'Dead animal or bird',
    ru: 'Мёртвое животное/птица',
    domain: 'Heakord ja keskkond',
    slaDays: 2,
  },
  {
    code: 'state-road',
    et: 'Riigitee (Transpordiamet)',
    en: 'State road (Transport Administration)',
    ru: 'Государственная дорога (Департамент транспорта)',
    domain: 'Taristu',
    slaDays: 14,
    bodyCode: 'transpordiamet',
  },
  { code: 'other', et: 'Muu', en: 'Other', ru: 'Другое', domain: 'Muu', slaDays: 30 },
];

/** Gives a municipality the default categories if it has none yet (idempotent, race-safe). */
export async function ensureCategories(trx: Trx, municipalityCode: string): Promise<void> {
  const d = DEFAULT_CATEGORIES;
  await sql`
    INSERT INTO report_category (municipality_code, code, name_et, name_en, name_ru, domain, body_code, sla_days, attributes, position)
    SELECT ${municipalityCode}, c.code, c.et, c.en, c.ru, c.domain, c.body, c.sla, c.attrs::jsonb, c.pos
      FROM unnest(${d.map((c) => c.code)}::text[], ${d.map((c) => c.et)}::text[], ${d.map((c) => c.en)}::text[], ${d.map((c) => c.ru)}::text[],
                  ${d.map((c) => c.domain)}::text[], ${d.map((c) => c.bodyCode ?? null)}::text[], ${d.map((c) => c.slaDays)}::int[],
                  ${d.map((c) => JSON.stringify(c.attributes ?? []))}::text[], ${d.map((_, i) => (i + 1) * 10)}::int[])
           AS c(code, et, en, ru, domain, body, sla, attrs, pos)
     WHERE NOT EXISTS (SELECT 1 FROM report_category WHERE municipality_code = ${municipalityCode})
    ON CONFLICT DO NOTHING`.execute(trx);
}
