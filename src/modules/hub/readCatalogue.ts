import type { AppContext } from '../../platform/context';
import type { Actor } from '../../platform/auth/actor';
import { notFound } from '../../platform/http/problems';
import { requireOfficial } from './policy';
import { currentVersion, listVersions, readCatalogue } from './eitsStore';

/** The catalogue (current version unless one is named): modules with their measures. Officials. */
export async function catalogueView(ctx: AppContext, actor: Actor, version?: string) {
  requireOfficial(actor);
  const v = version ?? (await currentVersion(ctx.db));
  if (!v) throw notFound('An imported E-ITS catalogue');
  const c = await readCatalogue(ctx.db, v);
  if (!c) throw notFound(`Catalogue version ${v}`);
  return {
    version: v,
    modules: c.modules.map((m) => ({
      ...m,
      measures: c.measures
        .filter((x) => x.moduleCode === m.code)
        .map((x) => ({ code: x.code, group: x.group, title: x.title, body: x.body, assignees: x.assignees })),
    })),
  };
}

/** Imported versions, newest first, each with what changed against the version before it. */
export async function catalogueVersions(ctx: AppContext, actor: Actor) {
  requireOfficial(actor);
  return listVersions(ctx.db);
}
