import type { AppContext } from '../../platform/context';
import type { Actor } from '../../platform/auth/actor';
import { inScope, type Trx } from '../../platform/db/database';
import { appendAudit } from '../../platform/audit/audit';
import { invalid, notFound } from '../../platform/http/problems';
import { canAdminister } from './policy';
import { tenantName } from './store';
import { organizationName } from './vocab';
import type { CatalogueInput } from './schemas';

/** The catalogue of one municipality (its settings, or defaults made from the municipality's name). */
export interface Catalogue {
  municipalityCode: string;
  organization: { name: string; title: string };
  titleEt: string;
  titleEn: string;
  descriptionEt: string;
  descriptionEn: string;
  contactName: string | null;
  contactEmail: string | null;
  homepage: string | null;
}

export async function catalogueOf(trx: Trx, code: string): Promise<Catalogue> {
  const name = await tenantName(trx, code);
  if (!name) throw notFound(`Municipality ${code}`);
  const org = { name: organizationName(code, name), title: name };
  const row = await trx
    .selectFrom('opendata_catalogue')
    .selectAll()
    .where('municipality_code', '=', code)
    .executeTakeFirst();
  if (row) {
    return {
      municipalityCode: code,
      organization: org,
      titleEt: row.title_et,
      titleEn: row.title_en,
      descriptionEt: row.description_et,
      descriptionEn: row.description_en,
      contactName: row.contact_name,
      contactEmail: row.contact_email,
      homepage: row.homepage,
    };
  }
  return {
    municipalityCode: code,
    organization: org,
    titleEt: `${name} — avaandmed`,
    titleEn: `${name} — open data`,
    descriptionEt: `${name} avaandmete kataloog KOV platvormil.`,
    descriptionEn: `The open data catalogue of ${name} on the KOV Platform.`,
    contactName: null,
    contactEmail: null,
    homepage: null,
  };
}

export async function getCatalogue(ctx: AppContext, code: string): Promise<Catalogue> {
  return inScope(ctx.db, { tenant: code }, (trx) => catalogueOf(trx, code));
}

export const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
export const HTTP_URL = /^https?:\/\/[^\s]+$/i;

export async function updateCatalogue(
  ctx: AppContext,
  actor: Actor,
  code: string,
  input: CatalogueInput,
): Promise<Catalogue> {
  const admin = canAdminister(actor, code);
  const errors = [];
  if (input.contactEmail && !EMAIL.test(input.contactEmail))
    errors.push({ pointer: '/body/contactEmail', detail: 'is not an e-mail address' });
  if (input.homepage && !HTTP_URL.test(input.homepage))
    errors.push({ pointer: '/body/homepage', detail: 'must start with http:// or https://' });
  if (errors.length) throw invalid(errors);
  return inScope(ctx.db, { tenant: code, actor: admin.personId }, async (trx) => {
    await catalogueOf(trx, code);
    const values = {
      title_et: input.titleEt.trim(),
      title_en: input.titleEn.trim(),
      description_et: input.descriptionEt.trim(),
      description_en: input.descriptionEn.trim(),
      contact_name: input.contactName?.trim() || null,
      contact_email: input.contactEmail?.trim() || null,
      homepage: input.homepage?.trim() || null,
      updated_at: new Date(),
    };
    await trx
      .insertInto('opendata_catalogue')
      .values({ municipality_code: code, ...values })
      .onConflict((oc) => oc.column('municipality_code').doUpdateSet(values))
      .execute();
    await appendAudit(trx, {
      municipalityCode: code,
      actorId: admin.personId,
      action: 'opendata.catalogue.updated',
      subject: `catalogue:${code}`,
      details: {},
    });
    return catalogueOf(trx, code);
  });
}
