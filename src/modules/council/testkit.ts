import type { AppContext } from '../../platform/context';
import type { Anonymous, PersonActor } from '../../platform/auth/actor';
import type { Role } from '../../platform/db/tables';
import { upsertPerson } from '../../platform/auth/persons';
import { inScope } from '../../platform/db/database';
import { makeIdCode } from '../../platform/identity/personalIdCode';
import { addFaction, createCouncil } from './createCouncil';
import { addMember, setOffice } from './addMember';
import { createSitting, changeSittingStatus } from './sittings';
import { addAgendaItem } from './editAgenda';
import type { ItemInput } from './schemas';

/** Test fixtures for the council (used by the module's tests, the E2E test and the benchmark). */
let serial = 0;
export interface Person {
  id: string;
  idCode: string;
  name: string;
  actor: PersonActor;
}

export async function person(ctx: AppContext, code: string, name: string, roles: Role[] = []): Promise<Person> {
  const [givenName, familyName] = name.split(' ');
  const birthDate = `19${60 + (serial % 35)}-0${1 + (serial % 9)}-1${serial % 9}`;
  const idCode = makeIdCode(serial % 2 ? 'male' : 'female', birthDate, (process.pid * 13 + serial++ * 7) % 1000);
  const id = await upsertPerson(ctx.db, { idCode, givenName: givenName!, familyName: familyName ?? 'Test', birthDate });
  for (const role of roles) {
    await inScope(ctx.db, { tenant: code }, (trx) =>
      trx
        .insertInto('role_grant')
        .values({ municipality_code: code, person_id: id, role, granted_by: null })
        .onConflict((oc) => oc.doNothing())
        .execute(),
    );
  }
  return { id, idCode, name, actor: asActor(id, code, roles) };
}

export const anonymous: Anonymous = { kind: 'anonymous' };

export function asActor(personId: string, code: string, roles: Role[] = []): PersonActor {
  return {
    kind: 'person',
    personId,
    givenName: null,
    familyName: null,
    birthDate: '1970-01-01',
    idCodeMasked: '',
    roles: roles.map((role) => ({ municipalityCode: code, role })),
    acr: 'high',
  };
}

export interface CouncilFixture {
  code: string;
  councilId: string;
  admin: Person;
  secretary: Person;
  chair: Person & { memberId: string };
  members: (Person & { memberId: string })[];
  substitutes: (Person & { memberId: string })[];
  factionIds: string[];
}

const GIVEN = [
  'Mari',
  'Jaan',
  'Tõnu',
  'Ülle',
  'Küllike',
  'Märt',
  'Õie',
  'Šarlota',
  'Žanna',
  'Priit',
  'Kadri',
  'Andres',
  'Liis',
  'Peeter',
  'Siim',
  'Eha',
];
const FAMILY = [
  'Tamm',
  'Sepp',
  'Mägi',
  'Kõiv',
  'Pärn',
  'Jõgi',
  'Lõhmus',
  'Kask',
  'Saar',
  'Põder',
  'Rebane',
  'Ilves',
  'Org',
  'Kuusk',
  'Vaher',
  'Luik',
];

/** A council of `seats` seats, all filled (the first member chairs), plus substitutes; factions A and B. */
let councils = 0;
export async function makeCouncil(
  ctx: AppContext,
  opts: { code?: string; seats?: number; substitutes?: number; quorum?: { num: number; den: number } } = {},
): Promise<CouncilFixture> {
  const code = opts.code ?? '0171';
  // Several councils in one test database: each its own (past) term.
  const termStart = new Date(Date.UTC(2025, 9, 20) - councils++ * 7 * 86_400_000).toISOString().slice(0, 10);
  const seats = opts.seats ?? 7;
  const admin = await person(ctx, code, 'Anne Admin', ['admin']);
  const secretary = await person(ctx, code, 'Sirje Sekretär', ['editor']);
  const council = await createCouncil(ctx, admin.actor, code, {
    name: 'Testi Vallavolikogu',
    seats,
    termStart,
    ...(opts.quorum ? { quorum: opts.quorum } : {}),
  });
  const factionIds = [
    (await addFaction(ctx, admin.actor, code, council.id, 'Fraktsioon A')).id,
    (await addFaction(ctx, admin.actor, code, council.id, 'Fraktsioon B')).id,
  ];
  const members: CouncilFixture['members'] = [];
  for (let i = 0; i < seats; i++) {
    const name = `${GIVEN[i % GIVEN.length]} ${FAMILY[(i * 7 + Math.floor(i / 16)) % FAMILY.length]}${i >= 16 ? i : ''}`;
    const p = await person(ctx, code, name, []);
    const m = await addMember(ctx, admin.actor, code, council.id, {
      idCode: p.idCode,
      kind: 'elected',
      factionId: factionIds[i % 2]!,
    });
    members.push({ ...p, actor: asActor(p.id, code, ['council_member']), memberId: m.id });
  }
  const substitutes: CouncilFixture['substitutes'] = [];
  for (let i = 0; i < (opts.substitutes ?? 2); i++) {
    const p = await person(ctx, code, `Asendaja${i} Varu`, []);
    const m = await addMember(ctx, admin.actor, code, council.id, {
      idCode: p.idCode,
      kind: 'substitute',
      factionId: factionIds[i % 2]!,
    });
    substitutes.push({ ...p, actor: asActor(p.id, code, ['council_member']), memberId: m.id });
  }
  await setOffice(ctx, admin.actor, code, council.id, members[0]!.memberId, 'chair');
  return { code, councilId: council.id, admin, secretary, chair: members[0]!, members, substitutes, factionIds };
}

/** A published sitting with the given items (default: one decision by majority of votes cast). */
export async function makeSitting(
  ctx: AppContext,
  f: CouncilFixture,
  items: ItemInput[] = [{ title: 'Eelarve', kind: 'decision', majority: { kind: 'cast' } }],
  opts: { format?: 'in_person' | 'virtual' | 'hybrid'; open?: boolean } = {},
) {
  const format = opts.format ?? 'hybrid';
  const s = await createSitting(ctx, f.admin.actor, f.code, f.councilId, {
    title: 'Korraline istung',
    format,
    startsAt: new Date(Date.now() + 3600_000).toISOString(),
    place: format === 'virtual' ? null : 'Vallamaja',
    link: format === 'in_person' ? null : 'https://meet.example/volikogu',
    secretaryId: f.secretary.id,
  });
  const itemIds: string[] = [];
  for (const it of items) itemIds.push((await addAgendaItem(ctx, f.admin.actor, f.code, s.id, it)).id);
  await changeSittingStatus(ctx, f.admin.actor, f.code, s.id, 'publish');
  if (opts.open !== false) await changeSittingStatus(ctx, f.chair.actor, f.code, s.id, 'open');
  return { sittingId: s.id, itemIds };
}
