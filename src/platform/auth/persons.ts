import type { Db } from '../db/database';

/** Creates the person on first login, refreshes names on later ones. Returns the internal id. */
export async function upsertPerson(
  db: Db,
  p: { idCode: string; givenName: string | null; familyName: string | null; birthDate: string },
  login = false,
): Promise<string> {
  const row = await db
    .insertInto('person')
    .values({
      id_code: p.idCode,
      given_name: p.givenName,
      family_name: p.familyName,
      birth_date: p.birthDate,
      last_login_at: login ? new Date() : null,
    })
    .onConflict((oc) =>
      oc.column('id_code').doUpdateSet((eb) => ({
        given_name: eb.fn.coalesce('excluded.given_name', 'person.given_name'),
        family_name: eb.fn.coalesce('excluded.family_name', 'person.family_name'),
        last_login_at: login ? new Date() : eb.ref('person.last_login_at'),
      })),
    )
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}
