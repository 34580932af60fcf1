import type { CsvInfo } from './csv';
import type { DatasetTable, DistributionTable } from './store';
import type { Selectable } from 'kysely';
import { FREQUENCIES, THEMES, licence } from './vocab';
import type { FieldError } from '../../platform/http/problems';

/**
 * A published version of a dataset exactly as it was published: metadata, distributions (with
 * file ids, sizes and checksums) and who published it. Stored in opendata_dataset_version and
 * copied to opendata_published; every export (CKAN, DCAT-AP, datapackage.json, pages) reads it.
 */
export interface SnapshotDistribution {
  id: string;
  title: { et: string; en: string };
  kind: 'file' | 'url';
  fileId: string | null;
  filename: string | null;
  url: string | null;
  format: string;
  mediaType: string;
  byteSize: number | null;
  sha256: string | null;
  csv: CsvInfo | null;
}

export interface DatasetSnapshot {
  id: string;
  name: string;
  municipalityCode: string;
  organization: { name: string; title: string };
  version: number;
  origin: 'manual' | 'auto';
  providerKey: string | null;
  title: { et: string; en: string };
  description: { et: string; en: string };
  keywords: { et: string[]; en: string[] };
  themes: string[];
  spatial: { code: string; name: string }[];
  temporal: { start: string | null; end: string | null } | null;
  frequency: string;
  licenseId: string;
  accessRights: string;
  contact: { name: string | null; email: string } | null;
  qualityNote: string | null;
  anonymisation: { et: string; en: string } | null;
  infoSystem: { id: string; name: string; shortName: string } | null;
  /** When the first version was published. */
  issued: string;
  /** When this version was published. */
  modified: string;
  changeNote: string | null;
  distributions: SnapshotDistribution[];
}

export type DatasetRecord = Selectable<DatasetTable>;
export type DistributionRecord = Selectable<DistributionTable>;

/** A field error with a stable code, so the web app can explain it in the official's language. */
export type CodedFieldError = FieldError & { code: string };

/**
 * What must be filled in before a dataset can be sent for review or published. Each problem
 * names the field and says what to do in plain words.
 */
export function missingMetadata(
  d: DatasetRecord,
  distributions: DistributionRecord[],
  fallbackContactEmail: string | null,
): CodedFieldError[] {
  const errors: CodedFieldError[] = [];
  const need = (ok: boolean, pointer: string, code: string, detail: string) => {
    if (!ok) errors.push({ pointer, code, detail });
  };
  need(
    d.title_et.trim().length >= 3,
    '/body/titleEt',
    'title-et-missing',
    'Write a title in Estonian (at least 3 characters).',
  );
  need(
    d.title_en.trim().length >= 3,
    '/body/titleEn',
    'title-en-missing',
    'Write a title in English (at least 3 characters).',
  );
  need(
    d.description_et.trim().length >= 20,
    '/body/descriptionEt',
    'description-et-missing',
    'Describe in Estonian what the data is, who collects it and how (at least 20 characters).',
  );
  need(
    d.description_en.trim().length >= 20,
    '/body/descriptionEn',
    'description-en-missing',
    'Describe in English what the data is, who collects it and how (at least 20 characters).',
  );
  need(
    d.themes.length > 0 && d.themes.every((t) => t in THEMES),
    '/body/themes',
    'themes-missing',
    'Choose at least one theme, so people can find the dataset by subject.',
  );
  need(Boolean(licence(d.license_id)), '/body/licenseId', 'unknown-licence', 'Choose a licence from the list.');
  need(d.frequency in FREQUENCIES, '/body/frequency', 'frequency-missing', 'Say how often the data is updated.');
  need(
    Boolean(d.contact_email || fallbackContactEmail),
    '/body/contactEmail',
    'contact-missing',
    'Give an e-mail address where people can ask about the data.',
  );
  need(
    distributions.length > 0,
    '/body/distributions',
    'distribution-missing',
    'Add at least one file or link with the data itself.',
  );
  return errors;
}
