import { hasRole, requireRole, type Actor } from '../../platform/auth/actor';

/** Officials who prepare and run votes (create, edit, schedule, review ideas and candidates, paper votes). */
export const canManageVotes = (actor: Actor, municipalityCode: string) =>
  requireRole(actor, municipalityCode, ['admin', 'editor']);
/** Officials who follow turnout and read results after close (analysts too). */
export const canFollowVotes = (actor: Actor, municipalityCode: string) =>
  requireRole(actor, municipalityCode, ['admin', 'editor', 'analyst']);
/** Officials who may see results after close and before they are published (and compare counting rules). */
export const seesUnpublishedResults = (actor: Actor, municipalityCode: string) =>
  hasRole(actor, municipalityCode, ['admin', 'editor', 'analyst']);
