import { requireRole, hasRole, type Actor } from '../../platform/auth/actor';

/**
 * Who may do what with reports. Anyone (logged in or not) may report and read public data.
 * Editors and admins of the municipality handle reports (status, assignment, notes, merging,
 * moderation); admins configure categories and delivery; analysts, editors and admins read
 * analytics and the full list (ELVL's admins and analysts read national analytics).
 */
export const canHandle = (actor: Actor, municipalityCode: string) =>
  requireRole(actor, municipalityCode, ['admin', 'editor']);
export const canConfigure = (actor: Actor, municipalityCode: string) => requireRole(actor, municipalityCode, ['admin']);
export const canAnalyse = (actor: Actor, municipalityCode: string) =>
  requireRole(actor, municipalityCode, ['admin', 'editor', 'analyst']);
export const isHandler = (actor: Actor, municipalityCode: string) =>
  hasRole(actor, municipalityCode, ['admin', 'editor']);
