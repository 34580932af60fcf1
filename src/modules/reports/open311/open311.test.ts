import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DOMParser, type Document, type Element } from '@xmldom/xmldom';
import { testPlatform, makePerson, grantRole } from '../../../../test/support/app';
import { issueApiKey } from '../../../platform/auth/apiKeys';
import type { PersonActor } from '../../../platform/auth/actor';
import { saveCategory } from '../categories';
import { SPEC_URL } from './routes';

/**
 * Open311 GeoReport v2 conformance: a client exercises every endpoint in JSON and XML and checks
 * field names, types, status values and error codes as the spec documents them, and reads the
 * XML the way FixMyStreet's Open311 client does (XML::Simple with ForceArray on the group tags).
 */
const TARTU = '0793';
const ELVA = '0171';
const RAEKODA = { lat: '58.3804', long: '26.7225' };

const platform = await testPlatform({ env: { PUBLIC_URL: 'https://kov.example.ee' } });
const { app, ctx } = platform;
const adminP = await makePerson(ctx);
await grantRole(ctx, TARTU, adminP.id, 'admin');
await grantRole(ctx, ELVA, adminP.id, 'admin');
await grantRole(ctx, '0000', adminP.id, 'admin');
const admin: PersonActor = {
  kind: 'person',
  personId: adminP.id,
  givenName: 'A',
  familyName: 'B',
  birthDate: '1980-01-01',
  idCodeMasked: '',
  acr: 'high',
  roles: [{ municipalityCode: '0000', role: 'admin' }],
};
const tartuKey = (await issueApiKey(ctx, admin, TARTU, { name: 'Tartu back-office', scopes: ['reports.open311'] })).key;
const elvaKey = (await issueApiKey(ctx, admin, ELVA, { name: 'Elva back-office', scopes: ['reports.open311'] })).key;
const readOnlyKey = (await issueApiKey(ctx, admin, TARTU, { name: 'Tartu reader', scopes: ['reports.read'] })).key;
const nationalKey = (await issueApiKey(ctx, admin, '0000', { name: 'National app', scopes: ['reports.open311'] })).key;
await saveCategory(ctx, admin, TARTU, 'other', { open311Type: 'batch' }, { create: false });

const W3C = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2}$/;
const STATUS_VALUES = [
  'OPEN',
  'CLOSED',
  'FIXED',
  'IN_PROGRESS',
  'ACTION_SCHEDULED',
  'INVESTIGATING',
  'DUPLICATE',
  'NOT_COUNCILS_RESPONSIBILITY',
  'NO_FURTHER_ACTION',
  'INTERNAL_REFERRAL',
];

const get = (url: string) => app.inject({ method: 'GET', url });
const post = (url: string, form: Record<string, string>) =>
  app.inject({
    method: 'POST',
    url,
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams(form).toString(),
  });

function xml(body: string): Document {
  const errors: string[] = [];
  const doc = new DOMParser({ onError: (level, msg) => errors.push(`${level}: ${msg}`) }).parseFromString(
    body,
    'text/xml',
  );
  assert.deepEqual(errors, [], `well-formed XML:\n${body.slice(0, 300)}`);
  return doc;
}
const children = (el: Element, name: string) =>
  Array.from(el.childNodes).filter((n): n is Element => n.nodeType === 1 && (n as Element).tagName === name);
const text = (el: Element, name: string) => children(el, name)[0]?.textContent ?? undefined;

/** FixMyStreet's _get_xml_object: group tags are forced to arrays, elements become hashes of text. */
const FMS_ARRAYS = new Set(['service', 'attribute', 'value', 'request', 'error', 'request_update']);
function fmsRead(body: string): Record<string, any> {
  const toObj = (el: Element): any => {
    const kids = Array.from(el.childNodes).filter((n): n is Element => n.nodeType === 1);
    if (!kids.length) return el.textContent ?? '';
    const o: Record<string, any> = {};
    for (const k of kids) {
      const v = toObj(k);
      if (FMS_ARRAYS.has(k.tagName)) (o[k.tagName] ??= []).push(v);
      else o[k.tagName] = v;
    }
    return o;
  };
  return toObj(xml(body).documentElement!);
}

