import { forbidden } from '../../platform/http/problems';
import { hasRole, isPlatformAdmin, requireRole, type Actor, type PersonActor } from '../../platform/auth/actor';
import { OFFICIAL_ROLES, requireOfficial } from '../../platform/auth/officials';
import { ELVL_TENANT } from '../../platform/places/ehak';

// The shared roles live in the platform; the hub's own capabilities follow.
export {
  OFFICIAL_ROLES,
  isOfficial,
  requireOfficial,
  homeMunicipality,
  requireElvlEditor,
  isElvlEditor,
} from '../../platform/auth/officials';

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
