import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { testContext, testPlatform, grantRole, sessionFor } from '../../../test/support/app';
import { inScope } from '../../platform/db/database';
import { appendAudit } from '../../platform/audit/audit';
import type { Problem } from '../../platform/http/problems';
import type { RegisterConfig } from './config';
import { checkEligibility } from './eligibility';
import { createElectorate } from './electorates';
import type { RegisterPerson } from './model';
import { RegisterError } from './problems';
import { clearRegisterCache, usePopulationRegister } from './register';
import { startRegisterSimulator } from './simulator';
import { actor, person } from './testSupport';
import { XRoadPopulationRegister } from './xroad';
import { parseEnvelope, readPersonAnswer } from './xroadMessages';

const TALLINN = '0784';
const LASNAMAE = '0387';

function xroadConfig(url: string, over: Partial<RegisterConfig['xroad']> = {}): RegisterConfig['xroad'] {
  return {
    securityServer: url,
    client: { instance: 'EE', memberClass: 'GOV', memberCode: '75014566', subsystemCode: 'kov' },
    clients: { '0793': { instance: 'EE', memberClass: 'GOV', memberCode: '75006546', subsystemCode: 'kov-tartu' } },
    service: {
      instance: 'EE',
      memberClass: 'GOV',
      memberCode: '70008440',
      subsystemCode: 'rr',
      serviceCode: 'RR434',
      serviceVersion: 'v1',
    },
    timeoutMs: 400,
    retries: 1,
    backoffMs: 20,
    tls: { rejectUnauthorized: true },
    ...over,
  };
}

const resident: RegisterPerson = {
  idCode: '49002124277',
  givenName: 'Mari',
  familyName: 'Maasikas',
  birthDate: '1990-02-12',
  residences: [
    {
      municipalityCode: '0793',
      settlementCode: '8151',
      address: 'Rüütli 1, Tartu linn',
      adsAdrId: 1234,
      validFrom: '2010-01-01',
      validUntil: '2019-04-30',
      status: 'E',
    },
    {
      municipalityCode: TALLINN,
      settlementCode: LASNAMAE,
      address: 'Punane 10-5, Lasnamäe linnaosa, Tallinn',
      adsAdrId: 2345678,
      validFrom: '2019-05-01',
      validUntil: null,
      status: 'K',
    },
  ],
};

const sim = await startRegisterSimulator({ people: [resident] });
after(() => sim.close());
const query = (idCode = resident.idCode, municipalityCode = TALLINN) => ({
  municipalityCode,
  personId: '00000000-0000-4000-8000-000000000001',
  idCode,
  purpose: 'test',
  askedBy: null,
  askedByIdCode: '38001085718',
});

async function failure(p: Promise<unknown>): Promise<RegisterError> {
  try {
    await p;
  } catch (err) {
    assert.ok(err instanceof RegisterError, `expected a RegisterError, got ${(err as Error).stack}`);
    return err;
  }
  assert.fail('expected the lookup to fail');
}

test('a normal answer: the person and their residence history, asked with the X-Road headers and SOAP envelope', async () => {
  sim.behave({});
  const reg = new XRoadPopulationRegister(xroadConfig(sim.url));
  const seen = sim.requests.length;
  const { result, messageId } = await reg.lookup(query());
  assert.deepEqual(result, { found: true, person: resident });
  const req = sim.requests[seen]!;
  assert.equal(req.path, '/r1/EE/GOV/70008440/rr/RR434');
  assert.equal(req.headers['x-road-client'], 'EE/GOV/75014566/kov');
  assert.equal(req.headers['x-road-id'], messageId);
  assert.equal(req.headers['x-road-userid'], 'EE38001085718');
  assert.equal(req.headers['x-road-issue'], 'test');
  assert.match(String(req.headers['content-type']), /^text\/xml/);
  assert.match(req.body, /<prod:RR434><request><Isikukood>49002124277<\/Isikukood><\/request><\/prod:RR434>/);
  assert.match(req.body, /xmlns:prod="http:\/\/rr.x-road.eu\/producer"/);
  assert.match(req.body, /<xrd:protocolVersion>4.0<\/xrd:protocolVersion>/);
  assert.match(
    req.body,
    /<xrd:service id:objectType="SERVICE"><id:xRoadInstance>EE<\/id:xRoadInstance><id:memberClass>GOV<\/id:memberClass><id:memberCode>70008440<\/id:memberCode><id:subsystemCode>rr<\/id:subsystemCode><id:serviceCode>RR434<\/id:serviceCode><id:serviceVersion>v1<\/id:serviceVersion>/,
  );
  // A municipality with its own client subsystem uses it.
  await reg.lookup(query(resident.idCode, '0793'));
  assert.equal(sim.requests.at(-1)!.headers['x-road-client'], 'EE/GOV/75006546/kov-tartu');
  reg.close();
});