function expectErrors(
  res: { statusCode: number; body: string; headers: Record<string, unknown> },
  code: 400 | 403 | 404,
  format: 'json' | 'xml',
) {
  assert.equal(res.statusCode, code, res.body);
  if (format === 'json') {
    assert.match(String(res.headers['content-type']), /application\/json/);
    const list = JSON.parse(res.body);
    assert.ok(Array.isArray(list) && list.length >= 1);
    assert.equal(list[0].code, code);
    assert.equal(typeof list[0].description, 'string');
    assert.ok(list[0].description.length > 0);
  } else {
    assert.match(String(res.headers['content-type']), /text\/xml/);
    const root = xml(res.body).documentElement!;
    assert.equal(root.tagName, 'errors');
    const errs = children(root, 'error');
    assert.equal(text(errs[0]!, 'code'), String(code));
    assert.ok(text(errs[0]!, 'description'));
    const fms = fmsRead(res.body);
    assert.equal(fms.error[0].code, String(code));
  }
}

test('discovery names the GeoReport v2 spec, the endpoint URL and both formats', async () => {
  for (const base of ['/open311/v2', `/open311/v2/${TARTU}`]) {
    const j = await get(`${base}/discovery.json`);
    assert.equal(j.statusCode, 200);
    const d = j.json();
    assert.ok(d.changeset && d.contact && d.key_service);
    assert.equal(d.endpoints[0].specification, SPEC_URL);
    assert.equal(d.endpoints[0].url, `https://kov.example.ee${base}`);
    assert.deepEqual(d.endpoints[0].formats, ['text/xml', 'application/json']);
    assert.ok(['production', 'test'].includes(d.endpoints[0].type));
    const x = xml((await get(`${base}/discovery.xml`)).body).documentElement!;
    assert.equal(x.tagName, 'discovery');
    const ep = children(children(x, 'endpoints')[0]!, 'endpoint')[0]!;
    assert.equal(text(ep, 'specification'), SPEC_URL);
    assert.deepEqual(
      children(children(ep, 'formats')[0]!, 'format').map((f) => f.textContent),
      ['text/xml', 'application/json'],
    );
  }
});

