import type { Actor } from '../../platform/auth/actor';
import { requireElvlEditor, requireOfficial } from '../../platform/auth/officials';

/** The action plan is ELVL's: its editors and admins keep it; officials of any municipality may read it. */
export const canReadPlan = (actor: Actor) => requireOfficial(actor);
export const canEditPlan = (actor: Actor) => requireElvlEditor(actor);