test('the parser reads the flat Elukoht.* form and DD.MM.YYYY dates too', () => {
  const xml = `<?xml version="1.0"?><SOAP-ENV:Envelope xmlns:SOAP-ENV="http://schemas.xmlsoap.org/soap/envelope/" xmlns:prod="http://rr.x-road.eu/producer"><SOAP-ENV:Body><prod:RR434Response><response><Isik>
    <Isikukood>49002124277</Isikukood><Eesnimi>MARI</Eesnimi><Synniaeg>12.02.1990</Synniaeg>
    <Elukoht.MaakonnaKood>0037</Elukoht.MaakonnaKood><Elukoht.VallaKood>0784</Elukoht.VallaKood><Elukoht.KylaKood>0387</Elukoht.KylaKood><Elukoht.Tekst>Punane 10-5</Elukoht.Tekst><Elukoht.AdsAdrID>2345678</Elukoht.AdsAdrID><Elukoht.Alates>01.05.2019</Elukoht.Alates><Elukoht.Kuni></Elukoht.Kuni><Elukoht.Staatus>K</Elukoht.Staatus>
  </Isik></response></prod:RR434Response></SOAP-ENV:Body></SOAP-ENV:Envelope>`;
  const a = readPersonAnswer(parseEnvelope(xml).body, 'RR434', '49002124277');
  assert.deepEqual(a, {
    kind: 'person',
    person: {
      idCode: '49002124277',
      givenName: 'MARI',
      familyName: null,
      birthDate: '1990-02-12',
      residences: [
        {
          municipalityCode: TALLINN,
          settlementCode: LASNAMAE,
          address: 'Punane 10-5',
          adsAdrId: 2345678,
          validFrom: '2019-05-01',
          validUntil: null,
          status: 'K',
        },
      ],
    },
  });
});

test('person not found is an answer, not a failure', async () => {
  sim.behave({});
  const reg = new XRoadPopulationRegister(xroadConfig(sim.url));
  assert.deepEqual((await reg.lookup(query('37605030299'))).result, { found: false });
  reg.close();
});

test('a slow answer beyond the timeout fails as timeout after the retries', async () => {
  sim.behave({ delayMs: 1500 });
  const reg = new XRoadPopulationRegister(xroadConfig(sim.url, { timeoutMs: 150, retries: 2, backoffMs: 10 }));
  const seen = sim.requests.length;
  const t0 = Date.now();
  const err = await failure(reg.lookup(query()));
  assert.equal(err.failure, 'timeout');
  assert.equal(sim.requests.length - seen, 3, 'one attempt and two retries');
  assert.ok(Date.now() - t0 < 1500, 'gave up without waiting for the slow answer');
  reg.close();
});

test('server errors are retried with back-off; a later good answer is used', async () => {
  const reg = new XRoadPopulationRegister(xroadConfig(sim.url, { retries: 2, backoffMs: 30 }));
  sim.behave({ fail: 'http-500' });
  let err = await failure(reg.lookup(query()));
  assert.equal(err.failure, 'error');
  assert.match(err.message, /500.*Server\.ServerProxy\.ServiceFailed/);
  sim.behave({ fail: 'soap-fault' });
  err = await failure(reg.lookup(query()));
  assert.equal(err.failure, 'error');
  assert.match(err.message, /Server\.ServerProxy\.DatabaseError/);
  sim.behave({ fail: 'reset' });
  err = await failure(reg.lookup(query()));
  assert.equal(err.failure, 'error');
  // Fails twice, then answers: the third attempt succeeds, after growing pauses.
  sim.behave({ fail: 'http-500', times: 2 });
  const seen = sim.requests.length;
  const { result } = await reg.lookup(query());
  assert.equal(result.found, true);
  const times = sim.requests.slice(seen).map((r) => r.at);
  assert.equal(times.length, 3);
  assert.ok(
    times[2]! - times[1]! >= (times[1]! - times[0]!) * 0.9 || times[2]! - times[1]! >= 40,
    `back-off grows: ${times.map((t) => t - times[0]!)}`,
  );
  reg.close();
});

