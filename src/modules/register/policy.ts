import { requireRole, type Actor } from '../../platform/auth/actor';

/** Officials who define electorates and freeze voter lists: admins and editors. */
export const canDefineElectorates = (actor: Actor, municipalityCode: string) =>
  requireRole(actor, municipalityCode, ['admin', 'editor']);
/** Officials who see electorates and their sizes: admins, editors, analysts. */
export const canViewElectorates = (actor: Actor, municipalityCode: string) =>
  requireRole(actor, municipalityCode, ['admin', 'editor', 'analyst']);
/** Voter lists name people: admins and editors only. */
export const canReadVoterList = (actor: Actor, municipalityCode: string) =>
  requireRole(actor, municipalityCode, ['admin', 'editor']);
/** The register query log and the extract imports: the municipality's admins. */
export const canReadRegisterLog = (actor: Actor, municipalityCode: string) =>
  requireRole(actor, municipalityCode, ['admin']);
export const canImportExtract = (actor: Actor, municipalityCode: string) =>
  requireRole(actor, municipalityCode, ['admin']);

/**
 * Full personal ID codes in the register query log are shown only to admins of that very
 * municipality; platform (ELVL) administrators, who pass every role check, see them masked.
 */
export function seesFullIdCodes(actor: Actor, municipalityCode: string): boolean {
  return (
    actor.kind === 'person' && actor.roles.some((g) => g.municipalityCode === municipalityCode && g.role === 'admin')
  );
}
