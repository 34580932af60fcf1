import { forbidden } from '../../platform/http/problems';
import {
  hasRole,
  isPlatformAdmin,
  requirePerson,
  requireRole,
  type Actor,
  type PersonActor,
} from '../../platform/auth/actor';
import { ELVL_TENANT } from '../../platform/places/ehak';

/** Roles that make a person an official (council members alone are not). */
export const OFFICIAL_ROLES = ['admin', 'editor', 'analyst'] as const;

export function isOfficial(actor: Actor): boolean {
  return (
    actor.kind === 'person' &&
    (isPlatformAdmin(actor) || actor.roles.some((g) => (OFFICIAL_ROLES as readonly string[]).includes(g.role)))
  );
}

/** The hub, the tracker overview, the mentor network and officials' events are for officials of any municipality. */
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

/** Any official may write articles; ELVL's editors may also edit others' and publish to the public. */
export function requireAuthor(actor: Actor): PersonActor {
  const person = requireOfficial(actor);
  if (!isPlatformAdmin(person) && !person.roles.some((g) => g.role === 'admin' || g.role === 'editor'))
    throw forbidden('Writing in the hub needs the editor or admin role in a municipality or ELVL');
  return person;
}

/** A municipality's E-ITS tracker: its editors and admins change it, any of its officials read it. */
export const requireTrackerEditor = (actor: Actor, municipalityCode: string) =>
  requireRole(actor, municipalityCode, ['admin', 'editor']);
export const requireTrackerReader = (actor: Actor, municipalityCode: string) =>
  requireRole(actor, municipalityCode, [...OFFICIAL_ROLES]);
/** ELVL's staff (any official role in '0000') see the named overview across municipalities. */
export const canSeeNamedOverview = (actor: Actor) => hasRole(actor, ELVL_TENANT, [...OFFICIAL_ROLES]);
export const requireCatalogueAdmin = (actor: Actor) => requireRole(actor, ELVL_TENANT, ['admin']);
