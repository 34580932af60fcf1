import type { PersonActor } from '../../platform/auth/actor';
import { myVotes } from '../participation';
import { myReports } from '../reports';
import { registerPersonalItems } from './personalItems';

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

registerPersonalItems({
  kind: 'vote',
  async list(ctx, person) {
    const votes = await myVotes(ctx, asPerson(person.personId));
    return votes.map((v) => ({
      kind: 'vote',
      id: v.id,
      municipalityCode: v.municipalityCode,
      title: v.title,
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
