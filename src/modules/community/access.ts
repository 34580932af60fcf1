import { requirePerson, type Actor } from '../../platform/auth/actor';
export { isOfficial, homeMunicipality } from '../hub/policy';
export const requirePersonOrThrow = (actor: Actor) => requirePerson(actor);
