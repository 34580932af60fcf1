import type { PersonActor } from '../../platform/auth/actor';
import { pickText } from '../../platform/language/translations';
import { myVotes, openVotesIn } from '../participation';
import { liveAndComingSittings } from '../council';
import { myEvents } from '../community';
import { myReports } from '../reports';
import { registerOpenItems, registerPersonalItems, type PersonalItem } from './personalItems';

/**
 * "Minu vald" items of the neighbouring modules, through their public functions: the votes a
 * person may take part in (participation, `myVotes`) and their own reports with statuses (Anna
 * Teada, `myReports`). The links point to the residents' pages those modules serve
 * (`/haaletused/{code}/{id}`, `/teated/{id}`); a module that serves them elsewhere registers its
 * own provider of the same kind, which replaces this one.
 */
const asPerson = (personId: string): PersonActor => ({
  kind: 'person',
  personId,
  givenName: null,
  familyName: null,
  birthDate: '1900-01-01',
  idCodeMasked: '',
  roles: [],
  acr: null,
});

/** A vote's (or an event's) title in the asked language, or the Estonian one flagged as such. */
function voteTitle(v: { title: string; translations: { title?: { ru?: string; en?: string } } }, lang: string) {
  const p = pickText(lang, v.title, v.translations.title);
  return { title: p.text, ...(p.untranslated ? { untranslated: true } : {}) };
}

registerPersonalItems({
  kind: 'vote',
  async list(ctx, person, lang) {
    const votes = await myVotes(ctx, asPerson(person.personId));
    return votes.map((v) => ({
      kind: 'vote',
      id: v.id,
      municipalityCode: v.municipalityCode,
      ...voteTitle(v, lang),
      status: v.voted ? 'voted' : String(v.phase ?? v.status),
      url: `${ctx.config.publicUrl}/haaletused/${v.municipalityCode}/${v.id}`,
      at: v.opensAt ?? null,
      due: v.closesAt ?? null,
    }));
  },
});

registerPersonalItems({
  kind: 'report',
  async list(ctx, person) {
    const reports = await myReports(ctx, asPerson(person.personId));
    return reports.map((r) => ({
      kind: 'report',
      id: String(r.id),
      municipalityCode: r.municipalityCode,
      title: r.description,
      status: r.status,
      url: `${ctx.config.publicUrl}/teated/${r.id}`,
      at: r.createdAt,
      due: null,
    }));
  },
});

/** Community events the person registered for (or waits for a place at) that have not ended. */
registerPersonalItems({
  kind: 'event',
  async list(ctx, person, lang) {
    const { registrations } = await myEvents(ctx, asPerson(person.personId));
    const now = ctx.now().getTime();
    return registrations
      .filter((r) => r.eventStatus !== 'cancelled' && Date.parse(r.endsAt) >= now)
      .map((r): PersonalItem => ({
        kind: 'event',
        id: r.eventId,
        municipalityCode: '0000',
        ...voteTitle(r, lang),
        status: r.status,
        url: `${ctx.config.publicUrl}/uritused/${r.eventId}`,
        at: r.startsAt,
        due: null,
      }));
  },
});

/** Open now in a municipality: votes open or collecting ideas/nominations. */
registerOpenItems({
  kind: 'vote',
  async list(ctx, code, lang) {
    return (await openVotesIn(ctx, code)).map((v) => ({
      kind: 'vote',
      id: v.id,
      municipalityCode: v.municipalityCode,
      ...voteTitle(v, lang),
      status: v.phase,
      url: `${ctx.config.publicUrl}/haaletused/${v.municipalityCode}/${v.id}`,
      at: v.opensAt,
      due: v.phase === 'proposals' ? v.proposalsCloseAt : v.closesAt,
    }));
  },
});

/** Council sittings live now or in the next two weeks. */
registerOpenItems({
  kind: 'sitting',
  async list(ctx, code) {
    return (await liveAndComingSittings(ctx, code)).map((s) => ({
      kind: 'sitting',
      id: s.id,
      municipalityCode: code,
      title: s.title,
      status: s.live ? 'live' : 'coming',
      url: `${ctx.config.publicUrl}/volikogu/${code}/istung/${s.id}`,
      at: s.startsAt,
      due: null,
    }));
  },
});