test('services and service definitions, in JSON and XML, nationally and per municipality', async () => {
  for (const url of [
    `/open311/v2/${TARTU}/services.json`,
    `/open311/v2/services.json?jurisdiction_id=${TARTU}`,
    '/open311/v2/services.json',
  ]) {
    const res = await get(url);
    assert.equal(res.statusCode, 200, url);
    const list = res.json();
    assert.ok(Array.isArray(list) && list.length >= 8);
    for (const s of list) {
      assert.deepEqual(Object.keys(s).sort(), [
        'description',
        'group',
        'keywords',
        'metadata',
        'service_code',
        'service_name',
        'type',
      ]);
      assert.equal(typeof s.service_code, 'string');
      assert.equal(typeof s.metadata, 'boolean');
      assert.ok(['realtime', 'batch', 'blackbox'].includes(s.type));
    }
    assert.ok(list.some((s: { service_name: string }) => s.service_name === 'Teed ja tänavad'));
  }
  const tartu = (await get(`/open311/v2/${TARTU}/services.json`)).json();
  assert.equal(tartu.find((s: { service_code: string }) => s.service_code === 'other').type, 'batch');
  assert.equal(tartu.find((s: { service_code: string }) => s.service_code === 'hazard').metadata, true);
  assert.equal(
    (
      await app.inject({
        method: 'GET',
        url: `/open311/v2/${TARTU}/services.json`,
        headers: { 'accept-language': 'en' },
      })
    ).json()[0].service_name,
    'Roads and streets',
  );

  const sx = await get(`/open311/v2/${TARTU}/services.xml`);
  assert.match(String(sx.headers['content-type']), /text\/xml/);
  const root = xml(sx.body).documentElement!;
  assert.equal(root.tagName, 'services');
  const services = children(root, 'service');
  assert.equal(services.length, tartu.length);
  assert.equal(
    text(
      services.find((s) => text(s, 'service_code') === 'hazard')!,
      'metadata',
    ),
    'true',
  );
  assert.equal(fmsRead(sx.body).service.length, tartu.length);

  const def = (await get(`/open311/v2/${TARTU}/services/hazard.json`)).json();
  assert.equal(def.service_code, 'hazard');
  const a = def.attributes[0];
  assert.deepEqual(Object.keys(a).sort(), [
    'code',
    'datatype',
    'datatype_description',
    'description',
    'order',
    'required',
    'values',
    'variable',
  ]);
  assert.equal(a.variable, true);
  assert.equal(a.required, true);
  assert.equal(a.order, 1);
  assert.ok(['string', 'number', 'datetime', 'text', 'singlevaluelist', 'multivaluelist'].includes(a.datatype));
  assert.deepEqual(
    a.values.map((v: { key: string }) => v.key),
    ['yes', 'no'],
  );
  const dx = fmsRead((await get(`/open311/v2/${TARTU}/services/hazard.xml`)).body);
  assert.equal(dx.service_code, 'hazard');
  assert.equal(dx.attributes.attribute[0].code, 'urgent');
  assert.equal(dx.attributes.attribute[0].required, 'true');
  assert.equal(dx.attributes.attribute[0].values.value[1].key, 'no');
  assert.equal(
    (await get(`/open311/v2/${TARTU}/services/roads.json`)).json().attributes[0].datatype,
    'singlevaluelist',
  );

  expectErrors(await get(`/open311/v2/${TARTU}/services/nope.json`), 404, 'json');
  expectErrors(await get(`/open311/v2/${TARTU}/services/nope.xml`), 404, 'xml');
  expectErrors(await get('/open311/v2/9999/services.xml'), 404, 'xml');
  expectErrors(await get('/open311/v2/services.json?jurisdiction_id=nowhere'), 404, 'json');
  expectErrors(await get(`/open311/v2/${TARTU}/services.json?jurisdiction_id=${ELVA}`), 400, 'json');
  expectErrors(await get(`/open311/v2/${TARTU}/nothing-here.xml`), 404, 'xml');
});

