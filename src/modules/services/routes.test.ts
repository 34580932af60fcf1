import { test } from 'node:test';
import assert from 'node:assert/strict';
import { testPlatform, makePerson, grantRole, sessionFor } from '../../../test/support/app';
import { issueApiKey } from '../../platform/auth/apiKeys';
import type { PersonActor } from '../../platform/auth/actor';
import { parseJsonLd } from '../../platform/rdf';
import { createService } from './editService';
import { validateCpsv } from './cpsvExport';
import type { ServiceData } from './schemas';

const ELVA = '0171';
const TARTU = '0793';

const platform = await testPlatform();
const { ctx, app } = platform;
const editorP = await makePerson(ctx);
await grantRole(ctx, ELVA, editorP.id, 'editor');
const adminP = await makePerson(ctx);
await grantRole(ctx, ELVA, adminP.id, 'admin');
const elvlAdminP = await makePerson(ctx);
await grantRole(ctx, '0000', elvlAdminP.id, 'admin');
const editor = await sessionFor(ctx, editorP.id);
const actor = (id: string, m: string, role: 'admin' | 'editor'): PersonActor => ({
  kind: 'person',
  personId: id,
  givenName: null,
  familyName: null,
  birthDate: '1980-01-01',
  idCodeMasked: '',
  roles: [{ municipalityCode: m, role }],
  acr: 'high',
});

const data: ServiceData = {
  name: {
    et: 'Lasteaiakoha taotlemine',
    ru: 'Заявление на место в детском саду',
    en: 'Applying for a kindergarten place',
  },
  description: { et: 'Koht munitsipaallasteaias.', en: 'A place in a municipal kindergarten.' },
  targetGroups: ['families'],
  field: 'education',
  serviceType: 'place',
  channels: [
    { type: 'e-service', address: 'https://www.elva.ee/iseteenindus', processingTime: 'P30D' },
    { type: 'service-desk', address: 'Kesk 32, Elva', openingHours: 'E–R 9–16' },
  ],
  feeType: 'service-fee',
  costs: [{ description: 'Kohatasu kuus', valueCents: 9000 }],
  evidence: [],
  outputs: [{ name: 'Lasteaiakoha pakkumine', type: 'declaration' }],
  legalBasis: [{ law: 'Koolieelse lasteasutuse seadus', section: '§ 10', url: 'https://www.riigiteataja.ee/akt/KELS' }],
  requirements: ['Lapse elukoht on Elva vallas'],
  lifeEvents: [{ code: 'having-a-child', step: 4 }],
  stateServices: [],
  owner: { name: 'Haridusosakond', email: 'haridus@elva.ee' },
};
const service = await createService(ctx, actor(editorP.id, ELVA, 'editor'), ELVA, { data, status: 'active' });

test('public catalogue, life events and the Bürokratt general data', async () => {
  const list = await app.inject({ method: 'GET', url: `/api/v1/public/municipalities/${ELVA}/services?q=lasteaia` });
  assert.equal(list.statusCode, 200);
  assert.deepEqual(
    list.json().map((s: { id: string }) => s.id),
    [service.id],
  );
  const page = await app.inject({
    method: 'GET',
    url: `/api/v1/public/municipalities/${ELVA}/life-events/having-a-child?lang=ru`,
  });
  assert.equal(page.json().steps[3].municipalServices[0].name, 'Заявление на место в детском саду');
  const unknown = await app.inject({
    method: 'GET',
    url: `/api/v1/public/municipalities/${ELVA}/life-events/winning-the-lottery`,
  });
  assert.equal(unknown.statusCode, 404);
  assert.equal(unknown.json().type, '/problems/unknown-life-event');
  assert.match(unknown.headers['content-type'] as string, /application\/problem\+json/);
  const badFilter = await app.inject({
    method: 'GET',
    url: `/api/v1/public/municipalities/${ELVA}/services?lifeEvent=nope`,
  });
  assert.equal(badFilter.json().type, '/problems/unknown-life-event');
  const gd = await app.inject({
    method: 'GET',
    url: `/api/v1/public/municipalities/${ELVA}/general-data?lang=en`,
    headers: { origin: 'https://buerokratt.example' },
  });
  assert.equal(gd.statusCode, 200);
  assert.equal(gd.headers['access-control-allow-origin'], '*');
  assert.equal(gd.json().services[0].name, 'Applying for a kindergarten place');
  assert.equal(gd.json().services[0].channels[1].openingHours, 'E–R 9–16');
});

