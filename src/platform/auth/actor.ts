import type { Role } from '../db/tables';
import { ELVL_TENANT } from '../places/ehak';
import { P, Problem, forbidden } from '../http/problems';

/** Who is acting: a logged-in person with their roles, or nobody. */
export interface RoleGrant {
  municipalityCode: string;
  role: Role;
}

export interface PersonActor {
  kind: 'person';
  personId: string;
  givenName: string | null;
  familyName: string | null;
  birthDate: string;
  /** First six digits of the ID code; the code itself never travels with the actor. */
  idCodeMasked: string;
  roles: RoleGrant[];
  acr: string | null;
  /** Present for browser sessions; state-changing requests must echo it. */
  csrfToken?: string;
}

export interface Anonymous {
  kind: 'anonymous';
}

export type Actor = PersonActor | Anonymous;

export const ANONYMOUS: Anonymous = { kind: 'anonymous' };

export function isPlatformAdmin(actor: Actor): boolean {
  return actor.kind === 'person' && actor.roles.some((g) => g.municipalityCode === ELVL_TENANT && g.role === 'admin');
}

/** True if the actor holds one of `roles` in the municipality (platform admins hold all). */
export function hasRole(actor: Actor, municipalityCode: string, roles: readonly Role[]): boolean {
  if (actor.kind !== 'person') return false;
  if (isPlatformAdmin(actor)) return true;
  return actor.roles.some((g) => g.municipalityCode === municipalityCode && roles.includes(g.role));
}

export function requirePerson(actor: Actor): PersonActor {
  if (actor.kind !== 'person') throw new Problem(P.unauthenticated, 'Log in to do this');
  return actor;
}

export function requireRole(actor: Actor, municipalityCode: string, roles: readonly Role[]): PersonActor {
  const person = requirePerson(actor);
  if (!hasRole(person, municipalityCode, roles)) {
    throw forbidden(`This needs one of the roles ${roles.join(', ')} in municipality ${municipalityCode}`);
  }
  return person;
}

/** Municipalities where the actor holds any of `roles`. */
export function municipalitiesWith(actor: Actor, roles: readonly Role[]): string[] {
  if (actor.kind !== 'person') return [];
  return [...new Set(actor.roles.filter((g) => roles.includes(g.role)).map((g) => g.municipalityCode))];
}
