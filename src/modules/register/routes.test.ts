import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { testPlatform, grantRole, sessionFor } from '../../../test/support/app';
import { person, residences } from './testSupport';

const ELVA = '0171';
const TARTU = '0793';
const RONGU = '7167';
const PUHJA = '6393';

const platform = await testPlatform();
const { ctx, app } = platform;
const admin = await person(ctx, '1970-01-01', 'male', { givenName: 'Ants', familyName: 'Admin' });
const analyst = await person(ctx, '1971-01-01');
const tartuAdmin = await person(ctx, '1972-01-01');
const elvlAdmin = await person(ctx, '1973-01-01');
await grantRole(ctx, ELVA, admin.id, 'admin');
await grantRole(ctx, ELVA, analyst.id, 'analyst');
await grantRole(ctx, TARTU, tartuAdmin.id, 'admin');
await grantRole(ctx, '0000', elvlAdmin.id, 'admin');
const as = {
  admin: await sessionFor(ctx, admin.id),
  analyst: await sessionFor(ctx, analyst.id),
  tartu: await sessionFor(ctx, tartuAdmin.id),
  elvl: await sessionFor(ctx, elvlAdmin.id),
};
const resident = await person(ctx, '1990-06-15', 'female', { givenName: 'Liis', familyName: 'Lepik' });
await residences(ctx, ELVA, resident.id, [
  { settlementCode: PUHJA, validFrom: '2015-01-01', validUntil: '2021-06-30', address: 'Puhja, Kooli 1' },
  { settlementCode: RONGU, validFrom: '2021-07-01', address: 'Rõngu, Valga mnt 5' },
]);
for (let i = 0; i < 20; i++) {
  const p = await person(ctx, `19${60 + i}-03-0${1 + (i % 9)}`);
  await residences(ctx, ELVA, p.id, [{ settlementCode: i % 2 ? RONGU : PUHJA, validFrom: '2010-01-01' }]);
}
const me = await sessionFor(ctx, resident.id);

const base = {
  name: 'Rõngu 18+',
  scope: 'settlements',
  settlementCodes: [RONGU],
  minAge: 18,
  maxAge: null,
  referenceDate: '2026-03-01',
  residenceAt: 'reference-date',
  mode: 'frozen',
};
const url = (p: string) => `/api/v1/municipalities/${ELVA}${p}`;