test('malformed answers (XML, JSON, not SOAP, another person, unusable fields) fail as malformed, never as an answer', async () => {
  const reg = new XRoadPopulationRegister(xroadConfig(sim.url));
  for (const malformed of ['xml', 'json', 'no-envelope', 'wrong-person', 'bad-fields'] as const) {
    sim.behave({ malformed });
    const seen = sim.requests.length;
    const err = await failure(reg.lookup(query()));
    assert.equal(err.failure, 'malformed', `${malformed}: ${err.message}`);
    assert.equal(sim.requests.length - seen, 1, `${malformed}: not retried`);
  }
  sim.behave({});
  // A current residence in an EHAK unit the platform does not know, or a village of another municipality.
  sim.put({
    ...resident,
    idCode: '38001085718',
    residences: [{ ...resident.residences[1]!, municipalityCode: '9999' }],
  });
  assert.equal((await failure(reg.lookup(query('38001085718')))).failure, 'malformed');
  sim.put({ ...resident, idCode: '38001085718', residences: [{ ...resident.residences[1]!, settlementCode: '8151' }] });
  assert.match((await failure(reg.lookup(query('38001085718')))).message, /not in municipality/);
  sim.put({ ...resident, idCode: '38001085718', residences: [] });
  reg.close();
});

test('nobody listening is an error', async () => {
  const closed = await startRegisterSimulator({ people: [] });
  const url = closed.url;
  await closed.close();
  const reg = new XRoadPopulationRegister(xroadConfig(url, { retries: 0 }));
  const err = await failure(reg.lookup(query()));
  assert.equal(err.failure, 'error');
  assert.match(err.message, /network error/);
  reg.close();
});

test('TLS with a client certificate: accepted with it, refused without', async (t) => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'kov-xroad-tls-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const ssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  try {
    ssl(
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      'ca.key',
      '-out',
      'ca.crt',
      '-days',
      '2',
      '-subj',
      '/CN=Test X-Road CA',
    );
  } catch {
    t.skip('openssl is not available');
    return;
  }
  writeFileSync(path.join(dir, 'server.ext'), 'subjectAltName=IP:127.0.0.1\n');
  ssl('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=127.0.0.1');
  ssl(
    'x509',
    '-req',
    '-in',
    'server.csr',
    '-CA',
    'ca.crt',
    '-CAkey',
    'ca.key',
    '-CAcreateserial',
    '-out',
    'server.crt',
    '-days',
    '2',
    '-extfile',
    'server.ext',
  );
  ssl(
    'req',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    'client.key',
    '-out',
    'client.csr',
    '-subj',
    '/CN=EE-GOV-75014566-kov',
  );
  ssl(
    'x509',
    '-req',
    '-in',
    'client.csr',
    '-CA',
    'ca.crt',
    '-CAkey',
    'ca.key',
    '-CAcreateserial',
    '-out',
    'client.crt',
    '-days',
    '2',
  );
  const f = (n: string) => path.join(dir, n);
  const secure = await startRegisterSimulator({
    people: [resident],
    tls: {
      key: readFileSync(f('server.key')),
      cert: readFileSync(f('server.crt')),
      ca: readFileSync(f('ca.crt')),
      requestClientCert: true,
    },
  });
  try {
    assert.match(secure.url, /^https:/);
    const withCert = new XRoadPopulationRegister(
      xroadConfig(secure.url, {
        tls: { certFile: f('client.crt'), keyFile: f('client.key'), caFile: f('ca.crt'), rejectUnauthorized: true },
      }),
    );
    assert.equal((await withCert.lookup(query())).result.found, true);
    withCert.close();
    const without = new XRoadPopulationRegister(
      xroadConfig(secure.url, { retries: 0, tls: { caFile: f('ca.crt'), rejectUnauthorized: true } }),
    );
    assert.equal((await failure(without.lookup(query()))).failure, 'error');
    without.close();
    const untrusted = new XRoadPopulationRegister(
      xroadConfig(secure.url, {
        retries: 0,
        tls: { certFile: f('client.crt'), keyFile: f('client.key'), rejectUnauthorized: true },
      }),
    );
    const err = await failure(untrusted.lookup(query()));
    assert.match(err.message, /TLS/);
    untrusted.close();
  } finally {
    await secure.close();
  }
});

