import { sql } from 'kysely';
import type { DatasetProvider } from '../../../platform/openData';

/**
 * The municipality's inventory of information systems (what RIHA would show): name, short name,
 * owner, purpose, main data objects, classes of personal data held, security standard and level,
 * statuses, vendor. Contacts are left out (they name people). Reads this module's own table.
 */
export const infoSystemsProvider: DatasetProvider = {
  key: 'opendata.information-systems',
  title: { et: 'Infosüsteemide loetelu', en: 'Inventory of information systems' },
  anonymisation: {
    rule: {
      et: 'Kontaktisikuid ei avaldata; kirjeldatakse süsteeme, mitte inimesi.',
      en: 'Contact persons are not published; the data describes systems, not people.',
    },
  },
  async collect(trx, code) {
    const rows = (
      await sql<{
        name: string;
        short_name: string;
        owner_code: string;
        owner_name: string;
        purpose: string;
        data_objects: string[];
        personal_data: string[];
        security_standard: string | null;
        security_level: string | null;
        last_audit_date: string | null;
        system_status: string;
        x_road_status: string;
        vendor: string | null;
        riha_registered: boolean;
      }>`
        SELECT name, short_name, owner_code, owner_name, purpose, data_objects, personal_data, security_standard, security_level, last_audit_date::text, system_status, x_road_status, vendor, riha_registered
        FROM opendata_info_system WHERE municipality_code = ${code} ORDER BY short_name`.execute(trx)
    ).rows;
    if (rows.length === 0) return [];
    return [
      {
        key: 'inventory',
        title: { et: 'Infosüsteemide loetelu', en: 'Inventory of information systems' },
        description: {
          et: 'Omavalitsuse infosüsteemid RIHA kirjelduse väljadega: omanik, eesmärk, põhiandmed, isikuandmete liigid, turvastandard ja -tase, olekud, arendaja ning kas süsteem on RIHAs registreeritud.',
          en: "The municipality's information systems with the fields of a RIHA record: owner, purpose, main data, classes of personal data, security standard and level, statuses, vendor, and whether the system is registered in RIHA.",
        },
        keywords: {
          et: ['infosüsteemid', 'RIHA', 'andmehaldus'],
          en: ['information systems', 'RIHA', 'data governance'],
        },
        themes: ['GOVE', 'TECH'],
        frequency: 'IRREG',
        tables: [
          {
            name: 'information-systems',
            title: { et: 'Infosüsteemid', en: 'Information systems' },
            columns: [
              { name: 'short_name', title: { et: 'Lühinimi', en: 'Short name' }, type: 'string' },
              { name: 'name', title: { et: 'Nimi', en: 'Name' }, type: 'string', kind: 'text' },
              { name: 'owner_code', title: { et: 'Omaniku registrikood', en: 'Owner registry code' }, type: 'string' },
              { name: 'owner_name', title: { et: 'Omanik', en: 'Owner' }, type: 'string', kind: 'text' },
              { name: 'purpose', title: { et: 'Eesmärk', en: 'Purpose' }, type: 'string', kind: 'text' },
              {
                name: 'data_objects',
                title: { et: 'Põhiandmed', en: 'Main data objects' },
                type: 'string',
                kind: 'text',
              },
              {
                name: 'personal_data',
                title: { et: 'Isikuandmete liigid', en: 'Classes of personal data' },
                type: 'string',
              },
              { name: 'security_standard', title: { et: 'Turvastandard', en: 'Security standard' }, type: 'string' },
              { name: 'security_level', title: { et: 'Turbetase', en: 'Security level' }, type: 'string' },
              { name: 'last_audit_date', title: { et: 'Viimane audit', en: 'Last audit' }, type: 'date' },
              { name: 'system_status', title: { et: 'Olek', en: 'Status' }, type: 'string' },
              { name: 'x_road_status', title: { et: 'X-tee', en: 'X-Road' }, type: 'string' },
              { name: 'vendor', title: { et: 'Arendaja', en: 'Vendor' }, type: 'string', kind: 'text' },
              {
                name: 'riha_registered',
                title: { et: 'RIHAs registreeritud', en: 'Registered in RIHA' },
                type: 'boolean',
              },
            ],
            rows: rows.map((r) => ({
              ...r,
              data_objects: r.data_objects.join('; '),
              personal_data: r.personal_data.join(';'),
            })),
          },
        ],
      },
    ];
  },
};
