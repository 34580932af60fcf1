import { requirePerson, type Actor, type PersonActor } from '../../platform/auth/actor';

/**
 * Who may do what with notifications: a person manages only their own centre, settings and
 * followed areas (row-level security holds the same line: their rows are visible to them
 * alone). Links in e-mails (verification, unsubscribe) carry their own proof instead of a login.
 */
export function requireSelf(actor: Actor): PersonActor {
  return requirePerson(actor);
}
