import { test } from 'node:test';
import assert from 'node:assert/strict';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { testPlatform, makePerson, grantRole, sessionFor } from '../../../test/support/app';
import { MAX_FILE_BYTES } from './addDistribution';

/**
 * Through HTTP: bad input answers with problem+json and nothing half-written (CSV with broken
 * encoding or ragged rows, a file too large, unknown licence, missing metadata), and data
 * governance (the inventory, RIHA JSON, roles, dashboard).
 */
const M = '0793';
const { app, ctx } = await testPlatform();
const adminP = await makePerson(ctx, { givenName: 'Agnes', familyName: 'Admin' });
await grantRole(ctx, M, adminP.id, 'admin');
const admin = await sessionFor(ctx, adminP.id);
const base = `/api/v1/municipalities/${M}/opendata`;
const call = async (
  method: string,
  url: string,
  payload?: unknown,
  headers: Record<string, string> = admin.headers,
) => {
  const res = await app.inject({
    method: method as 'GET',
    url,
    headers,
    ...(payload !== undefined ? { payload: payload as object } : {}),
  });
  return {
    status: res.statusCode,
    type: String(res.headers['content-type']),
    body: res.body ? JSON.parse(res.body) : null,
  };
};

function multipart(filename: string, content: Buffer, fields: Record<string, string> = {}) {
  const boundary = '----kovtest' + Math.random().toString(16).slice(2);
  const parts: Buffer[] = [];
  for (const [k, v] of Object.entries(fields))
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
  parts.push(
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: application/octet-stream\r\n\r\n`,
    ),
    content,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  );
  return {
    payload: Buffer.concat(parts),
    headers: { ...admin.headers, 'content-type': `multipart/form-data; boundary=${boundary}` },
  };
}
const upload = async (id: string, filename: string, content: Buffer) => {
  const m = multipart(filename, content, { titleEt: 'Andmed', titleEn: 'Data' });
  const res = await app.inject({
    method: 'POST',
    url: `${base}/datasets/${id}/files`,
    payload: m.payload,
    headers: m.headers,
  });
  return { status: res.statusCode, type: String(res.headers['content-type']), body: JSON.parse(res.body) };
};

test('bad input through HTTP: each a clear problem, nothing stored, nothing published', async () => {
  const unknownLicence = await call('POST', `${base}/datasets`, { titleEt: 'Litsentsita', licenseId: 'MY-OWN' });
  assert.equal(unknownLicence.status, 400);
  assert.match(unknownLicence.type, /application\/problem\+json/);
  assert.equal(unknownLicence.body.type, '/problems/validation');
  assert.deepEqual(
    unknownLicence.body.errors.map((e: { pointer: string; code: string }) => [e.pointer, e.code]),
    [['/body/licenseId', 'unknown-licence']],
  );

  const extra = await call('POST', `${base}/datasets`, { titleEt: 'Lisaväli', secret: 1 });
  assert.equal(extra.status, 400, 'bodies allow no unknown fields');

  const d = (await call('POST', `${base}/datasets`, { titleEt: 'Halvad failid' })).body;
  const missing = await call('POST', `${base}/datasets/${d.id}/submit`);
  assert.equal(missing.status, 400);
  assert.deepEqual(missing.body.errors.map((e: { code: string }) => e.code).sort(), [
    'contact-missing',
    'description-en-missing',
    'description-et-missing',
    'distribution-missing',
    'themes-missing',
    'title-en-missing',
  ]);

  const latin1 = Buffer.concat([
    Buffer.from('nimi;summa\n'),
    Buffer.from([0x4b, 0xfc, 0x6c, 0x61]),
    Buffer.from(';5\n'),
  ]);
  const enc = await upload(d.id, 'summad.csv', latin1);
  assert.equal(enc.status, 422);
  assert.equal(enc.body.type, '/problems/opendata-csv-invalid');
  assert.deepEqual(
    enc.body.report.map((p: { code: string; line: number }) => [p.code, p.line]),
    [['encoding', 2]],
  );

  const ragged = await upload(d.id, 'summad.csv', Buffer.from('nimi;summa\nA;1\nB\nC;3;4\n'));
  assert.equal(ragged.status, 422);
  assert.deepEqual(
    ragged.body.report.map((p: { code: string; line: number; expected: number; actual: number }) => [
      p.code,
      p.line,
      p.expected,
      p.actual,
    ]),
    [
      ['ragged', 3, 2, 1],
      ['ragged', 4, 2, 3],
    ],
  );

  const big = await upload(d.id, 'suur.csv', Buffer.alloc(MAX_FILE_BYTES + 1024, 'a'));
  assert.equal(big.status, 413);
  assert.equal(big.body.type, '/problems/body-too-large');
  assert.match(big.body.detail, /larger than 20 MB/);

  const view = (await call('GET', `${base}/datasets/${d.id}`)).body;
  assert.equal(view.distributions.length, 0, 'no file was kept');
  assert.equal((await call('GET', '/api/3/action/package_search?q=Halvad')).body.result.count, 0);

  const otherCode = await call('GET', `/api/v1/municipalities/0784/opendata/datasets`);
  assert.equal(otherCode.status, 403, 'another municipality’s datasets are not for this admin');
  const anon = await call('GET', `${base}/datasets`, undefined, {});
  assert.equal(anon.status, 401);
});

test('data governance: inventory with RIHA fields, RIHA JSON export, roles, dashboard', async () => {
  const sys = await call('POST', `${base}/systems`, {
    name: 'Sotsiaalteenuste infosüsteem',
    shortName: 'tartu-sots',
    ownerCode: '75006546',
    ownerName: 'Tartu Linnavalitsus',
    purpose: 'Sotsiaalteenuste ja -toetuste menetlemine.',
    dataObjects: ['taotlused', 'otsused'],
    personalData: ['personal', 'special'],
    securityStandard: 'ISKE',
    securityClass: 'K2T2S2',
    securityLevel: 'M',
    lastAuditDate: '2024-05-01',
    lastAuditResolution: 'PASSED_WITH_REMARKS',
    systemStatus: 'IN_USE',
    developmentStatus: 'IN_DEVELOPMENT',
    xRoadStatus: 'JOINED',
    vendor: 'Tarkvara OÜ',
    rihaRegistered: false,
    contacts: [{ name: 'IT-juht', email: 'it@tartu.example' }],
    documents: [{ name: 'Põhimäärus', url: 'https://www.riigiteataja.ee/akt/1' }],
    legislations: [],
  });
  assert.equal(sys.status, 200, JSON.stringify(sys.body));
  const noClass = await call('POST', `${base}/systems`, {
    name: 'X',
    shortName: 'x-1',
    ownerCode: '75006546',
    ownerName: 'T',
    securityStandard: 'ISKE',
  });
  assert.equal(noClass.status, 400);
  assert.deepEqual(
    noClass.body.errors.map((e: { pointer: string }) => e.pointer),
    ['/body/securityClass', '/body/securityLevel'],
  );
  const dup = await call('POST', `${base}/systems`, {
    name: 'Y',
    shortName: 'tartu-sots',
    ownerCode: '75006546',
    ownerName: 'T',
  });
  assert.equal(dup.status, 409);

  const riha = await call('GET', `${base}/systems/${sys.body.id}/riha.json`);
  assert.equal(riha.status, 200);
  // RIHA-Browser's infosystem schema: the fields and patterns it requires.
  const ajv = new Ajv({ strict: false });
  addFormats(ajv);
  const schema = {
    type: 'object',
    required: [
      'uuid',
      'name',
      'short_name',
      'owner',
      'purpose',
      'stored_data',
      'contacts',
      'documents',
      'legislations',
      'security',
      'meta',
    ],
    properties: {
      short_name: {
        type: 'string',
        pattern:
          '^(?!^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$)([a-zA-ZõÕäÄöÖüÜ0-9.-]*)$',
        minLength: 1,
      },
      owner: { type: 'object', required: ['code'], properties: { code: { type: 'string' }, name: { type: 'string' } } },
      stored_data: { type: 'array', maxItems: 10, items: { type: 'string' } },
      contacts: {
        type: 'array',
        items: {
          type: 'object',
          required: ['name', 'email'],
          properties: { email: { type: 'string', format: 'email' } },
        },
      },
      documents: { type: 'array', items: { type: 'object', required: ['url', 'name'] } },
      security: {
        type: 'object',
        required: ['standard', 'class', 'level', 'latest_audit_date', 'latest_audit_resolution'],
        properties: {
          class: { type: 'string', pattern: '^K[0-3]{1}T[0-3]{1}S[0-3]{1}$' },
          level: { type: 'string', pattern: '^[HML]{1}$' },
          latest_audit_date: { type: 'string', format: 'date-time' },
          latest_audit_resolution: { enum: ['PASSED_WITHOUT_REMARKS', 'PASSED_WITH_REMARKS', 'DID_NOT_PASS', null] },
        },
      },
      meta: {
        type: 'object',
        required: ['system_status', 'development_status', 'x_road_status'],
        properties: {
          system_status: { type: 'object', required: ['status'] },
          x_road_status: { type: 'object', required: ['status'] },
        },
      },
    },
  };
  assert.ok(ajv.validate(schema, riha.body), JSON.stringify(ajv.errors));
  assert.deepEqual(riha.body.owner, { code: '75006546', name: 'Tartu Linnavalitsus' });
  assert.deepEqual(riha.body.stored_data, ['taotlused', 'otsused']);
  assert.equal(riha.body.meta.x_road_status.status, 'JOINED');
  assert.equal(riha.body.security.class, 'K2T2S2');
  assert.ok(riha.body.topics.includes('isikuandmed: eriliigilised isikuandmed'));

  const steward = await makePerson(ctx, { givenName: 'Silja', familyName: 'Haldur' });
  const assigned = await call('POST', `${base}/roles`, {
    idCode: steward.idCode,
    role: 'data_steward',
    infoSystemId: sys.body.id,
  });
  assert.equal(assigned.status, 200);
  const badHead = await call('POST', `${base}/roles`, {
    idCode: steward.idCode,
    role: 'head_of_data_governance',
    infoSystemId: sys.body.id,
  });
  assert.equal(badHead.status, 400);
  const roles = (await call('GET', `${base}/roles`)).body;
  assert.deepEqual(
    roles.map((r: { role: string; infoSystem: { name: string } | null; name: string }) => [
      r.role,
      r.infoSystem?.name,
      r.name,
    ]),
    [['data_steward', 'Sotsiaalteenuste infosüsteem', 'Silja Haldur']],
  );

  const ds = (
    await call('POST', `${base}/datasets`, {
      titleEt: 'Toetuste statistika',
      infoSystemId: sys.body.id,
      agreedOn: '2025-01-15',
    })
  ).body;
  const dash = (await call('GET', `${base}/dashboard`)).body;
  assert.deepEqual(
    dash.systems.notRegistered.map((s: { shortName: string }) => s.shortName),
    ['tartu-sots'],
  );
  assert.equal(dash.systems.withoutOwner.length, 1, 'a steward is not an owner');
  assert.equal(dash.datasets.agreed, 1);
  assert.equal(dash.datasets.agreedPublished, 0);
  assert.deepEqual(
    dash.datasets.agreedNotPublished.map((x: { id: string }) => x.id),
    [ds.id],
  );
  assert.equal(dash.roles.headOfDataGovernance, false);
  const validation = (await call('GET', `${base}/dcat-validation`)).body;
  assert.equal(validation.conforms, true, validation.text);
  const inventory = (await call('GET', `${base}/systems`)).body;
  assert.deepEqual(
    inventory[0].datasets.map((x: { id: string }) => x.id),
    [ds.id],
    'the inventory lists each system’s datasets',
  );
});
