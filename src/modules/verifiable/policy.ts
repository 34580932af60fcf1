import { requireRole, type Actor } from '../../platform/auth/actor';

/** Admins and editors of a municipality prepare, open, close and count its verifiable votes. */
export const canManage = (actor: Actor, municipalityCode: string) =>
  requireRole(actor, municipalityCode, ['admin', 'editor']);
