import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Actor, PersonActor, RoleGrant } from '../../src/platform/auth/actor';
import { ANONYMOUS } from '../../src/platform/auth/actor';
import { Problem } from '../../src/platform/http/problems';
import * as officials from '../../src/platform/auth/officials';
import * as access from '../../src/modules/access/policy';
import * as ballotBox from '../../src/modules/ballotBox/policy';
import * as community from '../../src/modules/community/policy';
import * as council from '../../src/modules/council/policy';
import * as hub from '../../src/modules/hub/policy';
import * as notifications from '../../src/modules/notifications/policy';
import * as opendata from '../../src/modules/opendata/policy';
import * as participation from '../../src/modules/participation/policy';
import * as programme from '../../src/modules/programme/policy';
import * as register from '../../src/modules/register/policy';
import * as reports from '../../src/modules/reports/policy';
import * as services from '../../src/modules/services/policy';
import * as verifiable from '../../src/modules/verifiable/policy';

/**
 * Every named capability of every module's policy, as a table: for each, which of these people may
 * do it in Tartu (0793). A capability that changes who may act changes this table on purpose.
 *
 *   anon      nobody logged in            resident  a person without roles
 *   member    council member of Tartu     analyst   analyst of Tartu
 *   editor    editor of Tartu             admin     admin of Tartu
 *   elva      admin of Elva (another municipality)
 *   elvlEd    editor of ELVL (0000)       platform  admin of ELVL = platform admin
 */
const TARTU = '0793';
const person = (roles: [string, RoleGrant['role']][]): PersonActor => ({
  kind: 'person',
  personId: '00000000-0000-4000-8000-000000000001',
  givenName: 'Test',
  familyName: 'Person',
  birthDate: '1980-01-01',
  idCodeMasked: '380010',
  roles: roles.map(([municipalityCode, role]) => ({ municipalityCode, role })),
  acr: 'high',
});
const actors: Record<string, Actor> = {
  anon: ANONYMOUS,
  resident: person([]),
  member: person([[TARTU, 'council_member']]),
  analyst: person([[TARTU, 'analyst']]),
  editor: person([[TARTU, 'editor']]),
  admin: person([[TARTU, 'admin']]),
  elva: person([['0171', 'admin']]),
  elvlEd: person([['0000', 'editor']]),
  platform: person([['0000', 'admin']]),
};

/** Who passes: the names above, space-separated. */
const expected: Record<string, string> = {
  'officials.isOfficial': 'analyst editor admin elva elvlEd platform',
  'officials.requireOfficial': 'analyst editor admin elva elvlEd platform',
  'officials.requireElvlEditor': 'elvlEd platform',
  'officials.isElvlEditor': 'elvlEd platform',
  'access.canAdministerRoles': 'admin platform',
  'access.canReadAudit': 'admin platform',
  'ballotBox.canSetRetention': 'admin platform',
  'ballotBox.canSeeRetention': 'analyst editor admin platform',
  'community.requireOrganiser': 'elvlEd platform',
  'community.isOrganiser': 'elvlEd platform',
  'council.canManageCouncil': 'editor admin platform',
  'council.isCouncilManager': 'editor admin platform',
  'hub.requireAuthor': 'editor admin elva elvlEd platform',
  'hub.requireTrackerEditor': 'editor admin platform',
  'hub.requireTrackerReader': 'analyst editor admin platform',
  'hub.canSeeNamedOverview': 'elvlEd platform',
  'hub.requireCatalogueAdmin': 'platform',
  'notifications.requireSelf': 'resident member analyst editor admin elva elvlEd platform',
  'opendata.canRead': 'analyst editor admin platform',
  'opendata.canEdit': 'editor admin platform',
  'opendata.canAdminister': 'admin platform',
  'participation.canManageVotes': 'editor admin platform',
  'participation.canFollowVotes': 'analyst editor admin platform',
  'participation.seesUnpublishedResults': 'analyst editor admin platform',
  'programme.canReadPlan': 'analyst editor admin elva elvlEd platform',
  'programme.canEditPlan': 'elvlEd platform',
  'register.canDefineElectorates': 'editor admin platform',
  'register.canViewElectorates': 'analyst editor admin platform',
  'register.canReadVoterList': 'editor admin platform',
  'register.canReadRegisterLog': 'admin platform',
  'register.canImportExtract': 'admin platform',
  // Full ID codes in the register log: the municipality's own admins only, not ELVL's.
  'register.seesFullIdCodes': 'admin',
  'reports.canHandle': 'editor admin platform',
  'reports.canConfigure': 'admin platform',
  'reports.canAnalyse': 'analyst editor admin platform',
  'reports.isHandler': 'editor admin platform',
  'services.canEditCatalogue': 'editor admin platform',
  'services.canReadCatalogue': 'analyst editor admin platform',
  'services.canReadSatisfaction': 'analyst editor admin platform',
  'services.canTriggerSurveys': 'editor admin platform',
  'services.canReadNational': 'elvlEd platform',
  'verifiable.canManage': 'editor admin platform',
};

