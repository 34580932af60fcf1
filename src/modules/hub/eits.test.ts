import { test } from 'node:test';
import assert from 'node:assert/strict';
import { testPlatform, makePerson, grantRole, sessionFor } from '../../../test/support/app';
import { sampleCatalogue } from './demo';
import { parseCatalogue } from './catalogue';

/** E-ITS: catalogue import and version diff, tracker progress, sharing, overview, CSV, mentors. */
const platform = await testPlatform();
const { ctx, app } = platform;
const person = async (code: string, role: 'admin' | 'editor' | 'analyst') => {
  const p = await makePerson(ctx);
  await grantRole(ctx, code, p.id, role);
  return { ...p, s: await sessionFor(ctx, p.id) };
};
const elvlAdmin = await person('0000', 'admin');
const elvlAnalyst = await person('0000', 'analyst');
const tartuAdmin = await person('0793', 'admin');
const tartuEditor = await person('0793', 'editor');
const elvaEditor = await person('0171', 'editor');
const tallinnAnalyst = await person('0784', 'analyst');
const call = (method: string, url: string, headers: Record<string, string> = {}, payload?: unknown) =>
  app.inject({
    method: method as 'GET',
    url: `/api/v1${url}`,
    headers,
    ...(payload === undefined ? {} : { payload: payload as object }),
  });

test('a malformed catalogue file is reported in full and nothing is imported', async () => {
  const doc = sampleCatalogue(2023) as any[];
  doc[0].moduleCode = 'XYZ.1';
  doc[1].measureDetails[0].groupCode = 'MEDIUM';
  delete doc[2].measureDetails[0].measures[1].measureTitle;
  doc[3].measureDetails[0].measures[0].measureCode = 'CON.3.M1';
  const res = await call('POST', '/eits/catalogue/2023', elvlAdmin.s.headers, doc);
  assert.equal(res.statusCode, 422, res.body);
  const p = res.json();
  assert.equal(p.type, '/problems/eits-catalogue-rejected');
  assert.match(p.detail, /nothing was imported/);
  const pointers = p.errors.map((e: { pointer: string }) => e.pointer);
  assert.ok(pointers.includes('/0/moduleCode'));
  assert.ok(pointers.includes('/1/measureDetails/0/groupCode'));
  assert.ok(pointers.includes('/2/measureDetails/0/measures/1/measureTitle'));
  assert.ok(pointers.includes('/3/measureDetails/0/measures/0/measureCode'));
  assert.equal(
    (await call('POST', '/eits/catalogue/2023', elvlAdmin.s.headers, { not: 'a catalogue' })).statusCode,
    422,
  );
  assert.equal(
    (await call('GET', '/eits/catalogue/versions', tartuEditor.s.headers)).json().length,
    0,
    'nothing was stored',
  );
  assert.equal(
    (await call('POST', '/eits/catalogue/2023', tartuAdmin.s.headers, sampleCatalogue(2023))).statusCode,
    403,
    'only ELVL admins import',
  );
});

test('importing a newer catalogue version shows which measures changed', async () => {
  const first = await call('POST', '/eits/catalogue/2023?source=sample', elvlAdmin.s.headers, sampleCatalogue(2023));
  assert.equal(first.statusCode, 201, first.body);
  assert.equal(first.json().measures, 27);
  assert.equal(first.json().previousVersion, null);
  const second = await call('POST', '/eits/catalogue/2024', elvlAdmin.s.headers, sampleCatalogue(2024));
  assert.equal(second.statusCode, 201, second.body);
  const d = second.json().diff;
  assert.equal(d.from, '2023');
  assert.deepEqual(
    d.added.map((x: { code: string }) => x.code),
    ['ORP.4.M23'],
  );
  assert.deepEqual(
    d.removed.map((x: { code: string }) => x.code),
    ['DER.2.1.M7'],
  );
  assert.deepEqual(d.changed, [
    { code: 'ISMS.1.M11', title: 'Infoturbe haldussüsteemi toimivuse ülevaatus', fields: ['body'] },
    { code: 'CON.3.M12', title: 'Varukoopiate krüpteerimine', fields: ['group'] },
  ]);
  assert.equal(
    (await call('POST', '/eits/catalogue/2024', elvlAdmin.s.headers, sampleCatalogue(2024))).statusCode,
    409,
  );
  const versions = (await call('GET', '/eits/catalogue/versions', tartuEditor.s.headers)).json();
  assert.deepEqual(
    versions.map((v: { version: string }) => v.version),
    ['2024', '2023'],
  );
  const cat = (await call('GET', '/eits/catalogue', tartuEditor.s.headers)).json();
  assert.equal(cat.version, '2024');
  assert.equal(cat.modules[0].code, 'ISMS.1');
});