test('eligibility through X-Road: answers, a register outage is a clear 503 and a vote attempt records nothing; every lookup is logged', async () => {
  const { ctx } = await testContext();
  const reg = new XRoadPopulationRegister(xroadConfig(sim.url, { timeoutMs: 200, retries: 1, backoffMs: 10 }));
  usePopulationRegister(ctx, reg);
  after(() => reg.close());
  const official = await person(ctx, '1970-01-01', 'male');
  const admin = actor(official.id, [{ municipalityCode: TALLINN, role: 'admin' }]);
  const e = await createElectorate(ctx, admin, TALLINN, {
    name: 'Lasnamäe 14+',
    scope: 'settlements',
    settlementCodes: [LASNAMAE],
    minAge: 14,
    referenceDate: '2026-03-01',
    residenceAt: 'voting-time',
    mode: 'live',
  });
  const voter = await person(ctx, resident.birthDate);
  sim.put({ ...resident, idCode: voter.idCode });
  const stranger = await person(ctx, '1985-05-05');
  const check = (personId: string, at = new Date('2026-03-10T10:00:00Z')) =>
    inScope(ctx.db, { tenant: TALLINN, actor: personId }, (trx) =>
      checkEligibility(ctx, trx, {
        municipalityCode: TALLINN,
        electorateId: e.id,
        personId,
        at,
        purpose: 'vote',
        reference: 'poll:test',
      }),
    );

  sim.behave({});
  assert.deepEqual(await check(voter.id), {
    eligible: true,
    municipalityCode: TALLINN,
    settlementCode: LASNAMAE,
    basis: 'residence',
    mode: 'live',
  });
  assert.deepEqual(await check(stranger.id), { eligible: false, reason: 'not-resident', mode: 'live' });
  // Before the move to Tallinn (2019-05-01) the voter lived in Tartu.
  clearRegisterCache(ctx);
  assert.deepEqual(await check(voter.id, new Date('2019-04-30T10:00:00Z')), {
    eligible: false,
    reason: 'not-resident',
    mode: 'live',
  });

  // Within the cache time the register is not asked again; parallel checks share one query.
  clearRegisterCache(ctx);
  const seen = sim.requests.length;
  await Promise.all(Array.from({ length: 30 }, () => check(voter.id)));
  await check(voter.id);
  assert.equal(sim.requests.length - seen, 1);

  // Outages: a vote attempt in one transaction — the ballot is written, then eligibility fails — leaves nothing.
  const vote = (personId: string) =>
    inScope(ctx.db, { tenant: TALLINN, actor: personId }, async (trx) => {
      await appendAudit(trx, { municipalityCode: TALLINN, actorId: personId, action: 'test.ballot-cast', details: {} });
      const a = await checkEligibility(ctx, trx, {
        municipalityCode: TALLINN,
        electorateId: e.id,
        personId,
        at: new Date('2026-03-10T10:00:00Z'),
        purpose: 'vote',
      });
      if (!a.eligible) throw new Error('not eligible');
    });
  for (const b of [
    { delayMs: 1000 },
    { fail: 'http-500' as const },
    { malformed: 'xml' as const },
    { malformed: 'json' as const },
  ]) {
    clearRegisterCache(ctx);
    sim.behave(b);
    await assert.rejects(vote(voter.id), (err: Problem) => {
      assert.equal(err.status, 503, JSON.stringify(b));
      assert.equal(err.toJSON().type, '/problems/service-unavailable');
      assert.match(err.detail, /try again/);
      return true;
    });
  }
  sim.behave({});
  const ballots = await inScope(ctx.db, { tenant: TALLINN }, (trx) =>
    sql<{ n: number }>`SELECT count(*)::int AS n FROM audit_log WHERE action = 'test.ballot-cast'`.execute(trx),
  );
  assert.equal(ballots.rows[0]!.n, 0, 'no vote was recorded during the outage');

  const log = await inScope(ctx.db, { tenant: TALLINN }, (trx) =>
    sql<{
      outcome: string;
      subject_id: string;
      purpose: string;
      source: string;
      service: string;
      message_id: string | null;
      reference: string;
    }>`SELECT outcome, subject_id, purpose, source, service, message_id, reference FROM register_query_log ORDER BY id`.execute(
      trx,
    ),
  );
  const outcomes = log.rows.map((r) => r.outcome);
  assert.deepEqual(outcomes, ['found', 'not-found', 'found', 'found', 'timeout', 'error', 'malformed', 'malformed']);
  assert.ok(log.rows.every((r) => r.source === 'xroad' && r.service === 'RR434' && r.message_id));
  assert.equal(log.rows[1]!.subject_id, stranger.id);
  assert.equal(log.rows[0]!.reference, 'poll:test');
  assert.equal(log.rows[0]!.purpose, 'vote');
});

