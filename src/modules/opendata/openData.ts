import type { DatasetProvider } from '../../platform/openData';
import { infoSystemsForPublication } from './store';

/**
 * The municipality's inventory of information systems (what RIHA would show): name, short name,
 * owner, purpose, main data objects, classes of personal data held, security standard and level,
 * statuses, vendor. Contacts are left out (they name people). Reads this module's own store.
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
    const rows = await infoSystemsForPublication(trx, code);
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