test('CPSV-AP as Turtle and JSON-LD; the JSON-LD read back conforms to the shapes', async () => {
  const ttl = await app.inject({ method: 'GET', url: `/api/v1/public/municipalities/${ELVA}/cpsv-ap` });
  assert.equal(ttl.statusCode, 200);
  assert.match(ttl.headers['content-type'] as string, /^text\/turtle/);
  assert.match(ttl.body, /Lasteaiakoha taotlemine/);
  const jl = await app.inject({
    method: 'GET',
    url: `/api/v1/public/municipalities/${ELVA}/cpsv-ap`,
    headers: { accept: 'application/ld+json' },
  });
  assert.match(jl.headers['content-type'] as string, /^application\/ld\+json/);
  const report = await validateCpsv(await parseJsonLd(jl.json()));
  assert.equal(report.conforms, true, report.text);
});

test('officials: over-long name and invalid legal reference are clear 400s; versions and CSV', async () => {
  const long = await app.inject({
    method: 'POST',
    url: `/api/v1/municipalities/${ELVA}/services`,
    headers: editor.headers,
    payload: { data: { ...data, name: { et: 'x'.repeat(81) } } },
  });
  assert.equal(long.statusCode, 400);
  assert.ok(
    long.json().errors.some((e: { pointer: string }) => e.pointer === '/body/data/name/et'),
    long.body,
  );
  const legal = await app.inject({
    method: 'POST',
    url: `/api/v1/municipalities/${ELVA}/services`,
    headers: editor.headers,
    payload: { data: { ...data, legalBasis: [{ law: 'SHS', section: 'kuus', url: 'ftp://x' }] } },
  });
  assert.equal(legal.statusCode, 400);
  assert.deepEqual(
    legal
      .json()
      .errors.map((e: { pointer: string }) => e.pointer)
      .sort(),
    ['/body/data/legalBasis/0/section', '/body/data/legalBasis/0/url'],
  );
  const put = await app.inject({
    method: 'PUT',
    url: `/api/v1/municipalities/${ELVA}/services/${service.id}`,
    headers: editor.headers,
    payload: { data: { ...data, requirements: [] }, status: 'active', baseVersion: 1 },
  });
  assert.equal(put.statusCode, 200, put.body);
  const stale = await app.inject({
    method: 'PUT',
    url: `/api/v1/municipalities/${ELVA}/services/${service.id}`,
    headers: editor.headers,
    payload: { data, status: 'active', baseVersion: 1 },
  });
  assert.equal(stale.statusCode, 409);
  assert.equal(stale.json().type, '/problems/stale-service-version');
  const versions = await app.inject({
    method: 'GET',
    url: `/api/v1/municipalities/${ELVA}/services/${service.id}/versions`,
    headers: editor.headers,
  });
  assert.deepEqual(
    versions.json().map((v: { version: number }) => v.version),
    [2, 1],
  );
  const csv = await app.inject({
    method: 'GET',
    url: `/api/v1/municipalities/${ELVA}/satisfaction?from=2020-01-01&to=2030-12-31&groupBy=service&format=csv`,
    headers: editor.headers,
  });
  assert.equal(csv.statusCode, 200);
  assert.match(csv.headers['content-type'] as string, /^text\/csv/);
  assert.match(csv.body, /^\uFEFFkey,label,answers,index,level,satisfaction_percent/);
  const link = await app.inject({
    method: 'GET',
    url: `/api/v1/municipalities/${ELVA}/services/${service.id}/survey-link?lang=en`,
    headers: editor.headers,
  });
  assert.match(link.json().qrSvg, /^<svg/);
  assert.match(link.json().script, /survey\/embed\.js/);
});