test('over HTTP, configured by the environment: a resident asking during an outage gets 503 service-unavailable (Retry-After) with "try again"', async () => {
  const platform = await testPlatform({
    env: {
      KOV_REGISTER_SOURCE: 'xroad',
      KOV_XROAD_SECURITY_SERVER: sim.url,
      KOV_XROAD_CLIENT: 'EE/GOV/75014566/kov',
      KOV_XROAD_TIMEOUT_MS: '300',
      KOV_XROAD_RETRIES: '0',
      KOV_REGISTER_CACHE_SECONDS: '0',
    },
  });
  const { ctx, app } = platform;
  const official = await person(ctx, '1970-01-01', 'male');
  await grantRole(ctx, TALLINN, official.id, 'admin');
  const admin = await sessionFor(ctx, official.id);
  const voter = await person(ctx, resident.birthDate);
  sim.put({ ...resident, idCode: voter.idCode });
  const me = await sessionFor(ctx, voter.id);
  let res = await app.inject({
    method: 'POST',
    url: `/api/v1/municipalities/${TALLINN}/electorates`,
    headers: admin.headers,
    payload: {
      name: 'Tallinn 16+',
      scope: 'municipality',
      minAge: 16,
      maxAge: null,
      referenceDate: '2026-03-01',
      residenceAt: 'voting-time',
      mode: 'live',
    },
  });
  assert.equal(res.statusCode, 201, res.body);
  const url = `/api/v1/municipalities/${TALLINN}/electorates/${res.json().id}/eligibility/me`;
  sim.behave({});
  res = await app.inject({ method: 'GET', url, headers: me.headers });
  assert.deepEqual(res.json(), {
    eligible: true,
    municipalityCode: TALLINN,
    settlementCode: LASNAMAE,
    basis: 'residence',
    mode: 'live',
  });
  sim.behave({ delayMs: 1000 });
  res = await app.inject({ method: 'GET', url, headers: me.headers });
  assert.equal(res.statusCode, 503);
  assert.match(String(res.headers['content-type']), /application\/problem\+json/);
  assert.equal(res.json().type, '/problems/service-unavailable');
  assert.equal(res.json().dependency, 'population-register');
  assert.ok(Number(res.headers['retry-after']) >= 1, 'Retry-After');
  assert.equal(res.json().failure, 'timeout');
  assert.match(res.json().detail, /try again/);
  sim.behave({ malformed: 'json' });
  res = await app.inject({ method: 'GET', url, headers: me.headers });
  assert.equal(res.statusCode, 503);
  assert.equal(res.json().failure, 'malformed');
  sim.behave({});
  res = await app.inject({
    method: 'GET',
    url: `/api/v1/municipalities/${TALLINN}/register/queries`,
    headers: admin.headers,
  });
  assert.deepEqual(
    res.json().map((e: { outcome: string }) => e.outcome),
    ['malformed', 'timeout', 'found'],
  );
  assert.ok(
    res
      .json()
      .every(
        (e: { subject: { idCode: string }; source: string }) =>
          e.subject.idCode === voter.idCode && e.source === 'xroad',
      ),
  );
});
