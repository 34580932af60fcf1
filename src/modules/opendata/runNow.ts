import type { AppContext } from '../../platform/context';
import type { Actor } from '../../platform/auth/actor';
import type { DatasetProvider } from '../../platform/openData';
import { canAdminister } from './policy';
import { runProviders, type RunSummary } from './autoPublish';

/** Every module's dataset providers (`openData` in the manifests), read when needed so the module list can import this module. */
export async function allProviders(): Promise<DatasetProvider[]> {
  const { modules } = await import('../index');
  return modules.flatMap((m) => m.openData ?? []);
}

/** An admin runs automatic publication for their municipality now (instead of waiting for the night). */
export async function runAutoPublicationNow(ctx: AppContext, actor: Actor, code: string): Promise<RunSummary[]> {
  canAdminister(actor, code);
  return runProviders(ctx, await allProviders(), { trigger: 'manual', municipalities: [code] });
}