test('POST requests: service_request_id (realtime) or token (batch), in JSON and XML; tokens resolve', async () => {
  const j = await post(`/open311/v2/${TARTU}/requests.json`, {
    api_key: tartuKey,
    service_code: 'roads',
    ...RAEKODA,
    description: 'Sügav auk',
    email: 'mari@example.ee',
    first_name: 'Mari',
    last_name: 'Maasikas',
    phone: '+372 5555 5555',
    'attribute[surface]': 'pothole',
  });
  assert.equal(j.statusCode, 200, j.body);
  const created = j.json();
  assert.ok(Array.isArray(created) && created.length === 1);
  assert.equal(typeof created[0].service_request_id, 'string');
  assert.ok('service_notice' in created[0] && 'account_id' in created[0]);
  assert.equal('token' in created[0], false);

  const x = await post(`/open311/v2/${TARTU}/requests.xml`, {
    api_key: tartuKey,
    jurisdiction_id: TARTU,
    service_code: 'hazard',
    ...RAEKODA,
    description: 'Kaev lahti',
    'attribute[urgent]': 'yes',
  });
  assert.equal(x.statusCode, 200, x.body);
  const fx = fmsRead(x.body);
  assert.match(fx.request[0].service_request_id, /^\d+$/);
  assert.equal(xml(x.body).documentElement!.tagName, 'service_requests');

  const batch = await post(`/open311/v2/${TARTU}/requests.xml`, {
    api_key: tartuKey,
    service_code: 'other',
    ...RAEKODA,
    description: 'Pink',
  });
  const token = fmsRead(batch.body).request[0].token as string;
  assert.match(token, /^[0-9a-f-]{36}$/);
  assert.equal(fmsRead(batch.body).request[0].service_request_id, undefined);
  const tj = (await get(`/open311/v2/${TARTU}/tokens/${token}.json`)).json();
  assert.deepEqual(Object.keys(tj[0]).sort(), ['service_request_id', 'token']);
  assert.equal(tj[0].token, token);
  const tx = fmsRead((await get(`/open311/v2/tokens/${token}.xml`)).body);
  assert.equal(tx.request[0].service_request_id, tj[0].service_request_id);
  expectErrors(await get(`/open311/v2/${TARTU}/tokens/00000000-0000-4000-8000-000000000000.json`), 404, 'json');
  expectErrors(await get(`/open311/v2/${TARTU}/tokens/not-a-token.xml`), 404, 'xml');

  // Nationally, the point decides the municipality; a national key may report anywhere.
  const nat = await post('/open311/v2/requests.json', {
    api_key: nationalKey,
    service_code: 'lighting',
    lat: '58.2225',
    long: '26.4215',
    description: 'Elva lamp',
  });
  assert.equal(nat.statusCode, 200, nat.body);
  const natId = nat.json()[0].service_request_id;
  assert.equal((await get(`/open311/v2/${ELVA}/requests/${natId}.json`)).json()[0].service_request_id, natId);
  // A municipality's key reports only in its municipality.
  expectErrors(
    await post('/open311/v2/requests.json', {
      api_key: tartuKey,
      service_code: 'lighting',
      lat: '58.2225',
      long: '26.4215',
      description: 'x',
    }),
    403,
    'json',
  );
  expectErrors(
    await post(`/open311/v2/${TARTU}/requests.xml`, {
      api_key: elvaKey,
      service_code: 'roads',
      ...RAEKODA,
      description: 'x',
    }),
    403,
    'xml',
  );
});

test('POST requests errors: 400 for bad input, 403 for a bad key, in both formats', async () => {
  const good = { api_key: tartuKey, service_code: 'roads', ...RAEKODA, description: 'x' };
  for (const format of ['json', 'xml'] as const) {
    const url = `/open311/v2/${TARTU}/requests.${format}`;
    expectErrors(await post(url, { ...good, api_key: '' }), 400, format);
    expectErrors(await post(url, { ...good, api_key: 'kov_AAAAAAAAAAAA_' + 'x'.repeat(43) }), 403, format);
    expectErrors(await post(url, { ...good, api_key: 'nonsense' }), 403, format);
    expectErrors(await post(url, { ...good, api_key: readOnlyKey }), 403, format);
    expectErrors(await post(url, { ...good, service_code: 'ufo' }), 400, format);
    expectErrors(await post(url, { ...good, lat: '59.8', long: '25.0' }), 400, format); // at sea
    expectErrors(await post(url, { ...good, lat: '56.95', long: '24.1' }), 400, format); // Riga
    expectErrors(await post(url, { ...good, lat: 'north' }), 400, format);
    expectErrors(await post(url, { ...good, description: 'd'.repeat(4001) }), 400, format);
    expectErrors(await post(url, { ...good, service_code: 'hazard' }), 400, format); // required attribute
    expectErrors(await post(url, { ...good, 'attribute[surface]': 'lava' }), 400, format);
    expectErrors(await post(url, { ...good, unknown_field: '1' }), 400, format);
    const { lat: _lat, long: _long, ...noPoint } = good;
    expectErrors(await post(url, noPoint), 400, format);
  }
  // address_string alone is accepted by a municipality's endpoint (placed inside it), not nationally.
  const addr = await post(`/open311/v2/${TARTU}/requests.json`, {
    api_key: tartuKey,
    service_code: 'roads',
    address_string: 'Riia 15',
    description: 'Auk',
  });
  assert.equal(addr.statusCode, 200, addr.body);
  expectErrors(
    await post('/open311/v2/requests.json', {
      api_key: nationalKey,
      service_code: 'roads',
      address_string: 'Riia 15',
      description: 'x',
    }),
    400,
    'json',
  );
});

