import { sql } from 'kysely';
import type { AppContext } from '../../platform/context';
import type { SeedOptions } from '../../platform/module';
import { inScope } from '../../platform/db/database';
import type { PersonActor } from '../../platform/auth/actor';
import { maskIdCode } from '../../platform/identity/personalIdCode';
import { createElectorate, freezeElectorate } from './electorates';
import { residencesOf } from './extractFile';

/**
 * Demo data: the register data of the synthetic population (held as each municipality's
 * extract, source `demo`, so that "My details" shows the residence and previews work), and a
 * few electorates: Tallinn's participatory budget (14+, live), Tartu's poll (16+, frozen list)
 * and a village elder election in Elva vald (Rõngu alevik, 18+, live).
 */
export async function seedRegisterDemo(ctx: AppContext, opts: SeedOptions): Promise<void> {
  const byMunicipality = new Map<string, { person: string; rs: ReturnType<typeof residencesOf> }[]>();
  for (const p of opts.population) {
    const list = byMunicipality.get(p.residence.municipalityCode) ?? [];
    list.push({ person: p.personId, rs: residencesOf(p) });
    byMunicipality.set(p.residence.municipalityCode, list);
  }
  for (const [municipalityCode, people] of byMunicipality) {
    const rows = people.flatMap((x) => x.rs.map((r) => ({ ...r, person: x.person })));
    await inScope(ctx.db, { tenant: municipalityCode }, async (trx) => {
      for (let i = 0; i < rows.length; i += 5000) {
        const b = rows.slice(i, i + 5000);
        await sql`INSERT INTO register_residence (municipality_code, person_id, valid_from, valid_until, residence_municipality_code, settlement_code, address, ads_adr_id, status, source)
          SELECT ${municipalityCode}, * , 'demo' FROM unnest(${b.map((r) => r.person)}::uuid[], ${b.map((r) => r.validFrom)}::date[], ${b.map((r) => r.validUntil)}::date[],
            ${b.map((r) => r.municipalityCode)}::text[], ${b.map((r) => r.settlementCode)}::text[], ${b.map((r) => r.address)}::text[], ${b.map((r) => r.adsAdrId)}::bigint[], ${b.map((r) => r.status)}::text[])
          ON CONFLICT DO NOTHING`.execute(trx);
      }
    });
    opts.log(`  register data of ${municipalityCode}: ${people.length} residents, ${rows.length} residence records`);
  }

  const officialOf = (code: string): PersonActor | undefined => {
    const id = opts.officials[code]?.admin;
    const p = id ? opts.population.find((x) => x.personId === id) : undefined;
    if (!id || !p) return undefined;
    return {
      kind: 'person',
      personId: id,
      givenName: p.givenName,
      familyName: p.familyName,
      birthDate: p.birthDate,
      idCodeMasked: maskIdCode(p.idCode),
      roles: [{ municipalityCode: code, role: 'admin' }],
      acr: 'high',
    };
  };
  const tallinn = officialOf('0784');
  if (tallinn) {
    await createElectorate(ctx, tallinn, '0784', {
      name: 'Kaasav eelarve 2026: Tallinna elanikud 14+',
      scope: 'municipality',
      minAge: 14,
      maxAge: null,
      referenceDate: '2026-05-01',
      residenceAt: 'voting-time',
      mode: 'live',
    });
    await createElectorate(ctx, tallinn, '0784', {
      name: 'Lasnamäe ja Pirita linnaosa elanikud 16+',
      scope: 'settlements',
      settlementCodes: ['0387', '0596'],
      minAge: 16,
      maxAge: null,
      referenceDate: '2026-05-01',
      residenceAt: 'reference-date',
      mode: 'live',
    });
  }
  const tartu = officialOf('0793');
  if (tartu) {
    const poll = await createElectorate(ctx, tartu, '0793', {
      name: 'Rahvaküsitlus 2026: Tartu elanikud 16+',
      scope: 'municipality',
      minAge: 16,
      maxAge: null,
      referenceDate: '2026-01-01',
      residenceAt: 'reference-date',
      mode: 'frozen',
    });
    await freezeElectorate(ctx, tartu, '0793', poll.id);
  }
  const elva = officialOf('0171');
  if (elva) {
    await createElectorate(ctx, elva, '0171', {
      name: 'Rõngu aleviku külavanema valimine 18+',
      scope: 'settlements',
      settlementCodes: ['7167'],
      minAge: 18,
      maxAge: null,
      referenceDate: '2026-03-01',
      residenceAt: 'reference-date',
      mode: 'live',
    });
  }
}