test('tracker progress by module and layer follows statuses, applicability and the target level', async () => {
  const put = (m: string, body: unknown) =>
    call('PUT', `/municipalities/0793/eits/measures/${m}`, tartuEditor.s.headers, body);
  assert.equal(
    (
      await put('ISMS.1.M1', {
        status: 'implemented',
        responsibleRole: 'Juhtkond',
        responsiblePerson: 'Mari Maasikas',
        evidence: [{ title: 'Poliitika', url: 'https://dok.tartu.ee/poliitika' }],
      })
    ).statusCode,
    200,
  );
  await put('ISMS.1.M2', { status: 'implemented' });
  await put('ISMS.1.M3', { status: 'in_progress', dueDate: '2020-01-31' });
  const na = await put('ISMS.1.M6', { status: 'not_applicable' });
  assert.equal(na.statusCode, 400, 'not applicable needs a reason');
  assert.equal(na.json().errors[0].pointer, '/body/reason');
  assert.equal(
    (await put('ISMS.1.M6', { status: 'not_applicable', reason: 'Väike asutus, roll on juhil' })).statusCode,
    200,
  );
  assert.equal((await put('ISMS.1.M99', { status: 'implemented' })).statusCode, 404);
  assert.equal(
    (
      await call('PUT', '/municipalities/0793/eits/modules/INF.1', tartuEditor.s.headers, {
        applies: false,
        note: 'Hoone on rendipind',
      })
    ).statusCode,
    200,
  );

  const t = (await call('GET', '/municipalities/0793/eits', tartuEditor.s.headers)).json();
  const isms = t.modules.find((m: { code: string }) => m.code === 'ISMS.1');
  // Standard level: ISMS.1 has M1, M2, M3 (basic) and M6, M11 (standard) = 5; M6 not applicable.
  assert.deepEqual(isms.progress, {
    total: 5,
    notApplicable: 1,
    notStarted: 1,
    inProgress: 1,
    implemented: 2,
    percent: 50,
  });
  assert.deepEqual(t.byLayer.ISMS, isms.progress);
  assert.equal(isms.measures.find((m: { code: string }) => m.code === 'ISMS.1.M3').overdue, true);
  assert.equal(t.modules.find((m: { code: string }) => m.code === 'INF.1').applies, false);
  assert.equal(t.byLayer.INF, undefined, 'a module that does not apply does not count');
  // 2024 sample: 27 measures, none left in the high group (CON.3.M12 moved to basic), minus INF.1's 2.
  assert.equal(t.progress.total, 25);
  assert.equal(t.progress.implemented, 2);
  assert.equal(t.progress.percent, Math.round((2 / 24) * 1000) / 10);

  await call('PUT', '/municipalities/0793/eits/level', tartuEditor.s.headers, { targetLevel: 'basic' });
  const basic = (await call('GET', '/municipalities/0793/eits', tartuEditor.s.headers)).json();
  assert.deepEqual(basic.byLayer.ISMS, {
    total: 3,
    notApplicable: 0,
    notStarted: 0,
    inProgress: 1,
    implemented: 2,
    percent: 66.7,
  });
  await call('PUT', '/municipalities/0793/eits/level', tartuEditor.s.headers, { targetLevel: 'standard' });

  const audit = await call('POST', '/municipalities/0793/eits/audits', tartuEditor.s.headers, {
    auditDate: '2025-05-02',
    kind: 'external',
    auditor: 'Audiitor OÜ',
    nextAuditDue: '2027-05-01',
    findings: [
      { measureCode: 'CON.3.M5', severity: 'major', description: 'Taastetestid puuduvad', dueDate: '2025-09-01' },
    ],
  });
  assert.equal(audit.statusCode, 201, audit.body);
  const withAudit = (await call('GET', '/municipalities/0793/eits', tartuEditor.s.headers)).json();
  assert.equal(withAudit.audits[0].findings[0].severity, 'major');
  const fid = withAudit.audits[0].findings[0].id;
  assert.equal(
    (
      await call('PUT', `/municipalities/0793/eits/findings/${fid}`, tartuEditor.s.headers, { status: 'resolved' })
    ).json().status,
    'resolved',
  );
});

