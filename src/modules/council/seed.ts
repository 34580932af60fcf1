import type { AppContext } from '../../platform/context';
import type { SeedOptions } from '../../platform/module';
import type { PersonActor } from '../../platform/auth/actor';
import { prng } from '../../platform/demo/population';
import { inScope } from '../../platform/db/database';

import { addFaction, createCouncil } from './createCouncil';
import { addMember, setOffice } from './addMember';
import { changeMandate } from './changeMandate';
import { changeSittingStatus, createSitting } from './sittings';
import { addAgendaItem } from './editAgenda';
import { markAttendance, registerOwnAttendance } from './attendance';
import { declareRecusal } from './declareRecusal';
import { startVote } from './startVote';
import { castBallot } from './castBallot';
import { closeVote } from './closeVote';
import { generateMinutes, signMinutes } from './minutes';

export const DEMO_COUNCIL_MUNICIPALITY = '0171'; // Elva vald
const SEATS = 21;
const FACTIONS = ['Valimisliit Elva Heaks', 'Kodukandi Ühendus', 'Roheline Tulevik', 'Valimisliit Ühine Vald'];

const actorOf = (personId: string, code: string, roles: PersonActor['roles'] = []): PersonActor => ({
  kind: 'person',
  personId,
  givenName: null,
  familyName: null,
  birthDate: '1970-01-01',
  idCodeMasked: '',
  roles: roles.length ? roles : [{ municipalityCode: code, role: 'council_member' }],
  acr: 'high',
});

/** The next Thursday at 17:00 Tallinn time (15:00 UTC in winter) at least two days ahead. */
function nextThursday(now: Date): Date {
  const d = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 2, 15, 0, 0));
  while (d.getUTCDay() !== 4) d.setUTCDate(d.getUTCDate() + 1);
  return d;
}

/**
 * Elva vald's council: 21 members in four factions (chair and vice-chair), substitutes, one
 * suspended mandate with its substitute in the seat; a sitting held today with open votes, a
 * recusal, a secret election and signed minutes (so the archive has content); and a scheduled
 * sitting with its published agenda.
 */
