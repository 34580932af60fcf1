import {
  hasRole,
  isPlatformAdmin,
  municipalitiesWith,
  requirePerson,
  requireRole,
  type Actor,
  type PersonActor,
} from '../../platform/auth/actor';
import { defineApiScope, type ApiClient } from '../../platform/auth/apiKeys';
import { ELVL_TENANT } from '../../platform/places/ehak';
import { forbidden } from '../../platform/http/problems';
import type { Trx } from '../../platform/db/database';

/**
 * Who may do what with a municipality's open data:
 * - read drafts, the inventory, the dashboard and the publication log: editors, admins, analysts;
 * - create and edit datasets, upload files, send for review, keep the inventory: editors, admins;
 * - publish, send back to draft, withdraw: admins, and the people holding the data governance
 *   roles head of data governance or data owner in that municipality;
 * - catalogue settings, governance roles, running automatic publication by hand: admins;
 * - unpublished datasets through the CKAN API (`include_private`): the municipality's editors,
 *   admins and analysts, and client systems with an API key of the scope `opendata.read-private`
 *   (a key of ELVL, or a platform admin: every municipality).
 */
export const canRead = (actor: Actor, code: string) => requireRole(actor, code, ['admin', 'editor', 'analyst']);
export const canEdit = (actor: Actor, code: string) => requireRole(actor, code, ['admin', 'editor']);
export const canAdminister = (actor: Actor, code: string) => requireRole(actor, code, ['admin']);

export async function governanceRolesOf(trx: Trx, code: string, personId: string): Promise<string[]> {
  const rows = await trx
    .selectFrom('opendata_governance_role')
    .select('role')
    .where('municipality_code', '=', code)
    .where('person_id', '=', personId)
    .execute();
  return rows.map((r) => r.role);
}

/** Call inside the municipality's scope (it reads the governance roles). */
export async function canPublish(trx: Trx, actor: Actor, code: string): Promise<PersonActor> {
  const person = requirePerson(actor);
  if (hasRole(person, code, ['admin'])) return person;
  const roles = await governanceRolesOf(trx, code, person.personId);
  if (roles.includes('head_of_data_governance') || roles.includes('data_owner')) return person;
  throw forbidden(
    `Publishing needs the admin role, or the data governance role head of data governance or data owner, in municipality ${code}`,
  );
}

export const SCOPE_READ_PRIVATE = defineApiScope(
  'opendata.read-private',
  'Open data (CKAN API): include the municipality’s unpublished datasets (drafts and those in review) with include_private, as a CKAN organisation member sees private datasets',
);

/** Municipalities whose unpublished datasets the caller may read through the CKAN API ('*': all). */
export function privateReadable(actor: Actor, client: ApiClient | null): string[] | '*' {
  if (isPlatformAdmin(actor)) return '*';
  const codes = new Set(municipalitiesWith(actor, ['admin', 'editor', 'analyst']));
  if (client?.scopes.includes(SCOPE_READ_PRIVATE)) {
    if (client.municipalityCode === ELVL_TENANT) return '*';
    codes.add(client.municipalityCode);
  }
  return [...codes].sort();
}
