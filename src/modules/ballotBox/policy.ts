import { requireRole, type Actor } from '../../platform/auth/actor';

/** Admins of a municipality set how long ballots are kept after final results. */
export const canSetRetention = (actor: Actor, municipalityCode: string) =>
  requireRole(actor, municipalityCode, ['admin']);
/** Officials who run or follow votes see the retention period and when ballots will be destroyed. */
export const canSeeRetention = (actor: Actor, municipalityCode: string) =>
  requireRole(actor, municipalityCode, ['admin', 'editor', 'analyst']);
