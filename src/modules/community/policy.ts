import type { Actor } from '../../platform/auth/actor';
import { isOfficial, requireElvlEditor, isElvlEditor } from '../../platform/auth/officials';
import type { EventRow } from './store';

/** ELVL's editors and admins organise events and training programmes. */
export const requireOrganiser = (actor: Actor) => requireElvlEditor(actor);
export const isOrganiser = (actor: Actor) => isElvlEditor(actor);

/** Public events are for everyone; the rest for officials (training meetings: their group, checked by the use case). */
export function canSeeEvent(actor: Actor, e: Pick<EventRow, 'visibility'>) {
  return e.visibility === 'public' || (actor.kind === 'person' && isOfficial(actor));
}
