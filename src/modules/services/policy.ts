import { requireRole, type Actor } from '../../platform/auth/actor';
import { ELVL_TENANT } from '../../platform/places/ehak';

/**
 * Who may do what with services. Editors and admins of a municipality edit its catalogue, its
 * general data and its self-assessments; ELVL's editors and admins edit the national templates
 * (tenant '0000'). Every official role (admin, editor, analyst) reads the catalogue with drafts,
 * the versions and the satisfaction results; ELVL's officials read the national comparison.
 */
const OFFICIALS = ['admin', 'editor', 'analyst'] as const;

export const canEditCatalogue = (actor: Actor, municipalityCode: string) =>
  requireRole(actor, municipalityCode, ['admin', 'editor']);
export const canReadCatalogue = (actor: Actor, municipalityCode: string) =>
  requireRole(actor, municipalityCode, OFFICIALS);
export const canReadSatisfaction = (actor: Actor, municipalityCode: string) =>
  requireRole(actor, municipalityCode, OFFICIALS);
export const canTriggerSurveys = (actor: Actor, municipalityCode: string) =>
  requireRole(actor, municipalityCode, ['admin', 'editor']);
export const canReadNational = (actor: Actor) => requireRole(actor, ELVL_TENANT, OFFICIALS);