test('the survey page can be framed anywhere, works in three languages, and records a form answer', async () => {
  for (const [lang, text] of [
    ['et', 'Kui rahul olite teenusega?'],
    ['ru', 'Насколько вы довольны услугой?'],
    ['en', 'How satisfied were you with the service?'],
  ] as const) {
    const res = await app.inject({
      method: 'GET',
      url: `/survey/${ELVA}/${service.id}?lang=${lang}&embed=1&source=embed`,
    });
    assert.equal(res.statusCode, 200);
    assert.ok(res.body.includes(`<html lang="${lang}">`));
    assert.ok(res.body.includes(text));
    assert.equal(res.headers['x-frame-options'], undefined);
    assert.match(res.headers['content-security-policy'] as string, /frame-ancestors \*/);
  }
  // Other pages stay unframeable.
  const api = await app.inject({ method: 'GET', url: '/api/v1/services/reference' });
  assert.match(api.headers['content-security-policy'] as string, /frame-ancestors 'none'/);
  const ok = await app.inject({
    method: 'POST',
    url: `/survey/${ELVA}/${service.id}?lang=en`,
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: 'score=4&effort=5&comment=Fine&channel=homepage&source=embed',
  });
  assert.equal(ok.statusCode, 200);
  assert.match(ok.body, /Thank you!/);
  const bad = await app.inject({
    method: 'POST',
    url: `/survey/${ELVA}/${service.id}?lang=et`,
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: 'score=9&channel=homepage',
  });
  assert.equal(bad.statusCode, 400);
  assert.match(bad.body, /role="alert"/);
  const missing = await app.inject({
    method: 'GET',
    url: `/survey/${ELVA}/00000000-0000-4000-8000-000000000000?lang=en`,
  });
  assert.equal(missing.statusCode, 404);
  const js = await app.inject({ method: 'GET', url: '/survey/embed.js' });
  assert.match(js.headers['content-type'] as string, /javascript/);
  assert.equal(js.headers['cross-origin-resource-policy'], 'cross-origin');
});

test('back-office API key triggers a survey; the token answers once through the CORS answer endpoint', async () => {
  const { key } = await issueApiKey(ctx, actor(adminP.id, ELVA, 'admin'), ELVA, {
    name: 'Elva DHS',
    scopes: ['services:surveys'],
  });
  const created = await app.inject({
    method: 'POST',
    url: `/api/v1/municipalities/${ELVA}/survey-deliveries`,
    headers: { 'x-api-key': key },
    payload: { serviceId: service.id, channel: 'service-desk', lang: 'et' },
  });
  assert.equal(created.statusCode, 201, created.body);
  const { token } = created.json();
  const other = await app.inject({
    method: 'POST',
    url: `/api/v1/municipalities/${TARTU}/survey-deliveries`,
    headers: { 'x-api-key': key },
    payload: { serviceId: service.id, channel: 'service-desk' },
  });
  assert.equal(other.statusCode, 403);
  const pre = await app.inject({
    method: 'OPTIONS',
    url: `/api/v1/public/municipalities/${ELVA}/survey-answers`,
    headers: {
      origin: 'https://www.elva.ee',
      'access-control-request-method': 'POST',
      'access-control-request-headers': 'content-type',
    },
  });
  assert.equal(pre.statusCode, 204);
  assert.equal(pre.headers['access-control-allow-origin'], '*');
  assert.match(String(pre.headers['access-control-allow-headers']), /content-type/);
  const answer = (payload: Record<string, unknown>) =>
    app.inject({
      method: 'POST',
      url: `/api/v1/public/municipalities/${ELVA}/survey-answers`,
      headers: { origin: 'https://www.elva.ee' },
      payload: { serviceId: service.id, channel: 'e-service', lang: 'et', ...payload },
    });
  const first = await answer({ score: 5, token });
  assert.equal(first.statusCode, 201, first.body);
  assert.equal(first.headers['access-control-allow-origin'], '*');
  const again = await answer({ score: 1, token });
  assert.equal(again.statusCode, 409);
  assert.equal(again.json().type, '/problems/survey-token-used');
  assert.equal(again.headers['access-control-allow-origin'], '*', 'errors are readable cross-origin too');
  const range = await answer({ score: 6 });
  assert.equal(range.statusCode, 400);
  assert.ok(range.json().errors.some((e: { pointer: string }) => e.pointer === '/body/score'));
  const noKey = await app.inject({
    method: 'POST',
    url: `/api/v1/municipalities/${ELVA}/survey-deliveries`,
    payload: { serviceId: service.id, channel: 'service-desk' },
  });
  assert.equal(noKey.statusCode, 401);
});