test('GET requests and requests/{id}: the spec fields and types, filters, 90-day default, errors', async () => {
  const ids: string[] = [];
  for (const d of ['Esimene', 'Teine', 'Kolmas']) {
    ids.push(
      (
        await post(`/open311/v2/${TARTU}/requests.json`, {
          api_key: tartuKey,
          service_code: 'greenery',
          ...RAEKODA,
          description: d,
        })
      ).json()[0].service_request_id,
    );
  }
  const list = (await get(`/open311/v2/${TARTU}/requests.json?service_code=greenery`)).json();
  assert.ok(list.length >= 3);
  const r = list.find((x: { service_request_id: string }) => x.service_request_id === ids[0]);
  assert.deepEqual(
    Object.keys(r).sort(),
    [
      'address',
      'address_id',
      'agency_responsible',
      'description',
      'expected_datetime',
      'lat',
      'long',
      'media_url',
      'requested_datetime',
      'service_code',
      'service_name',
      'service_notice',
      'service_request_id',
      'status',
      'status_notes',
      'updated_datetime',
      'zipcode',
    ].sort(),
  );
  assert.equal(r.status, 'open');
  assert.equal(typeof r.lat, 'number');
  assert.equal(typeof r.long, 'number');
  assert.match(r.requested_datetime, W3C);
  assert.match(r.updated_datetime, W3C);
  assert.match(r.expected_datetime, W3C);
  assert.equal(r.service_name, 'Haljastus');
  assert.equal(r.agency_responsible, 'Tartu linn');

  const byId = (await get(`/open311/v2/${TARTU}/requests.json?service_request_id=${ids[0]},${ids[2]}`)).json();
  assert.deepEqual(
    byId.map((x: { service_request_id: string }) => x.service_request_id).sort(),
    [ids[0], ids[2]].sort(),
  );
  assert.equal((await get(`/open311/v2/${TARTU}/requests.json?service_code=greenery&status=closed`)).json().length, 0);
  assert.equal(
    (await get(`/open311/v2/${TARTU}/requests.json?service_code=greenery&end_date=2000-01-01T00:00:00Z`)).json().length,
    0,
  );
  assert.ok(
    (
      await get(
        `/open311/v2/requests.json?jurisdiction_id=${TARTU}&start_date=${encodeURIComponent(new Date(Date.now() - 3600_000).toISOString())}`,
      )
    ).json().length >= 3,
  );

  const x = await get(`/open311/v2/${TARTU}/requests.xml?service_code=greenery`);
  const fx = fmsRead(x.body);
  assert.equal(fx.request.length, list.length);
  assert.match(fx.request[0].requested_datetime, W3C);
  assert.ok(['open', 'closed'].includes(fx.request[0].status));

  const one = (await get(`/open311/v2/${TARTU}/requests/${ids[1]}.json`)).json();
  assert.equal(one.length, 1);
  assert.equal(one[0].description, 'Teine');
  assert.equal(fmsRead((await get(`/open311/v2/requests/${ids[1]}.xml`)).body).request[0].service_request_id, ids[1]);
  expectErrors(await get(`/open311/v2/${TARTU}/requests/999999999.json`), 404, 'json');
  expectErrors(await get(`/open311/v2/${ELVA}/requests/${ids[1]}.xml`), 404, 'xml');
  expectErrors(await get(`/open311/v2/${TARTU}/requests.json?start_date=yesterday`), 400, 'json');
  expectErrors(await get(`/open311/v2/${TARTU}/requests.xml?status=maybe`), 400, 'xml');
  expectErrors(await get(`/open311/v2/${TARTU}/requests.json?service_request_id=abc`), 400, 'json');
  expectErrors(await get(`/open311/v2/${TARTU}/requests.csv`), 400, 'xml');
});