test('CSV export has one row per measure with status and evidence', async () => {
  const res = await call('GET', '/municipalities/0793/eits/export.csv', tartuEditor.s.headers);
  assert.equal(res.statusCode, 200);
  assert.match(res.headers['content-type'] as string, /text\/csv/);
  const lines = res.body
    .replace(/^\uFEFF/, '')
    .trim()
    .split('\r\n');
  assert.equal(lines.length, 1 + 27);
  const m1 = lines.find((l) => l.startsWith('ISMS.1,ISMS,yes,ISMS.1.M1,'))!;
  assert.match(m1, /implemented/);
  assert.match(m1, /Poliitika <https:\/\/dok\.tartu\.ee\/poliitika>/);
});

test("officials of one municipality cannot see another's tracker unless it is shared", async () => {
  assert.equal((await call('GET', '/municipalities/0793/eits', elvaEditor.s.headers)).statusCode, 403);
  assert.equal((await call('GET', '/municipalities/0793/eits/export.csv', elvaEditor.s.headers)).statusCode, 403);
  assert.equal(
    (await call('PUT', '/municipalities/0793/eits/measures/ISMS.1.M1', elvaEditor.s.headers, { status: 'not_started' }))
      .statusCode,
    403,
  );
  assert.equal(
    (await call('GET', '/municipalities/0793/eits', elvlAnalyst.s.headers)).statusCode,
    403,
    'ELVL staff see the overview, not the tracker itself',
  );
  assert.equal(
    (await call('PUT', '/municipalities/0793/eits/shares/0171', tartuEditor.s.headers)).statusCode,
    403,
    'sharing is for admins',
  );
  assert.equal((await call('PUT', '/municipalities/0793/eits/shares/0171', tartuAdmin.s.headers)).statusCode, 200);
  const shared = await call('GET', '/municipalities/0793/eits', elvaEditor.s.headers);
  assert.equal(shared.statusCode, 200);
  assert.equal(shared.json().readOnly, true);
  assert.equal(
    (await call('PUT', '/municipalities/0793/eits/measures/ISMS.1.M1', elvaEditor.s.headers, { status: 'not_started' }))
      .statusCode,
    403,
    'shared means read only',
  );
  assert.equal(
    (await call('GET', '/municipalities/0793/eits', tallinnAnalyst.s.headers)).statusCode,
    403,
    'shared with Elva only',
  );
  assert.deepEqual(
    (await call('GET', '/eits/shared-with-me', elvaEditor.s.headers))
      .json()
      .map((s: { municipalityCode: string }) => s.municipalityCode),
    ['0793'],
  );
  await call('DELETE', '/municipalities/0793/eits/shares/0171', tartuAdmin.s.headers);
  assert.equal((await call('GET', '/municipalities/0793/eits', elvaEditor.s.headers)).statusCode, 403);
});

test('the overview across municipalities: named for ELVL, anonymised for everyone else', async () => {
  await call('PUT', '/municipalities/0171/eits/measures/ISMS.1.M1', elvaEditor.s.headers, { status: 'in_progress' });
  assert.equal((await call('GET', '/eits/overview?anonymise=false', tallinnAnalyst.s.headers)).statusCode, 403);
  const named = (await call('GET', '/eits/overview?anonymise=false', elvlAnalyst.s.headers)).json();
  assert.deepEqual(
    named.municipalities.map((m: { municipalityCode: string }) => m.municipalityCode),
    ['0793', '0171'],
  );
  const anon = (await call('GET', '/eits/overview', tallinnAnalyst.s.headers)).json();
  assert.equal(anon.anonymised, true);
  assert.deepEqual(
    anon.municipalities.map((m: { name: string; municipalityCode: null }) => [m.name, m.municipalityCode]),
    [
      ['KOV 1', null],
      ['KOV 2', null],
    ],
  );
  assert.ok(!JSON.stringify(anon).includes('Tartu') && !JSON.stringify(anon).includes('0793'));
  assert.equal(anon.municipalities[0].progress.percent, named.municipalities[0].progress.percent);
});

