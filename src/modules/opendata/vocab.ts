import { createHash } from 'node:crypto';
import type { DataTheme, Frequency } from '../../platform/openData';

/**
 * Controlled vocabularies of the catalogue: EU data themes, frequencies, licences, access rights
 * and file types, each with its EU Publications Office authority URI (what DCAT-AP expects) and
 * the CKAN identifiers harvesters know.
 */
const EU = 'http://publications.europa.eu/resource/authority/';

export const THEMES: Record<DataTheme, { et: string; en: string }> = {
  AGRI: { et: 'Põllumajandus, kalandus, metsandus ja toit', en: 'Agriculture, fisheries, forestry and food' },
  ECON: { et: 'Majandus ja rahandus', en: 'Economy and finance' },
  EDUC: { et: 'Haridus, kultuur ja sport', en: 'Education, culture and sport' },
  ENER: { et: 'Energeetika', en: 'Energy' },
  ENVI: { et: 'Keskkond', en: 'Environment' },
  GOVE: { et: 'Valitsus ja avalik sektor', en: 'Government and public sector' },
  HEAL: { et: 'Tervis', en: 'Health' },
  INTR: { et: 'Rahvusvahelised küsimused', en: 'International issues' },
  JUST: { et: 'Õigus, õigussüsteem ja avalik turvalisus', en: 'Justice, legal system and public safety' },
  REGI: { et: 'Regioonid ja linnad', en: 'Regions and cities' },
  SOCI: { et: 'Elanikkond ja ühiskond', en: 'Population and society' },
  TECH: { et: 'Teadus ja tehnoloogia', en: 'Science and technology' },
  TRAN: { et: 'Transport', en: 'Transport' },
};
export const THEME_CODES = Object.keys(THEMES) as DataTheme[];
export const themeUri = (code: string) => `${EU}data-theme/${code}`;
export const THEME_SCHEME = `${EU}data-theme`;

export const FREQUENCIES: Record<Frequency, { et: string; en: string }> = {
  DAILY: { et: 'Iga päev', en: 'Daily' },
  WEEKLY: { et: 'Iga nädal', en: 'Weekly' },
  MONTHLY: { et: 'Iga kuu', en: 'Monthly' },
  QUARTERLY: { et: 'Kord kvartalis', en: 'Quarterly' },
  ANNUAL: { et: 'Kord aastas', en: 'Annual' },
  IRREG: { et: 'Ebaregulaarselt', en: 'Irregular' },
  CONT: { et: 'Pidevalt', en: 'Continuous' },
  NEVER: { et: 'Ei uuendata', en: 'Never' },
  UNKNOWN: { et: 'Teadmata', en: 'Unknown' },
};
export const FREQUENCY_CODES = Object.keys(FREQUENCIES) as Frequency[];
export const frequencyUri = (code: string) => `${EU}frequency/${code === 'CONT' ? 'CONT' : code}`;

export interface Licence {
  /** CKAN license_id (as in CKAN's default licence list). */
  id: string;
  title: string;
  url: string;
  /** EU licence authority code. */
  eu: string;
  open: boolean;
}
export const LICENCES: Licence[] = [
  {
    id: 'CC-BY-4.0',
    title: 'Creative Commons Attribution 4.0',
    url: 'https://creativecommons.org/licenses/by/4.0/',
    eu: 'CC_BY_4_0',
    open: true,
  },
  {
    id: 'CC-BY-SA-4.0',
    title: 'Creative Commons Attribution Share-Alike 4.0',
    url: 'https://creativecommons.org/licenses/by-sa/4.0/',
    eu: 'CC_BYSA_4_0',
    open: true,
  },
  {
    id: 'CC0-1.0',
    title: 'Creative Commons CCZero 1.0',
    url: 'https://creativecommons.org/publicdomain/zero/1.0/',
    eu: 'CC0',
    open: true,
  },
  {
    id: 'ODbL-1.0',
    title: 'Open Data Commons Open Database License 1.0',
    url: 'https://opendatacommons.org/licenses/odbl/1-0/',
    eu: 'ODC_BL',
    open: true,
  },
  {
    id: 'PDDL-1.0',
    title: 'Open Data Commons Public Domain Dedication and License 1.0',
    url: 'https://opendatacommons.org/licenses/pddl/1-0/',
    eu: 'ODC_PDDL',
    open: true,
  },
];
export const DEFAULT_LICENCE = 'CC-BY-4.0';
export const licence = (id: string) => LICENCES.find((l) => l.id === id);
export const licenceUri = (l: Licence) => `${EU}licence/${l.eu}`;

