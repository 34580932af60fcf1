import { forbidden } from '../http/problems';
import { ELVL_TENANT } from '../places/ehak';
import { hasRole, isPlatformAdmin, requirePerson, requireRole, type Actor, type PersonActor } from './actor';

/**
 * The roles every module shares: who is an official (of a municipality or of ELVL) and who is an
 * ELVL editor. They belong to the platform, not to one module, so that the hub, community,
 * programme and the rest ask the same question the same way.
 */

/** Roles that make a person an official (council members alone are not). */
export const OFFICIAL_ROLES = ['admin', 'editor', 'analyst'] as const;

export function isOfficial(actor: Actor): boolean {
  return (
    actor.kind === 'person' &&
    (isPlatformAdmin(actor) || actor.roles.some((g) => (OFFICIAL_ROLES as readonly string[]).includes(g.role)))
  );
}

/** Pages and actions for officials of any municipality (or ELVL). */
export function requireOfficial(actor: Actor): PersonActor {
  const person = requirePerson(actor);
  if (!isOfficial(person)) throw forbidden('This is for officials of a municipality or ELVL');
  return person;
}

/** The municipality an official works for, for attribution: the first non-ELVL one, else ELVL. */
export function homeMunicipality(actor: PersonActor): string {
  const own = actor.roles.find(
    (g) => g.municipalityCode !== ELVL_TENANT && (OFFICIAL_ROLES as readonly string[]).includes(g.role),
  );
  return own?.municipalityCode ?? ELVL_TENANT;
}

/** ELVL's editors and admins keep the hub's content, events and the action plan. */
export const requireElvlEditor = (actor: Actor) => requireRole(actor, ELVL_TENANT, ['admin', 'editor']);
export const isElvlEditor = (actor: Actor) => hasRole(actor, ELVL_TENANT, ['admin', 'editor']);