const policies: Record<string, Record<string, unknown>> = {
  officials,
  access,
  ballotBox,
  community,
  council,
  hub,
  notifications,
  opendata,
  participation,
  programme,
  register,
  reports,
  services,
  verifiable,
};
/** Capabilities that take something other than (actor, municipality): tested in their modules. */
const elsewhere = new Set([
  'officials.homeMunicipality',
  'community.canSeeEvent',
  // The sitting's chair, secretary and members: src/modules/council/policy.test.ts.
  'council.operatorOf',
  'council.requireOperator',
  'council.requireActingMember',
  'council.seesUnpublishedSitting',
  'council.isInsider',
  'council.canEditAgenda',
  'council.canRecordRecusalOf',
  'opendata.privateReadable',
  'opendata.governanceRolesOf',
  'opendata.canPublish', // reads the governance roles in the database: opendata's own tests
  'hub.OFFICIAL_ROLES',
  'hub.isOfficial',
  'hub.requireOfficial',
  'hub.homeMunicipality',
  'hub.requireElvlEditor',
  'hub.isElvlEditor',
]);

/** Passes = returns something other than false; refuses = false, or a 401/403 problem. */
function passes(fn: (actor: Actor, code: string) => unknown, actor: Actor): boolean {
  try {
    return fn(actor, TARTU) !== false;
  } catch (err) {
    if (err instanceof Problem && (err.kind.status === 401 || err.kind.status === 403)) return false;
    throw err;
  }
}

test('every capability of every policy allows exactly the people its table names (Tartu)', () => {
  const seen: string[] = [];
  for (const [module, exports] of Object.entries(policies)) {
    for (const [name, value] of Object.entries(exports)) {
      const key = `${module}.${name}`;
      if (typeof value !== 'function' || elsewhere.has(key)) continue;
      seen.push(key);
      assert.ok(key in expected, `${key} is a new capability: add its row to the table`);
      const got = Object.keys(actors)
        .filter((a) => passes(value as (actor: Actor, code: string) => unknown, actors[a]!))
        .join(' ');
      assert.equal(got, expected[key], `${key}: who may`);
    }
  }
  assert.deepEqual(
    Object.keys(expected).filter((k) => !seen.includes(k)),
    [],
    'rows without a capability',
  );
});

test('nobody anonymous passes any capability, and another municipality’s admin never acts in Tartu', () => {
  for (const [key, who] of Object.entries(expected)) {
    assert.ok(!who.split(' ').includes('anon'), key);
    // Capabilities for officials of any municipality (the hub, the plan) are the only ones Elva's admin passes.
    const anyMunicipality = [
      'officials.isOfficial',
      'officials.requireOfficial',
      'hub.requireAuthor',
      'programme.canReadPlan',
      'notifications.requireSelf', // one's own settings: anybody logged in
    ];
    if (!anyMunicipality.includes(key)) assert.ok(!who.split(' ').includes('elva'), key);
  }
});