function multipart(filename: string, content: string, type = 'text/csv') {
  const boundary = '----kovtest' + Math.random().toString(16).slice(2);
  const payload = Buffer.concat([
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: ${type}\r\n\r\n`,
    ),
    Buffer.from(content),
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return { payload, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

test('officials define, preview, freeze and export an electorate through the API', async () => {
  let res = await app.inject({
    method: 'POST',
    url: url('/electorates'),
    headers: as.admin.headers,
    payload: { ...base, extra: 1 },
  });
  assert.equal(res.statusCode, 400);
  assert.equal(res.json().type, '/problems/validation');
  res = await app.inject({
    method: 'POST',
    url: url('/electorates'),
    headers: as.admin.headers,
    payload: { ...base, settlementCodes: ['0387'] },
  });
  assert.equal(res.statusCode, 400);
  assert.equal(res.json().errors[0].pointer, '/body/settlementCodes');
  res = await app.inject({
    method: 'POST',
    url: url('/electorates/preview'),
    headers: as.analyst.headers,
    payload: { ...base, settlementCodes: [RONGU, PUHJA] },
  });
  assert.equal(res.statusCode, 200, res.body);
  const preview = res.json();
  assert.equal(preview.total, 21);
  assert.deepEqual(preview.bySettlement.map((s: { name: string }) => s.name).sort(), ['Puhja alevik', 'Rõngu alevik']);

  res = await app.inject({ method: 'POST', url: url('/electorates'), headers: as.analyst.headers, payload: base });
  assert.equal(res.statusCode, 403);
  res = await app.inject({ method: 'POST', url: url('/electorates'), headers: as.admin.headers, payload: base });
  assert.equal(res.statusCode, 201, res.body);
  const e = res.json();
  assert.equal(e.state, 'draft');

  // An exclude list with a bad line is refused with the line named; a good one is taken.
  let up = multipart('x.csv', `id_code\n${resident.idCode}\n1234\n`);
  res = await app.inject({
    method: 'PUT',
    url: url(`/electorates/${e.id}/lists/exclude`),
    headers: { ...as.admin.headers, ...up.headers },
    payload: up.payload,
  });
  assert.equal(res.statusCode, 400);
  assert.deepEqual(
    res.json().errors.map((x: { pointer: string }) => x.pointer),
    ['/file/line/3'],
  );
  up = multipart('x.csv', `id_code\n${admin.idCode}\n`);
  res = await app.inject({
    method: 'PUT',
    url: url(`/electorates/${e.id}/lists/exclude`),
    headers: { ...as.admin.headers, ...up.headers },
    payload: up.payload,
  });
  assert.equal(res.statusCode, 200, res.body);
  assert.equal(res.json().lists.exclude.entries, 1);

  res = await app.inject({ method: 'GET', url: url(`/electorates/${e.id}/preview`), headers: as.analyst.headers });
  const size = res.json().total;
  assert.ok(size >= 10);
  res = await app.inject({ method: 'POST', url: url(`/electorates/${e.id}/freeze`), headers: as.admin.headers });
  assert.equal(res.statusCode, 200, res.body);
  const frozen = res.json();
  assert.equal(frozen.state, 'frozen');
  assert.equal(frozen.frozen.size, size);
  res = await app.inject({ method: 'PUT', url: url(`/electorates/${e.id}`), headers: as.admin.headers, payload: base });
  assert.equal(res.statusCode, 409);
  assert.equal(res.json().type, '/problems/electorate-locked');

  res = await app.inject({ method: 'GET', url: url(`/electorates/${e.id}/voters?limit=5`), headers: as.admin.headers });
  assert.equal(res.statusCode, 200);
  assert.equal(res.json().total, size);
  assert.equal(res.json().voters.length, 5);
  assert.ok(res.json().voters.every((v: { idCodeMasked: string }) => v.idCodeMasked.endsWith('*****')));
  res = await app.inject({ method: 'GET', url: url(`/electorates/${e.id}/voters`), headers: as.analyst.headers });
  assert.equal(res.statusCode, 403, 'analysts see sizes, not names');
  res = await app.inject({ method: 'GET', url: url(`/electorates/${e.id}/voters.csv`), headers: as.admin.headers });
  assert.equal(res.statusCode, 200);
  assert.match(String(res.headers['content-type']), /text\/csv/);
  assert.equal(createHash('sha256').update(res.rawPayload).digest('hex'), frozen.frozen.sha256);
  assert.ok(res.body.includes(`${resident.idCode},${RONGU},residence`));

  res = await app.inject({ method: 'GET', url: url(`/electorates/${e.id}/eligibility/me`), headers: me.headers });
  assert.deepEqual(res.json(), {
    eligible: true,
    municipalityCode: ELVA,
    settlementCode: RONGU,
    basis: 'residence',
    mode: 'frozen',
  });

  // Another municipality's official sees nothing of it.
  for (const r of [
    `/electorates`,
    `/electorates/${e.id}`,
    `/electorates/${e.id}/preview`,
    `/electorates/${e.id}/voters.csv`,
    `/register/queries`,
  ]) {
    res = await app.inject({ method: 'GET', url: url(r), headers: as.tartu.headers });
    assert.equal(res.statusCode, 403, r);
  }
});

test('a live electorate answers the resident why not; the query log shows each lookup, full ID codes only to the municipality admins', async () => {
  let res = await app.inject({
    method: 'POST',
    url: url('/electorates'),
    headers: as.admin.headers,
    payload: { ...base, name: 'Puhja live', settlementCodes: [PUHJA], mode: 'live' },
  });
  const e = res.json();
  res = await app.inject({ method: 'GET', url: url(`/electorates/${e.id}/eligibility/me`), headers: me.headers });
  assert.deepEqual(res.json(), { eligible: false, reason: 'wrong-settlement', mode: 'live' });
  res = await app.inject({ method: 'POST', url: url(`/electorates/${e.id}/freeze`), headers: as.admin.headers });
  assert.equal(res.statusCode, 400, 'a live electorate has no list to freeze');

  res = await app.inject({ method: 'GET', url: url('/register/queries'), headers: as.admin.headers });
  assert.equal(res.statusCode, 200);
  const entry = res.json()[0];
  assert.equal(entry.subject.idCode, resident.idCode);
  assert.equal(entry.askedBy.idCode, resident.idCode);
  assert.equal(entry.purpose, 'self-check');
  assert.equal(entry.outcome, 'found');
  assert.equal(entry.reference, `electorate:${e.id}`);
  res = await app.inject({
    method: 'GET',
    url: url(`/register/queries?idCode=${resident.idCode}`),
    headers: as.admin.headers,
  });
  assert.ok(
    res.json().length >= 1 &&
      res.json().every((x: { subject: { idCode: string } }) => x.subject.idCode === resident.idCode),
  );
  res = await app.inject({ method: 'GET', url: url('/register/queries'), headers: as.elvl.headers });
  assert.equal(res.statusCode, 200);
  assert.equal(
    res.json()[0].subject.idCode,
    resident.idCode.slice(0, 6) + '*****',
    'platform administrators see codes masked',
  );
  res = await app.inject({ method: 'GET', url: url('/register/queries'), headers: as.analyst.headers });
  assert.equal(res.statusCode, 403);
});

test('"My details": the resident sees their registered residence and its history', async () => {
  const res = await app.inject({ method: 'GET', url: '/api/v1/register/me/residence', headers: me.headers });
  assert.equal(res.statusCode, 200);
  const body = res.json();
  assert.equal(body.source, 'extract');
  assert.equal(body.current.settlementName, 'Rõngu alevik');
  assert.equal(body.current.municipalityName, 'Elva vald');
  assert.equal(body.current.address, 'Rõngu, Valga mnt 5');
  assert.deepEqual(
    body.residences.map((r: { settlementCode: string; current: boolean }) => [r.settlementCode, r.current]),
    [
      [RONGU, true],
      [PUHJA, false],
    ],
  );
  const anon = await app.inject({ method: 'GET', url: '/api/v1/register/me/residence' });
  assert.equal(anon.statusCode, 401);
});

test('admins load an extract through the API: a bad file is refused whole with its lines named', async () => {
  const header =
    'id_code,given_name,family_name,municipality_code,settlement_code,address,ads_adr_id,valid_from,valid_until,status\n';
  let up = multipart(
    'bad.csv',
    header +
      `${resident.idCode},Liis,Lepik,0171,${RONGU},Rõngu 1,,2021-07-01,,K\n39001011234,X,Y,0171,${RONGU},A,,2020-01-01,,K\n${resident.idCode},Liis,Lepik,0171,8151,B,,2020-01-01,,K\n`,
  );
  let res = await app.inject({
    method: 'POST',
    url: url('/register/imports'),
    headers: { ...as.admin.headers, ...up.headers },
    payload: up.payload,
  });
  assert.equal(res.statusCode, 400, res.body);
  assert.deepEqual(
    res.json().errors.map((e: { pointer: string }) => e.pointer),
    ['/file/line/3', '/file/line/4'],
  );
  up = multipart(
    'elva.csv',
    header + `${resident.idCode},Liis,Lepik,0171,${RONGU},"Rõngu, Valga mnt 5",123,2021-07-01,,K\n`,
  );
  res = await app.inject({
    method: 'POST',
    url: url('/register/imports'),
    headers: { ...as.analyst.headers, ...up.headers },
    payload: up.payload,
  });
  assert.equal(res.statusCode, 403);
  res = await app.inject({
    method: 'POST',
    url: url('/register/imports'),
    headers: { ...as.admin.headers, ...up.headers },
    payload: up.payload,
  });
  assert.equal(res.statusCode, 200, res.body);
  assert.deepEqual(
    { status: res.json().status, rows: res.json().rows, persons: res.json().persons },
    { status: 'imported', rows: 1, persons: 1 },
  );
  res = await app.inject({
    method: 'POST',
    url: url('/register/imports'),
    headers: { ...as.admin.headers, ...up.headers },
    payload: up.payload,
  });
  assert.equal(res.json().status, 'unchanged');
  res = await app.inject({ method: 'GET', url: url('/register/imports'), headers: as.admin.headers });
  assert.equal(res.json().records, 1, 'the extract replaced the earlier register data');
  assert.equal(res.json().imports[0].filename, 'elva.csv');
});
