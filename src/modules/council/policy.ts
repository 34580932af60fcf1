import { hasRole, requirePerson, requireRole, type Actor, type PersonActor } from '../../platform/auth/actor';
import { Problem, forbidden } from '../../platform/http/problems';
import { CP } from './problems';

/**
 * Who may do what in the council, as pure functions of the actor and the facts about one sitting
 * (loaded by access.ts: who presides, who keeps the minutes, the actor's mandate). Use cases call
 * these; route files hold no role checks. Table-tested in test/policy/policies.test.ts (the
 * municipal roles) and policy.test.ts (the sitting's chair, secretary and members).
 */

/** Officials who prepare sittings and keep the composition: admins and editors of the municipality. */
export const MANAGER_ROLES = ['admin', 'editor'] as const;
export const canManageCouncil = (actor: Actor, code: string): PersonActor => requireRole(actor, code, MANAGER_ROLES);
export const isCouncilManager = (actor: Actor, code: string): boolean => hasRole(actor, code, MANAGER_ROLES);

export type Operator = 'chair' | 'secretary';
/** What the capabilities below need to know about the actor and one sitting. */
export interface Standing {
  /** 'chair' if the actor presides the sitting, 'secretary' if they keep its minutes. */
  operator: Operator | null;
  /** The actor's mandate in the sitting's council, if they have one. */
  mandate: 'active' | 'suspended' | 'waiting' | 'ended' | null;
}

/** The actor's part in running a sitting: its presiding member (with an active mandate), or its secretary. */
export function operatorOf(
  actor: Actor,
  sitting: { secretary_id: string | null },
  presiding: { person_id: string; status: string } | undefined,
): Operator | null {
  if (actor.kind !== 'person') return null;
  if (presiding && presiding.person_id === actor.personId && presiding.status === 'active') return 'chair';
  if (sitting.secretary_id === actor.personId) return 'secretary';
  return null;
}

/** Runs the sitting (attendance, votes, agenda order, minutes): its chair or its secretary. */
export function requireOperator(actor: Actor, operator: Operator | null): { person: PersonActor; as: Operator } {
  const person = requirePerson(actor);
  if (!operator)
    throw new Problem(CP.notOperator, 'Only the presiding chair or the secretary of this sitting may do this');
  return { person, as: operator };
}

/** Votes, registers, declares a recusal: a member whose mandate is active (elected, or a substitute acting). */
export function requireActingMember<M extends { status: string }>(
  actor: Actor,
  member: M | undefined,
): { person: PersonActor; member: M } {
  const person = requirePerson(actor);
  if (!member || member.status !== 'active')
    throw new Problem(
      CP.notAMember,
      member ? `Your mandate is ${member.status}` : 'You are not a member of this council',
    );
  return { person, member };
}

/** Sees a sitting that is not public yet: the council's managers and the sitting's chair and secretary. */
export const seesUnpublishedSitting = (actor: Actor, code: string, operator: Operator | null): boolean =>
  isCouncilManager(actor, code) || (actor.kind === 'person' && operator !== null);

/** Reads what is not public (draft minutes, closed items and documents): managers, the operators, acting members. */
export const isInsider = (actor: Actor, code: string, standing: Standing): boolean =>
  isCouncilManager(actor, code) ||
  (actor.kind === 'person' && (standing.operator !== null || standing.mandate === 'active'));

/** Prepares the agenda: the managers; once the sitting is open, its chair and secretary too. */
export function canEditAgenda(
  actor: Actor,
  code: string,
  sittingOpen: boolean,
  operator: Operator | null,
): PersonActor {
  const person = requirePerson(actor);
  if (isCouncilManager(person, code)) return person;
  if (sittingOpen && operator) return person;
  throw forbidden(
    'Preparing the agenda needs the admin or editor role in the municipality (or chairing the open sitting)',
  );
}

/** Records another member's recusal: the sitting's chair or secretary (a member declares their own). */
export function canRecordRecusalOf(actor: Actor, ownMandate: boolean, operator: Operator | null): PersonActor {
  const person = requirePerson(actor);
  if (!ownMandate && !operator)
    throw new Problem(CP.notOperator, "Only the chair or the secretary records another member's recusal");
  return person;
}
