import type { AppContext } from '../../platform/context';
import { inScope } from '../../platform/db/database';
import { sql } from 'kysely';
import { pick, type Lang } from './reference';
import { surveysWaiting, surveyUrl } from './satisfaction';

/**
 * A resident's personal items on "Minu vald" and in the machine API for state channels
 * (eesti.ee, the state app). The services module lists the surveys waiting for the person; other
 * modules add theirs (votes the person may take part in, their reports and statuses) by calling
 * `registerPersonalItems` from their manifest file — the extension point for participation
 * (issue 4) and Anna Teada (issue 7).
 */
export type PersonalItemKind = 'survey' | 'vote' | 'report' | (string & {});

export interface PersonalItem {
  kind: PersonalItemKind;
  id: string;
  municipalityCode: string;
  title: string;
  /** Machine-readable state, e.g. `waiting`, `open`, `in-progress`, `closed`. */
  status: string;
  /** Where the person acts on it (absolute URL). */
  url: string;
  /** When it started / was filed (ISO 8601), and the deadline if any. */
  at: string | null;
  due: string | null;
  /** The title is the Estonian text: no translation into the asked language exists. */
  untranslated?: boolean;
}

export interface PersonalItemsProvider {
  kind: PersonalItemKind;
  list(ctx: AppContext, person: { personId: string }, lang: Lang): Promise<PersonalItem[]>;
}

const providers = new Map<string, PersonalItemsProvider>();

/** Adds (or replaces) the provider of one kind of item. */
export function registerPersonalItems(p: PersonalItemsProvider) {
  providers.set(p.kind, p);
}
export const personalItemKinds = () => [...providers.keys()];

/** Surveys waiting for the person: deliveries naming them, not answered, not expired. */
export const surveyItems: PersonalItemsProvider = {
  kind: 'survey',
  async list(ctx, person, lang) {
    const rows = await surveysWaiting(ctx, person.personId);
    if (!rows.length) return [];
    // Service names: each delivery's municipality is a separate tenant.
    const names = new Map<string, string>();
    for (const code of new Set(rows.map((r) => r.municipality_code))) {
      const ids = rows.filter((r) => r.municipality_code === code).map((r) => r.service_id);
      const found = await inScope(ctx.db, { tenant: code }, (trx) =>
        sql<{
          id: string;
          data: { name: { et: string; ru?: string; en?: string } };
        }>`SELECT id, data FROM service WHERE municipality_code = ${code} AND id = ANY(${ids}::uuid[])`.execute(trx),
      );
      for (const f of found.rows) names.set(f.id, pick(f.data.name, lang));
    }
    return rows.map((r) => ({
      kind: 'survey',
      id: `${r.municipality_code}:${r.service_id}:${r.created_at.getTime()}`,
      municipalityCode: r.municipality_code,
      title: names.get(r.service_id) ?? r.service_id,
      status: 'waiting',
      // The token is only in the message the person received; from here they answer as themselves.
      url: surveyUrl(ctx, r.municipality_code, r.service_id, { channel: r.channel, lang, source: 'link' }),
      at: r.created_at.toISOString(),
      due: r.expires_at.toISOString(),
    }));
  },
};
registerPersonalItems(surveyItems);

/** Everything registered, by kind; a failing provider yields an error entry, not a failed page. */
export async function personalItems(ctx: AppContext, personId: string, lang: Lang) {
  const out: Record<string, { items: PersonalItem[]; error?: string }> = {};
  for (const p of providers.values()) {
    try {
      out[p.kind] = { items: await p.list(ctx, { personId }, lang) };
    } catch (err) {
      ctx.log.warn({ err, kind: p.kind }, 'personal items provider failed');
      out[p.kind] = { items: [], error: 'unavailable' };
    }
  }
  return out;
}

/**
 * What is open now in a municipality, for anybody (home page, "Minu vald"): open votes and calls
 * for ideas, live and coming council sittings. Modules add theirs with `registerOpenItems`.
 */
export interface OpenItemsProvider {
  kind: PersonalItemKind;
  list(ctx: AppContext, municipalityCode: string, lang: Lang): Promise<PersonalItem[]>;
}
const openProviders = new Map<string, OpenItemsProvider>();
export function registerOpenItems(p: OpenItemsProvider) {
  openProviders.set(p.kind, p);
}

type Kinds = Record<string, { items: PersonalItem[]; error?: string }>;

/**
 * "What is open for me now" in one answer: the person's own items (when logged in) and what is
 * open in the municipality (when one is given), each kind from its module; a failing kind is an
 * error entry, never a failed page.
 */
export async function openNow(
  ctx: AppContext,
  personId: string | null,
  municipalityCode: string | null,
  lang: Lang,
): Promise<{ municipalityCode: string | null; mine: Kinds | null; open: Kinds }> {
  const open: Kinds = {};
  const [mine] = await Promise.all([
    personId ? personalItems(ctx, personId, lang) : Promise.resolve(null),
    ...[...openProviders.values()].map(async (p) => {
      if (!municipalityCode) return;
      try {
        open[p.kind] = { items: await p.list(ctx, municipalityCode, lang) };
      } catch (err) {
        ctx.log.warn({ err, kind: p.kind }, 'open items provider failed');
        open[p.kind] = { items: [], error: 'unavailable' };
      }
    }),
  ]);
  return { municipalityCode, mine, open };
}