test('servicerequestupdates: a back-office posts status changes (idempotent by update_id) and fetches them as FixMyStreet does', async () => {
  const id = (
    await post(`/open311/v2/${TARTU}/requests.json`, {
      api_key: tartuKey,
      service_code: 'lighting',
      ...RAEKODA,
      description: 'Lamp',
    })
  ).json()[0].service_request_id;
  const start = new Date(Date.now() - 60_000).toISOString();
  const upd = {
    api_key: tartuKey,
    service_request_id: id,
    status: 'IN_PROGRESS',
    description: 'Elektrik saadetud',
    updated_datetime: new Date().toISOString(),
    update_id: 'BO-1',
    first_name: 'Back',
    last_name: 'Office',
  };
  const x = await post(`/open311/v2/${TARTU}/servicerequestupdates.xml`, upd);
  assert.equal(x.statusCode, 200, x.body);
  const fx = fmsRead(x.body);
  const updateId = fx.request_update[0].update_id as string;
  assert.match(updateId, /^\d+$/);
  const again = await post(`/open311/v2/${TARTU}/servicerequestupdates.json`, upd);
  assert.deepEqual(again.json(), [{ update_id: updateId }], 'a repeat of BO-1 is the same update');
  const fixed = await post(`/open311/v2/servicerequestupdates.json`, {
    api_key: tartuKey,
    service_request_id: id,
    status: 'FIXED',
    description: 'Lamp vahetatud',
    update_id: 'BO-2',
  });
  assert.equal(fixed.statusCode, 200, fixed.body);
  assert.equal((await get(`/open311/v2/${TARTU}/requests/${id}.json`)).json()[0].status, 'closed');
  assert.equal((await get(`/open311/v2/${TARTU}/requests/${id}.json`)).json()[0].status_notes, 'Lamp vahetatud');

  const end = new Date(Date.now() + 60_000).toISOString();
  const gx = await get(
    `/open311/v2/${TARTU}/servicerequestupdates.xml?api_key=${encodeURIComponent(tartuKey)}&start_date=${encodeURIComponent(start)}&end_date=${encodeURIComponent(end)}`,
  );
  assert.equal(gx.statusCode, 200, gx.body);
  assert.equal(xml(gx.body).documentElement!.tagName, 'service_request_updates');
  const updates = (fmsRead(gx.body).request_update as Record<string, string>[]).filter(
    (u) => u.service_request_id === id,
  );
  assert.deepEqual(
    updates.map((u) => u.status),
    ['IN_PROGRESS', 'FIXED'],
  );
  for (const u of updates) {
    assert.ok(u.update_id && u.updated_datetime && 'description' in u && 'media_url' in u);
    assert.match(u.updated_datetime!, W3C);
    assert.ok(STATUS_VALUES.includes(u.status!));
  }
  assert.equal(updates[0]!.update_id, updateId);
  const gj = (
    await get(
      `/open311/v2/servicerequestupdates.json?jurisdiction_id=${TARTU}&start_date=${encodeURIComponent(start)}&end_date=${encodeURIComponent(end)}`,
    )
  ).json();
  assert.ok(
    gj.some((u: { update_id: string; status: string }) => u.update_id === updateId && u.status === 'IN_PROGRESS'),
  );
  // Status changes made by officials appear too, with FixMyStreet's extended statuses.
  assert.ok(gj.every((u: { status: string }) => STATUS_VALUES.includes(u.status)));

  for (const format of ['json', 'xml'] as const) {
    const url = `/open311/v2/${TARTU}/servicerequestupdates.${format}`;
    expectErrors(await post(url, { ...upd, api_key: 'nonsense' }), 403, format);
    expectErrors(await post(url, { ...upd, api_key: elvaKey, update_id: 'E' }), 403, format);
    expectErrors(await post(url, { ...upd, status: 'EXPLODED', update_id: 'X' }), 400, format);
    expectErrors(await post(url, { ...upd, service_request_id: '999999999', update_id: 'Y' }), 404, format);
    expectErrors(await post(url, { api_key: tartuKey, service_request_id: id }), 400, format);
    expectErrors(await get(`${url}?start_date=${encodeURIComponent(start)}`), 400, format);
    expectErrors(await get(`${url}?api_key=nonsense`), 403, format);
  }
});
