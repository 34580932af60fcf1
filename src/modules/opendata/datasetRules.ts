import type { Trx } from '../../platform/db/database';
import { ELVL_TENANT } from '../../platform/places/ehak';
import { invalid } from '../../platform/http/problems';

import { FREQUENCIES, LICENCES, THEMES, licence } from './vocab';
import type { DatasetUpdate } from './schemas';
import type { CodedFieldError, DatasetRecord, DistributionRecord } from './snapshot';
import { missingMetadata } from './snapshot';
import { EMAIL } from './catalogue';

/**
 * Checks on what an official typed that a schema cannot express, each with a stable code and a
 * sentence for people who are not data specialists.
 */
export async function checkDatasetInput(trx: Trx, code: string, input: DatasetUpdate): Promise<void> {
  const errors: CodedFieldError[] = [];
  if (input.licenseId !== undefined && !licence(input.licenseId)) {
    errors.push({
      pointer: '/body/licenseId',
      code: 'unknown-licence',
      detail: `The licence "${input.licenseId}" is not one the catalogue knows. Choose one of: ${LICENCES.map((l) => `${l.id} (${l.title})`).join(', ')}.`,
    });
  }
  if (input.themes) {
    const unknown = input.themes.filter((t) => !(t in THEMES));
    if (unknown.length)
      errors.push({
        pointer: '/body/themes',
        code: 'unknown-theme',
        detail: `Unknown theme ${unknown.join(', ')}; use the EU data themes (${Object.keys(THEMES).join(', ')}).`,
      });
  }
  if (input.frequency !== undefined && !(input.frequency in FREQUENCIES)) {
    errors.push({
      pointer: '/body/frequency',
      code: 'unknown-frequency',
      detail: `Unknown update frequency "${input.frequency}"; use one of ${Object.keys(FREQUENCIES).join(', ')}.`,
    });
  }
  if (input.contactEmail && !EMAIL.test(input.contactEmail.trim()))
    errors.push({
      pointer: '/body/contactEmail',
      code: 'bad-email',
      detail: 'This is not an e-mail address (it should look like name@example.ee).',
    });
  if (input.temporalStart && input.temporalEnd && input.temporalStart > input.temporalEnd) {
    errors.push({ pointer: '/body/temporalEnd', code: 'period-order', detail: 'The period ends before it starts.' });
  }
  if (input.spatial && input.spatial.length) {
    const rows = await trx
      .selectFrom('place')
      .select(['code', 'municipality_code'])
      .where('code', 'in', input.spatial)
      .execute();
    const found = new Map(rows.map((r) => [r.code, r.municipality_code]));
    for (const c of input.spatial) {
      if (!found.has(c))
        errors.push({
          pointer: '/body/spatial',
          code: 'unknown-place',
          detail: `There is no EHAK unit with the code ${c}.`,
        });
      else if (code !== ELVL_TENANT && found.get(c) !== code)
        errors.push({ pointer: '/body/spatial', code: 'foreign-place', detail: `${c} is not in this municipality.` });
    }
  }
  if (input.infoSystemId) {
    const s = await trx
      .selectFrom('opendata_info_system')
      .select('id')
      .where('municipality_code', '=', code)
      .where('id', '=', input.infoSystemId)
      .executeTakeFirst();
    if (!s)
      errors.push({
        pointer: '/body/infoSystemId',
        code: 'unknown-system',
        detail: 'No such information system in this municipality’s inventory.',
      });
  }
  if (errors.length) throw invalid(errors, errors.map((e) => e.detail).join(' '));
}

/** Column values of an update (only the fields that were sent). */
export function datasetValues(input: DatasetUpdate) {
  const v: Record<string, unknown> = {};
  const set = (k: string, val: unknown) => {
    if (val !== undefined) v[k] = val;
  };
  const clean = (a?: string[]) => (a ? [...new Set(a.map((s) => s.trim()).filter(Boolean))] : undefined);
  set('title_et', input.titleEt?.trim());
  set('title_en', input.titleEn?.trim());
  set('description_et', input.descriptionEt?.trim());
  set('description_en', input.descriptionEn?.trim());
  set('keywords_et', clean(input.keywordsEt));
  set('keywords_en', clean(input.keywordsEn));
  set('themes', clean(input.themes));
  set('spatial', clean(input.spatial));
  set('temporal_start', input.temporalStart);
  set('temporal_end', input.temporalEnd);
  set('frequency', input.frequency);
  set('license_id', input.licenseId);
  set('access_rights', input.accessRights);
  set('contact_name', input.contactName === undefined ? undefined : input.contactName?.trim() || null);
  set('contact_email', input.contactEmail === undefined ? undefined : input.contactEmail?.trim() || null);
  set('quality_note', input.qualityNote === undefined ? undefined : input.qualityNote?.trim() || null);
  set('info_system_id', input.infoSystemId);
  set('agreed_on', input.agreedOn);
  set('change_note', input.changeNote === undefined ? undefined : input.changeNote?.trim() || null);
  return v;
}

/** Fields officials may change on a dataset the platform publishes automatically. */
export const AUTO_EDITABLE = new Set(['contactName', 'contactEmail', 'qualityNote', 'infoSystemId', 'agreedOn']);

/** Throws the list of what is missing, if anything, before review or publication. */
export function requireComplete(d: DatasetRecord, distributions: DistributionRecord[], catalogueEmail: string | null) {
  const missing = missingMetadata(d, distributions, catalogueEmail);
  if (missing.length) {
    throw invalid(missing, `Some required information is missing: ${missing.map((m) => m.detail).join(' ')}`);
  }
}