test('mentor network: offer, request, suggestions, match, accept, sessions, complete', async () => {
  const offer = await call('POST', '/mentors/offers', tartuAdmin.s.headers, {
    eitsModules: ['ISMS.1', 'CON.3'],
    description: 'Kogemus',
    capacity: 1,
  });
  assert.equal(offer.statusCode, 201, offer.body);
  const req = await call('POST', '/mentors/requests', elvaEditor.s.headers, {
    municipalityCode: '0171',
    eitsModules: ['CON.3'],
    description: 'Abi varundusega',
  });
  assert.equal(req.statusCode, 201);
  assert.equal(
    (
      await call('POST', '/mentors/requests', elvaEditor.s.headers, {
        municipalityCode: '0793',
        eitsModules: ['CON.3'],
        description: 'x',
      })
    ).statusCode,
    403,
  );
  const id = req.json().id;
  const suggestions = (await call('GET', `/mentors/requests/${id}/suggestions`, elvaEditor.s.headers)).json();
  assert.equal(suggestions[0].id, offer.json().id);
  assert.deepEqual(suggestions[0].overlap, ['CON.3']);
  assert.equal(
    (await call('POST', `/mentors/requests/${id}/accept`, elvaEditor.s.headers, {})).statusCode,
    409,
    'nothing to accept yet',
  );
  assert.equal(
    (await call('POST', `/mentors/requests/${id}/match`, elvaEditor.s.headers, { offerId: offer.json().id }))
      .statusCode,
    403,
    'the requester does not pick for the mentor',
  );
  assert.equal(
    (await call('POST', `/mentors/requests/${id}/match`, tartuAdmin.s.headers, { offerId: offer.json().id })).json()
      .status,
    'matched',
  );
  // The mentor's capacity of one is now used.
  const other = (
    await call('POST', '/mentors/requests', tallinnAnalyst.s.headers, {
      municipalityCode: '0784',
      eitsModules: ['ISMS.1'],
      description: 'Abi',
    })
  ).json();
  assert.equal(
    (await call('POST', `/mentors/requests/${other.id}/match`, elvlAdmin.s.headers, { offerId: offer.json().id }))
      .statusCode,
    409,
  );
  assert.equal(
    (
      await call('POST', `/mentors/requests/${id}/sessions`, tartuAdmin.s.headers, {
        heldOn: '2025-03-01',
        minutes: 60,
      })
    ).statusCode,
    409,
    'sessions after acceptance',
  );
  assert.equal(
    (await call('POST', `/mentors/requests/${id}/accept`, elvaEditor.s.headers, {})).json().status,
    'in_progress',
  );
  assert.equal(
    (
      await call('POST', `/mentors/requests/${id}/sessions`, tartuAdmin.s.headers, {
        heldOn: '2025-03-01',
        minutes: 60,
        notes: 'Varunduse kontseptsioon',
      })
    ).statusCode,
    201,
  );
  assert.equal(
    (
      await call('POST', `/mentors/requests/${id}/sessions`, elvaEditor.s.headers, {
        heldOn: '2999-01-01',
        minutes: 60,
      })
    ).statusCode,
    400,
  );
  assert.equal(
    (await call('POST', `/mentors/requests/${id}/complete`, elvaEditor.s.headers, {})).json().status,
    'completed',
  );
  const listed = (await call('GET', '/mentors/requests', elvaEditor.s.headers))
    .json()
    .find((r: { id: string }) => r.id === id);
  assert.equal(listed.sessions, 1);
  assert.equal(listed.minutes, 60);
  assert.equal(listed.mentor.homeMunicipality, '0793');
});

test('the catalogue parser accepts RIA variants: { modules }, lower-case and Estonian group names, role objects', () => {
  const c = parseCatalogue({
    modules: [
      {
        code: 'OPS.1.1.2',
        title: 'IT-haldus',
        measureDetails: [
          {
            groupCode: 'põhimeede',
            measures: [
              {
                measureCode: 'OPS.1.1.2.M1',
                measureTitle: 'Administraatorid',
                body: 'x',
                assignees: [{ name: 'IT-talitus' }],
              },
            ],
          },
          { groupCode: 'high', measures: [] },
        ],
      },
    ],
  });
  assert.deepEqual(c.measures[0], {
    code: 'OPS.1.1.2.M1',
    moduleCode: 'OPS.1.1.2',
    group: 'basic',
    title: 'Administraatorid',
    body: 'x',
    assignees: ['IT-talitus'],
    ordinal: 0,
  });
  assert.equal(c.modules[0]!.layer, 'OPS');
});
