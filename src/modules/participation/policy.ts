import { requireRole, type Actor } from '../../platform/auth/actor';

/** Officials who prepare and run votes (create, edit, schedule, review ideas and candidates, paper votes). */
export const canManageVotes = (actor: Actor, municipalityCode: string) =>
  requireRole(actor, municipalityCode, ['admin', 'editor']);
/** Officials who follow turnout and read results after close (analysts too). */
export const canFollowVotes = (actor: Actor, municipalityCode: string) =>
  requireRole(actor, municipalityCode, ['admin', 'editor', 'analyst']);
