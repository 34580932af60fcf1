import { sql } from 'kysely';
import type { Db, Trx } from '../db/database';

/**
 * Persons by personal ID code. The application role cannot read `person.id_code` (issue 13,
 * migration 0900): it finds or creates persons by codes it already holds, and reads the code of a
 * person of the transaction's tenant (or of the acting person) only through the SECURITY DEFINER
 * functions `kov_person_upsert`, `kov_person_find` and `kov_person_codes` (migrations/functions/).
 * Lists show `person.id_code_masked`.
 */
export interface PersonInput {
  idCode: string;
  givenName: string | null;
  familyName: string | null;
  birthDate: string;
}

/** Creates the person on first login, refreshes names on later ones (`login`). Returns the internal id. */
export async function upsertPerson(db: Db | Trx, p: PersonInput, login = false): Promise<string> {
  const [id] = await upsertPersons(db, [p], login);
  return id!;
}

/**
 * Finds or creates the persons of these codes (names fill in only names not known yet, unless
 * `login`); their ids in the same order.
 */
export async function upsertPersons(db: Db | Trx, ps: PersonInput[], login = false): Promise<string[]> {
  if (ps.length === 0) return [];
  const { rows } = await sql<{ o_i: number; o_id: string }>`
    SELECT o_i, o_id FROM kov_person_upsert(${ps.map((p) => p.idCode)}::text[], ${ps.map((p) => p.givenName)}::text[],
      ${ps.map((p) => p.familyName)}::text[], ${ps.map((p) => p.birthDate)}::date[], ${login})`.execute(db);
  return rows.map((r) => r.o_id);
}

/** The person of an ID code the caller holds, or null (one code at a time). */
export async function findPersonByCode(db: Db | Trx, idCode: string): Promise<string | null> {
  const { rows } = await sql<{ id: string | null }>`SELECT kov_person_find(${idCode}) AS id`.execute(db);
  return rows[0]?.id ?? null;
}

/**
 * ID codes of persons linked to the transaction's tenant, or of the acting person (the scope
 * `inScope` set): the others are absent from the map.
 */
export async function personIdCodes(trx: Db | Trx, personIds: string[]): Promise<Map<string, string>> {
  if (personIds.length === 0) return new Map();
  const { rows } = await sql<{ person_id: string; id_code: string }>`
    SELECT person_id, id_code FROM kov_person_codes(${personIds}::uuid[])`.execute(trx);
  return new Map(rows.map((r) => [r.person_id, r.id_code]));
}

/** One person's ID code (see personIdCodes), or null when refused. */
export async function personIdCode(trx: Db | Trx, personId: string): Promise<string | null> {
  return (await personIdCodes(trx, [personId])).get(personId) ?? null;
}