test('state channels: services with a key, personal items only with a national key; Minu vald for the person', async () => {
  const resident = await makePerson(ctx, { birthDate: '1985-03-04' });
  const del = await app.inject({
    method: 'POST',
    url: `/api/v1/municipalities/${ELVA}/survey-deliveries`,
    headers: editor.headers,
    payload: { serviceId: service.id, channel: 'service-desk', personIdCode: resident.idCode },
  });
  assert.equal(del.statusCode, 201, del.body);
  const { key: local } = await issueApiKey(ctx, actor(adminP.id, ELVA, 'admin'), ELVA, {
    name: 'Elva portaal',
    scopes: ['services:state-channel'],
  });
  const { key: national } = await issueApiKey(ctx, actor(elvlAdminP.id, '0000', 'admin'), '0000', {
    name: 'eesti.ee',
    scopes: ['services:state-channel'],
  });
  const services = await app.inject({
    method: 'GET',
    url: `/api/v1/state-channel/municipalities/${ELVA}/services?lang=en&lifeEvent=having-a-child`,
    headers: { 'x-api-key': national },
  });
  assert.equal(services.statusCode, 200);
  assert.equal(services.json().services.length, 1);
  assert.equal(
    (await app.inject({ method: 'GET', url: `/api/v1/state-channel/municipalities/${ELVA}/services` })).statusCode,
    401,
  );
  const denied = await app.inject({
    method: 'POST',
    url: '/api/v1/state-channel/personal-items',
    headers: { 'x-api-key': local },
    payload: { personIdCode: resident.idCode },
  });
  assert.equal(denied.statusCode, 403);
  const items = await app.inject({
    method: 'POST',
    url: '/api/v1/state-channel/personal-items',
    headers: { 'x-api-key': national },
    payload: { personIdCode: resident.idCode, lang: 'en' },
  });
  assert.equal(items.statusCode, 200, items.body);
  assert.equal(items.json().kinds.survey.items[0].title, 'Applying for a kindergarten place');
  const s = await sessionFor(ctx, resident.id);
  const mine = await app.inject({ method: 'GET', url: '/api/v1/me/minu-vald?lang=et', headers: s.headers });
  assert.equal(mine.json().kinds.survey.items.length, 1);
  // Votes (participation) and reports (Anna Teada) come through their modules' public functions.
  assert.deepEqual(mine.json().kinds.vote, { items: [] });
  assert.deepEqual(mine.json().kinds.report, { items: [] });
  assert.equal((await app.inject({ method: 'GET', url: '/api/v1/me/minu-vald' })).statusCode, 401);
});

test("another municipality's official gets nothing from any of the services module's session routes", async () => {
  const tartuP = await makePerson(ctx);
  await grantRole(ctx, TARTU, tartuP.id, 'admin');
  const tartu = await sessionFor(ctx, tartuP.id);
  const doc = (await app.inject({ method: 'GET', url: '/api/docs/json' })).json();
  let checked = 0;
  for (const [p, ops] of Object.entries<Record<string, { security?: unknown[]; tags?: string[] }>>(doc.paths)) {
    if (!p.includes('{code}')) continue;
    for (const [method, op] of Object.entries(ops)) {
      if (!op.security?.length || !op.tags?.includes('services')) continue;
      const url = p.replace('{code}', ELVA).replace(/\{[^}]+\}/g, service.id);
      const res = await app.inject({
        method: method.toUpperCase() as 'GET',
        url,
        headers: tartu.headers,
        ...(method === 'get' || method === 'delete' ? {} : { payload: {} }),
      });
      assert.ok(res.statusCode >= 400, `${method} ${p} answered ${res.statusCode}`);
      if (method === 'get')
        assert.ok([403, 404].includes(res.statusCode), `${method} ${p}: ${res.statusCode} ${res.body}`);
      checked += 1;
    }
  }
  assert.ok(checked >= 15, `checked ${checked}`);
});
