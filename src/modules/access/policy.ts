import { requireRole, type Actor } from '../../platform/auth/actor';

/** Admins of a municipality manage its roles and read its audit log; ELVL admins everywhere. */
export const canAdministerRoles = (actor: Actor, municipalityCode: string) =>
  requireRole(actor, municipalityCode, ['admin']);
export const canReadAudit = (actor: Actor, municipalityCode: string) => requireRole(actor, municipalityCode, ['admin']);