export async function seedCouncilDemo(ctx: AppContext, opts: SeedOptions) {
  const code = DEMO_COUNCIL_MUNICIPALITY;
  const adminId = opts.officials[code]?.admin;
  const secretaryId = opts.officials[code]?.editor ?? adminId;
  if (!adminId || !secretaryId) return;
  const admin = actorOf(adminId, code, [{ municipalityCode: code, role: 'admin' }]);
  const secretary = actorOf(secretaryId, code, [{ municipalityCode: code, role: 'editor' }]);
  const officials = new Set(Object.values(opts.officials[code] ?? {}));
  const adults = opts.population.filter(
    (p) =>
      p.residence.municipalityCode === code && Number(p.birthDate.slice(0, 4)) < 1990 && !officials.has(p.personId),
  );
  if (adults.length < SEATS + 8) return;
  const rand = prng(opts.seed + 171);
  const now = ctx.now();
  const termStart = `${now.getUTCFullYear() - (now.getUTCMonth() < 10 ? 1 : 0)}-10-20`;

  const council = await createCouncil(ctx, admin, code, { name: 'Elva Vallavolikogu', seats: SEATS, termStart });
  const factions: string[] = [];
  for (const name of FACTIONS) factions.push((await addFaction(ctx, admin, code, council.id, name)).id);
  const members: { id: string; personId: string }[] = [];
  for (let i = 0; i < SEATS; i++) {
    const p = adults[i]!;
    const factionId = factions[Math.floor(rand() * factions.length)]!;
    members.push(await addMember(ctx, admin, code, council.id, { idCode: p.idCode, kind: 'elected', factionId }));
  }
  const substitutes: { id: string; personId: string }[] = [];
  for (let i = 0; i < 8; i++) {
    const p = adults[SEATS + i]!;
    substitutes.push(
      await addMember(ctx, admin, code, council.id, {
        idCode: p.idCode,
        kind: 'substitute',
        factionId: factions[i % factions.length]!,
      }),
    );
  }
  await setOffice(ctx, admin, code, council.id, members[0]!.id, 'chair');
  await setOffice(ctx, admin, code, council.id, members[1]!.id, 'vice_chair');
  // One member became a municipal official: mandate suspended, the first substitute of the list steps in.
  const suspended = await changeMandate(ctx, admin, code, council.id, members[SEATS - 1]!.id, { action: 'suspend' });
  const chair = actorOf(members[0]!.personId, code);
  const acting = members.slice(0, SEATS - 1).map((m) => ({ ...m, actor: actorOf(m.personId, code) }));
  if (suspended.substituteMemberId) {
    const s = substitutes.find((x) => x.id === suspended.substituteMemberId)!;
    acting.push({ ...s, actor: actorOf(s.personId, code) });
  }

  // A sitting held today (so that the archive, a member's record and signed minutes exist).
  const held = await createSitting(ctx, admin, code, council.id, {
    title: 'Volikogu korraline istung',
    format: 'hybrid',
    startsAt: new Date(now.getTime() - 2 * 3600_000).toISOString(),
    place: 'Elva vallamaja, Kesk 32, Elva',
    link: 'https://istung.elva.example/volikogu',
    secretaryId,
  });
  const budget = await addAgendaItem(ctx, admin, code, held.id, {
    title: 'Elva valla 2027. aasta eelarve esimene lugemine',
    description: 'Vallavalitsus esitab eelarve eelnõu esimeseks lugemiseks.',
    draftDecision: 'Lõpetada Elva valla 2027. aasta eelarve eelnõu esimene lugemine.',
    rapporteur: 'vallavanem',
    kind: 'decision',
    majority: { kind: 'cast' },
  });
  const detail = await addAgendaItem(ctx, admin, code, held.id, {
    title: 'Detailplaneeringu kehtestamine (Rõngu alevik, Pargi tn 4)',
    draftDecision: 'Kehtestada Rõngu aleviku Pargi tn 4 detailplaneering.',
    rapporteur: 'planeeringuspetsialist',
    kind: 'decision',
    majority: { kind: 'composition' },
  });
  const election = await addAgendaItem(ctx, admin, code, held.id, {
    title: 'Revisjonikomisjoni esimehe valimine',
    kind: 'election',
    majority: { kind: 'cast' },
    candidates: [adults[6]!, adults[9]!].map((p) => ({ name: `${p.givenName} ${p.familyName}`, personId: p.personId })),
  });
  await changeSittingStatus(ctx, admin, code, held.id, 'publish');
  await changeSittingStatus(ctx, chair, code, held.id, 'open');
  const attending = acting.slice(0, 17);
  for (const [i, m] of attending.entries()) {
    if (i % 3 === 0) await markAttendance(ctx, secretary, code, held.id, m.id, { present: true, mode: 'room' });
    else
      await registerOwnAttendance(ctx, m.actor, code, held.id, {
        present: true,
        mode: i % 3 === 1 ? 'online' : 'room',
      });
  }
  await declareRecusal(ctx, attending[5]!.actor, code, held.id, detail.id, {
    reason: 'Lähisugulane on planeeringu huvitatud isik',
  });
  const choices = ['for', 'for', 'for', 'against', 'abstain'];
  for (const item of [budget, detail]) {
    const vote = await startVote(ctx, chair, code, held.id, { itemId: item.id });
    for (const [i, m] of attending.entries()) {
      if (item === detail && i === 5) continue; // recused
      if (i === 16) continue; // did not vote
      await castBallot(ctx, m.actor, code, vote.id, choices[Math.floor(rand() * choices.length)]!);
    }
    await closeVote(ctx, chair, code, vote.id);
  }
  const secret = await startVote(ctx, chair, code, held.id, { itemId: election.id });
  const cands = await candidateIds(ctx, code, secret.id);
  for (const [i, m] of attending.entries()) {
    await castBallot(ctx, m.actor, code, secret.id, i % 4 === 3 ? 'abstain' : cands[i % 5 < 3 ? 0 : 1]!);
  }
  await closeVote(ctx, chair, code, secret.id);
  await changeSittingStatus(ctx, chair, code, held.id, 'close');
  const minutes = await generateMinutes(ctx, secretary, code, held.id);
  await signMinutes(ctx, chair, code, held.id, { as: 'chair', sha256: minutes.sha256 });
  await signMinutes(ctx, secretary, code, held.id, { as: 'secretary', sha256: minutes.sha256 });

  // The next sitting, scheduled and published.
  const next = await createSitting(ctx, admin, code, council.id, {
    title: 'Volikogu korraline istung',
    format: 'hybrid',
    startsAt: nextThursday(now).toISOString(),
    place: 'Elva vallamaja, Kesk 32, Elva',
    link: 'https://istung.elva.example/volikogu',
    secretaryId,
  });
  await addAgendaItem(ctx, admin, code, next.id, {
    title: 'Elva valla 2027. aasta eelarve vastuvõtmine',
    draftDecision: 'Võtta vastu Elva valla 2027. aasta eelarve.',
    rapporteur: 'vallavanem',
    kind: 'decision',
    majority: { kind: 'composition' },
  });
  await addAgendaItem(ctx, admin, code, next.id, {
    title: 'Vallavara võõrandamine enampakkumisel',
    draftDecision: 'Võõrandada kinnistu avalikul enampakkumisel.',
    kind: 'decision',
    majority: { kind: 'cast' },
  });
  await addAgendaItem(ctx, admin, code, next.id, {
    title: 'Volikogu aseesimehe valimine',
    kind: 'election',
    majority: { kind: 'composition' },
    candidates: [adults[2]!, adults[11]!].map((p) => ({
      name: `${p.givenName} ${p.familyName}`,
      personId: p.personId,
    })),
  });
  await addAgendaItem(ctx, admin, code, next.id, {
    title: 'Ametisse nimetamise küsimus',
    kind: 'decision',
    isPublic: false,
    majority: { kind: 'qualified', num: 2, den: 3, base: 'composition' },
  });
  await changeSittingStatus(ctx, admin, code, next.id, 'publish');
  opts.log(`  council of Elva vald: ${SEATS} seats, sitting no. 1 held with minutes, sitting no. 2 on ${next.id}`);
}

async function candidateIds(ctx: AppContext, code: string, voteId: string): Promise<string[]> {
  return inScope(ctx.db, { tenant: code }, async (t) =>
    (
      await t
        .selectFrom('council_vote_candidate as vc')
        .innerJoin('council_candidate as cd', (j) =>
          j.onRef('cd.municipality_code', '=', 'vc.municipality_code').onRef('cd.id', '=', 'vc.candidate_id'),
        )
        .select('cd.id')
        .where('vc.vote_id', '=', voteId)
        .orderBy('cd.position')
        .execute()
    ).map((r) => r.id),
  );
}