export const ACCESS_RIGHTS = ['PUBLIC', 'RESTRICTED', 'NON_PUBLIC'] as const;
export type AccessRights = (typeof ACCESS_RIGHTS)[number];
export const accessRightsUri = (code: string) => `${EU}access-right/${code}`;

/** File types the catalogue accepts: extension → EU file type and IANA media type. */
export const FORMATS: { format: string; ext: string[]; mediaType: string; eu: string }[] = [
  { format: 'CSV', ext: ['csv'], mediaType: 'text/csv', eu: 'CSV' },
  { format: 'JSON', ext: ['json'], mediaType: 'application/json', eu: 'JSON' },
  { format: 'GeoJSON', ext: ['geojson'], mediaType: 'application/geo+json', eu: 'GEOJSON' },
  { format: 'XML', ext: ['xml'], mediaType: 'application/xml', eu: 'XML' },
  {
    format: 'XLSX',
    ext: ['xlsx'],
    mediaType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    eu: 'XLSX',
  },
  { format: 'ODS', ext: ['ods'], mediaType: 'application/vnd.oasis.opendocument.spreadsheet', eu: 'ODS' },
  { format: 'PDF', ext: ['pdf'], mediaType: 'application/pdf', eu: 'PDF' },
  { format: 'ZIP', ext: ['zip'], mediaType: 'application/zip', eu: 'ZIP' },
  { format: 'TXT', ext: ['txt'], mediaType: 'text/plain', eu: 'TXT' },
  { format: 'HTML', ext: ['html', 'htm'], mediaType: 'text/html', eu: 'HTML' },
  { format: 'API', ext: [], mediaType: 'application/json', eu: 'JSON' },
];
export const formatInfo = (format: string) => FORMATS.find((f) => f.format.toLowerCase() === format.toLowerCase());
export const formatByExtension = (filename: string) => {
  const ext = filename.toLowerCase().split('.').pop() ?? '';
  return FORMATS.find((f) => f.ext.includes(ext));
};
export const fileTypeUri = (eu: string) => `${EU}file-type/${eu}`;
export const mediaTypeUri = (mediaType: string) => `https://www.iana.org/assignments/media-types/${mediaType}`;

/** The CKAN organisation name of a municipality: its name in lowercase ASCII (`tartu-linn`); ELVL is `elvl`. */
export function organizationName(code: string, tenantName: string): string {
  if (code === '0000') return 'elvl';
  return slugify(tenantName);
}

export function slugify(s: string): string {
  return s
    .toLowerCase()
    .replace(/[õöô]/g, 'o')
    .replace(/[äà]/g, 'a')
    .replace(/ü/g, 'u')
    .replace(/š/g, 's')
    .replace(/ž/g, 'z')
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

/** A stable UUID for things that have none of their own (organisations, groups, tags): UUID v5-style over SHA-1. */
export function stableUuid(name: string): string {
  const h = createHash('sha1').update(`kov-platform:${name}`).digest();
  h[6] = (h[6]! & 0x0f) | 0x50;
  h[8] = (h[8]! & 0x3f) | 0x80;
  const x = h.subarray(0, 16).toString('hex');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20, 32)}`;
}
