import { requirePerson, type Actor } from '../../platform/auth/actor';
export { isOfficial, homeMunicipality } from '../../platform/auth/officials';
export const requirePersonOrThrow = (actor: Actor) => requirePerson(actor);
