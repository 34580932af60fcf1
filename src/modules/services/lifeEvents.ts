import type { AppContext } from '../../platform/context';
import { Problem } from '../../platform/http/problems';
import { inScope } from '../../platform/db/database';
import { LIFE_EVENTS, lifeEventByCode, pick, stateServiceById, type Lang } from './reference';
import { P_SERVICES } from './rules';
import { listServiceRows, type ServiceRow } from './store';
import { PUBLIC_STATUSES } from './readServices';
import { requireMunicipality } from './coverage';

export function requireLifeEvent(code: string) {
  const ev = lifeEventByCode.get(code);
  if (!ev) throw new Problem(P_SERVICES.unknownLifeEvent, `There is no life or business event "${code}"`);
  return ev;
}

const brief = (r: ServiceRow, lang: Lang) => ({
  id: r.id,
  identifier: r.identifier,
  name: pick(r.data.name, lang),
  description: pick(r.data.description, lang),
  channels: r.data.channels.map((c) => ({ type: c.type, address: c.address })),
  status: r.status,
});

/** The life events with how many of the municipality's services belong to each. */
export async function listLifeEvents(ctx: AppContext, municipalityCode: string, lang: Lang) {
  await requireMunicipality(ctx, municipalityCode);
  const rows = await inScope(ctx.db, { tenant: municipalityCode }, (trx) =>
    listServiceRows(trx, municipalityCode, { statuses: PUBLIC_STATUSES }),
  );
  return LIFE_EVENTS.map((e) => ({
    code: e.code,
    kind: e.kind,
    origin: e.origin,
    name: pick(e.name, lang),
    description: pick(e.description, lang),
    municipalServices: rows.filter((r) => r.data.lifeEvents.some((l) => l.code === e.code)).length,
    stateServices: new Set(e.steps.flatMap((s) => s.stateServices)).size,
  }));
}

/**
 * A life-event page for a municipality: the event's steps in order; in each step the
 * municipality's services (in use) that belong to it, by name, and the state services of the step
 * — those of the event's reference plus those the step's municipal services relate to. Municipal
 * services of the event without a step come last, under "more".
 */
export async function lifeEventPage(ctx: AppContext, municipalityCode: string, eventCode: string, lang: Lang) {
  const ev = requireLifeEvent(eventCode);
  const municipality = await requireMunicipality(ctx, municipalityCode);
  const rows = await inScope(ctx.db, { tenant: municipalityCode }, (trx) =>
    listServiceRows(trx, municipalityCode, { statuses: PUBLIC_STATUSES, lifeEvent: eventCode }),
  );
  const collator = new Intl.Collator(lang === 'ru' ? 'ru' : lang === 'en' ? 'en' : 'et');
  const stepOf = (r: ServiceRow) => r.data.lifeEvents.find((l) => l.code === eventCode)?.step;
  const steps = ev.steps.map((s, i) => {
    const municipal = rows
      .filter((r) => stepOf(r) === i + 1)
      .sort((a, b) => collator.compare(pick(a.data.name, lang), pick(b.data.name, lang)));
    const stateIds = [...s.stateServices];
    for (const r of municipal) for (const l of r.data.stateServices) if (!stateIds.includes(l.id)) stateIds.push(l.id);
    const linked = new Map(municipal.flatMap((r) => r.data.stateServices).map((l) => [l.id, l]));
    return {
      step: i + 1,
      title: pick(s.title, lang),
      municipalServices: municipal.map((r) => brief(r, lang)),
      stateServices: stateIds.map((id) => {
        const ref = stateServiceById.get(id);
        const l = linked.get(id);
        return {
          id,
          name: ref ? pick(ref.name, lang) : (l?.name ?? id),
          provider: ref?.provider ?? null,
          url: ref?.url ?? l?.url ?? '',
        };
      }),
    };
  });
  const more = rows
    .filter((r) => stepOf(r) === undefined)
    .sort((a, b) => collator.compare(pick(a.data.name, lang), pick(b.data.name, lang)));
  return {
    event: {
      code: ev.code,
      kind: ev.kind,
      origin: ev.origin,
      name: pick(ev.name, lang),
      description: pick(ev.description, lang),
    },
    municipality: { code: municipality.code, name: municipality.name },
    steps,
    more: more.map((r) => brief(r, lang)),
  };
}
