import type { AppContext } from '../../platform/context';
import type { Actor } from '../../platform/auth/actor';
import type { DatasetProvider } from '../../platform/openData';
import { canAdminister } from './policy';
import { runProviders, type RunSummary } from './autoPublish';

/** An admin runs automatic publication for their municipality now (instead of waiting for the night). */
export async function runAutoPublicationNow(
  ctx: AppContext,
  actor: Actor,
  code: string,
  providers: DatasetProvider[],
): Promise<RunSummary[]> {
  canAdminister(actor, code);
  return runProviders(ctx, providers, { trigger: 'manual', municipalities: [code] });
}
