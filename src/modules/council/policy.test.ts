import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Actor, PersonActor, RoleGrant } from '../../platform/auth/actor';
import { ANONYMOUS } from '../../platform/auth/actor';
import { Problem } from '../../platform/http/problems';
import * as policy from './policy';
import { CP } from './problems';

/**
 * The council's capabilities that weigh a sitting's facts, as a table: who of these people passes,
 * in Tartu (0793). The roles-only capabilities are rows of test/policy/policies.test.ts.
 *
 *   anon       nobody logged in               resident   a person without roles or mandate
 *   member     an acting council member       suspended  a member whose mandate is suspended
 *   chair      the member presiding           secretary  the official keeping the minutes
 *   editor     editor of Tartu (a manager)    elva       admin of Elva (another municipality)
 */
const TARTU = '0793';
const person = (n: number, roles: [string, RoleGrant['role']][] = []): PersonActor => ({
  kind: 'person',
  personId: `00000000-0000-4000-8000-00000000000${n}`,
  givenName: 'Test',
  familyName: 'Person',
  birthDate: '1980-01-01',
  idCodeMasked: '380010',
  roles: roles.map(([municipalityCode, role]) => ({ municipalityCode, role })),
  acr: 'high',
});
const chairP = person(3, [[TARTU, 'council_member']]);
const secretaryP = person(4);
/** Each person with the facts access.ts would load about them for the sitting. */
const people: Record<string, { actor: Actor; standing: policy.Standing }> = {
  anon: { actor: ANONYMOUS, standing: { operator: null, mandate: null } },
  resident: { actor: person(1), standing: { operator: null, mandate: null } },
  member: { actor: person(2, [[TARTU, 'council_member']]), standing: { operator: null, mandate: 'active' } },
  suspended: { actor: person(5, [[TARTU, 'council_member']]), standing: { operator: null, mandate: 'suspended' } },
  chair: { actor: chairP, standing: { operator: 'chair', mandate: 'active' } },
  secretary: { actor: secretaryP, standing: { operator: 'secretary', mandate: null } },
  editor: { actor: person(6, [[TARTU, 'editor']]), standing: { operator: null, mandate: null } },
  elva: { actor: person(7, [['0171', 'admin']]), standing: { operator: null, mandate: null } },
};
const member = (m: policy.Standing['mandate']) => (m ? { status: m } : undefined);

/** Who passes: the names above, space-separated. */
const table: [string, (actor: Actor, s: policy.Standing) => unknown, string][] = [
  ['requireOperator', (a, s) => policy.requireOperator(a, s.operator), 'chair secretary'],
  ['requireActingMember', (a, s) => policy.requireActingMember(a, member(s.mandate)), 'member chair'],
  ['seesUnpublishedSitting', (a, s) => policy.seesUnpublishedSitting(a, TARTU, s.operator), 'chair secretary editor'],
  ['isInsider', (a, s) => policy.isInsider(a, TARTU, s), 'member chair secretary editor'],
  ['canEditAgenda (draft)', (a, s) => policy.canEditAgenda(a, TARTU, false, s.operator), 'editor'],
  ['canEditAgenda (open)', (a, s) => policy.canEditAgenda(a, TARTU, true, s.operator), 'chair secretary editor'],
  ['canRecordRecusalOf (another)', (a, s) => policy.canRecordRecusalOf(a, false, s.operator), 'chair secretary'],
  [
    'canRecordRecusalOf (own)',
    (a, s) => policy.canRecordRecusalOf(a, s.mandate === 'active', s.operator),
    'member chair secretary',
  ],
];

/** Passes = returns something other than false; refuses = false, or a 401/403 problem. */
function passes(fn: () => unknown): boolean {
  try {
    return fn() !== false;
  } catch (err) {
    if (err instanceof Problem && (err.kind.status === 401 || err.kind.status === 403)) return false;
    throw err;
  }
}

test('each capability of a sitting allows exactly the people its row names', () => {
  for (const [name, fn, who] of table) {
    const got = Object.entries(people)
      .filter(([, p]) => passes(() => fn(p.actor, p.standing)))
      .map(([k]) => k)
      .join(' ');
    assert.equal(got, who, name);
  }
});

test('the operator is the presiding member with an active mandate, or the secretary; refusals name why', () => {
  const sitting = { secretary_id: secretaryP.personId };
  const presiding = { person_id: chairP.personId, status: 'active' };
  assert.equal(policy.operatorOf(chairP, sitting, presiding), 'chair');
  assert.equal(policy.operatorOf(chairP, sitting, { ...presiding, status: 'suspended' }), null);
  assert.equal(policy.operatorOf(secretaryP, sitting, presiding), 'secretary');
  assert.equal(policy.operatorOf(people.member!.actor, sitting, presiding), null);
  assert.equal(policy.operatorOf(ANONYMOUS, { secretary_id: null }, undefined), null);
  assert.throws(
    () => policy.requireOperator(people.member!.actor, null),
    (e: Problem) => e.kind === CP.notOperator,
  );
  assert.throws(
    () => policy.requireActingMember(people.suspended!.actor, { status: 'suspended' }),
    (e: Problem) => e.kind === CP.notAMember && /suspended/.test(e.detail),
  );
});
