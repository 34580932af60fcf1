import { sql } from 'kysely';
import type { AppContext } from '../../platform/context';
import type { PersonActor } from '../../platform/auth/actor';
import type { Role } from '../../platform/db/tables';
import { inScope } from '../../platform/db/database';
import { findPersonByCode, upsertPerson } from '../../platform/auth/persons';
import { makeIdCode, maskIdCode } from '../../platform/identity/personalIdCode';
import type { Residence } from './model';

/** Helpers for this module's tests (not used by the application). */
let serial = 0;
export async function person(
  ctx: AppContext,
  birthDate: string,
  sex: 'male' | 'female' = 'female',
  names: { givenName?: string; familyName?: string } = {},
) {
  for (;;) {
    const idCode = makeIdCode(sex, birthDate, (process.pid * 13 + serial++) % 1000);
    const exists = await findPersonByCode(ctx.db, idCode);
    if (exists) continue;
    const id = await upsertPerson(ctx.db, {
      idCode,
      givenName: names.givenName ?? 'Test',
      familyName: names.familyName ?? `Person${serial}`,
      birthDate,
    });
    return { id, idCode, birthDate };
  }
}

export function actor(
  personId: string,
  roles: { municipalityCode: string; role: Role }[],
  birthDate = '1980-01-01',
): PersonActor {
  return {
    kind: 'person',
    personId,
    givenName: 'Official',
    familyName: 'Test',
    birthDate,
    idCodeMasked: maskIdCode('38001010000'),
    roles,
    acr: 'high',
  };
}

/** Writes residence records straight into the municipality's register data (as an extract would). */
export async function residences(
  ctx: AppContext,
  municipalityCode: string,
  personId: string,
  rs: Partial<Residence>[],
) {
  await inScope(ctx.db, { tenant: municipalityCode }, async (trx) => {
    for (const r of rs) {
      await sql`INSERT INTO register_residence (municipality_code, person_id, valid_from, valid_until, residence_municipality_code, settlement_code, address, ads_adr_id, status, source)
                VALUES (${municipalityCode}, ${personId}, ${r.validFrom ?? '2000-01-01'}, ${r.validUntil ?? null}, ${r.municipalityCode ?? municipalityCode}, ${r.settlementCode ?? null}, ${r.address ?? 'Test 1'}, ${r.adsAdrId ?? null}, ${r.status ?? null}, 'extract')`.execute(
        trx,
      );
    }
  });
}
