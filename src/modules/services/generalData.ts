import type { AppContext } from '../../platform/context';
import type { Actor } from '../../platform/auth/actor';
import { inScope } from '../../platform/db/database';
import { appendAudit } from '../../platform/audit/audit';
import { canEditCatalogue } from './policy';
import { findProfile, listServiceRows, upsertProfile } from './store';
import { PUBLIC_STATUSES } from './readServices';
import { requireMunicipality } from './coverage';
import { pick, type Lang } from './reference';
import type { ProfileData } from './schemas';

/** Sets the municipality's general data (contacts, address, opening hours, service desks). Audited. */
export async function updateGeneralData(ctx: AppContext, actor: Actor, municipalityCode: string, data: ProfileData) {
  const editor = canEditCatalogue(actor, municipalityCode);
  await requireMunicipality(ctx, municipalityCode);
  await inScope(ctx.db, { tenant: municipalityCode, actor: editor.personId }, async (trx) => {
    await upsertProfile(trx, municipalityCode, data, editor.personId);
    await appendAudit(trx, {
      municipalityCode,
      actorId: editor.personId,
      action: 'services.general-data-changed',
      subject: `municipality:${municipalityCode}`,
    });
  });
  return data;
}

/**
 * The municipality's general data as one public document — contacts, opening hours and the
 * services in use with their channels — shaped for the state virtual assistant Bürokratt (and any
 * other reader): flat, labelled in the asked language, with links back to the platform.
 */
export async function generalData(ctx: AppContext, municipalityCode: string, lang: Lang) {
  const m = await requireMunicipality(ctx, municipalityCode);
  const { profile, services } = await inScope(ctx.db, { tenant: municipalityCode }, async (trx) => ({
    profile: await findProfile(trx, municipalityCode),
    services: await listServiceRows(trx, municipalityCode, { statuses: PUBLIC_STATUSES }),
  }));
  const base = ctx.config.publicUrl;
  return {
    municipality: { code: m.code, name: m.name, kind: m.kind },
    language: lang,
    contacts: profile
      ? {
          officialName: profile.data.officialName,
          address: profile.data.address,
          email: profile.data.email,
          phone: profile.data.phone,
          website: profile.data.website,
          serviceDesks: profile.data.serviceDesks ?? [],
        }
      : null,
    openingHours: profile?.data.openingHours ?? [],
    services: services.map((s) => ({
      id: s.id,
      identifier: s.identifier,
      name: pick(s.data.name, lang),
      description: pick(s.data.description, lang),
      field: s.field,
      lifeEvents: s.data.lifeEvents.map((e) => e.code),
      feeType: s.data.feeType,
      channels: s.data.channels.map((c) => ({
        type: c.type,
        address: c.address,
        ...(c.openingHours ? { openingHours: c.openingHours } : {}),
        ...(c.processingTime ? { processingTime: c.processingTime } : {}),
      })),
      contact: {
        name: s.data.owner.name,
        ...(s.data.owner.email ? { email: s.data.owner.email } : {}),
        ...(s.data.owner.phone ? { phone: s.data.owner.phone } : {}),
      },
      url: `${base}/teenused/${municipalityCode}/${s.id}`,
    })),
    updatedAt: (profile?.updated_at ?? null)?.toISOString() ?? null,
    source: `${base}/api/v1/public/municipalities/${municipalityCode}/general-data`,
  };
}
