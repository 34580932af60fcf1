/**
 * The typed response schemas (responses.ts) leave nothing out: for every JSON endpoint whose answer
 * is shaped by a use case, the HTTP answer (written by the response serializer, which drops any
 * field the schema does not name and coerces types) equals the use case's own result as JSON.
 * The data is chosen so that every optional field appears at least once.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { testPlatform, makePerson, grantRole, sessionFor } from '../../../test/support/app';
import type { PersonActor } from '../../platform/auth/actor';
import { issueApiKey } from '../../platform/auth/apiKeys';
import { adoptTemplate, createService } from './editService';
import { getVersion } from './readServices';
import { serviceDivergence } from './divergence';
import { coverageMatrix, municipalityCoverage } from './coverage';
import { municipalityOverlap, nationalOverlap } from './overlap';
import { assessService, assessmentReport, latestAssessment } from './assessment';
import { compareMunicipalities, createIntake, recordAnswer, refreshRollup, satisfactionResults } from './satisfaction';
import { listLifeEvents, lifeEventPage } from './lifeEvents';
import { generalData, updateGeneralData } from './generalData';
import * as R from './reference';
import type { ServiceData } from './schemas';

const ELVA = '0171';
const ELVL = '0000';

const platform = await testPlatform();
const { ctx, app } = platform;
const adminP = await makePerson(ctx);
await grantRole(ctx, ELVA, adminP.id, 'admin');
const elvlP = await makePerson(ctx);
await grantRole(ctx, ELVL, elvlP.id, 'admin');
const admin = await sessionFor(ctx, adminP.id);
const elvl = await sessionFor(ctx, elvlP.id);
const actor = (personId: string, municipalityCode: string): PersonActor => ({
  kind: 'person',
  personId,
  givenName: null,
  familyName: null,
  birthDate: '1980-01-01',
  idCodeMasked: '',
  roles: [{ municipalityCode, role: 'admin' }],
  acr: 'high',
});
const elva = actor(adminP.id, ELVA);
const national = actor(elvlP.id, ELVL);

const data = (over: Partial<ServiceData> = {}): ServiceData => ({
  name: { et: 'Sünni registreerimine vallas', ru: 'Регистрация рождения', en: 'Registering a birth' },
  description: { et: 'Sünni registreerimine vallavalitsuses.' },
  targetGroups: ['families'],
  field: 'child-protection',
  serviceType: 'registration',
  channels: [
    { type: 'e-service', address: 'https://www.elva.ee/iseteenindus', processingTime: 'P10D' },
    { type: 'service-desk', address: 'Kesk 32, Elva', openingHours: 'E–R 9–16' },
  ],
  feeType: 'free',
  costs: [],
  evidence: [],
  outputs: [{ name: 'Sünnitõend', type: 'declaration' }],
  legalBasis: [{ law: 'Perekonnaseisutoimingute seadus', section: '§ 27', url: 'https://www.riigiteataja.ee/' }],
  requirements: [],
  lifeEvents: [{ code: 'having-a-child', step: 1 }, { code: 'moving' }],
  stateServices: [
    {
      id: 'ska-family-benefits',
      name: 'Peretoetused',
      url: 'https://www.sotsiaalkindlustusamet.ee/',
      relation: 'duplicates',
    },
  ],
  owner: { name: 'Perekonnaseisuosakond', email: 'pk@elva.ee', phone: '+372 730 9880' },
  ...over,
});

const template = await createService(ctx, national, ELVL, { data: data({ lifeEvents: [] }), status: 'active' });
const adopted = await adoptTemplate(ctx, elva, ELVA, template.id);
const own = await createService(ctx, elva, ELVA, { data: data(), status: 'active' });
await updateGeneralData(ctx, elva, ELVA, {
  officialName: 'Elva Vallavalitsus',
  address: 'Kesk 32, Elva',
  email: 'info@elva.ee',
  phone: '+372 730 9870',
  website: 'https://www.elva.ee',
  openingHours: [{ days: 'Mo-Th', opens: '08:00', closes: '17:00' }],
  serviceDesks: [
    { name: 'Rõngu', address: 'Valga mnt 5, Rõngu', phone: '+372 730 9890' },
    { name: 'Puhja', address: 'Viljandi mnt 4' },
  ],
});
const answers = R.STANDARD_PRINCIPLES.map((p, i) => ({
  principle: p.code,
  answer: (['met', 'partly', 'not-met', 'not-applicable'] as const)[i % 4]!,
  ...(i % 4 < 2 ? { evidence: 'https://www.elva.ee/' } : {}),
}));
await assessService(ctx, elva, ELVA, own.id, { answers });
const intake = createIntake({ anonymousPerWindow: 1000, failedTokensPerWindow: 1000, windowMs: 60_000 });
for (const [i, score] of [5, 4, 2, 3].entries())
  await recordAnswer(
    ctx,
    intake,
    ELVA,
    {
      serviceId: own.id,
      channel: i % 2 ? 'e-service' : 'service-desk',
      score,
      ...(i ? { effort: 4 } : {}),
      lang: 'et',
    },
    { clientKey: 'responses-test' },
  );
const today = ctx.now().toISOString().slice(0, 10);
await refreshRollup(ctx, [today.slice(0, 8) + '01']);
const { key } = await issueApiKey(ctx, national, ELVL, { name: 'eesti.ee', scopes: ['services:state-channel'] });

const asJson = (v: unknown) => JSON.parse(JSON.stringify(v)) as unknown;
async function same(
  url: string,
  direct: unknown,
  headers: Record<string, string> = {},
  method: 'GET' | 'POST' = 'GET',
  payload?: object,
) {
  const res = await app.inject({ method, url: `/api/v1${url}`, headers, ...(payload ? { payload } : {}) });
  assert.equal(res.statusCode, method === 'POST' ? 201 : 200, `${url}: ${res.body}`);
  assert.deepEqual(res.json(), asJson(direct), url);
}

test('officials: versions, divergence, coverage, overlap, assessment, satisfaction answer in full', async () => {
  const h = admin.headers;
  await same(`/municipalities/${ELVA}/services/${own.id}/versions/1`, await getVersion(ctx, elva, ELVA, own.id, 1), h);
  for (const s of [own, adopted])
    await same(
      `/municipalities/${ELVA}/services/${s.id}/divergence`,
      await serviceDivergence(ctx, elva, ELVA, s.id),
      h,
    );
  await same(`/municipalities/${ELVA}/services-coverage`, await municipalityCoverage(ctx, elva, ELVA), h);
  const overlap = await municipalityOverlap(ctx, elva, ELVA);
  assert.ok(
    overlap.items.some((i) => i.similarity !== undefined) && overlap.items.some((i) => i.relation === 'duplicates'),
  );
  await same(`/municipalities/${ELVA}/services-overlap`, overlap, h);
  await same(
    `/municipalities/${ELVA}/services/${own.id}/assessment`,
    await latestAssessment(ctx, elva, ELVA, own.id),
    h,
  );
  await same(
    `/municipalities/${ELVA}/services/${adopted.id}/assessment`,
    await latestAssessment(ctx, elva, ELVA, adopted.id),
    h,
  );
  await same(`/municipalities/${ELVA}/services-assessment`, await assessmentReport(ctx, elva, ELVA), h);
  const posted = await app.inject({
    method: 'POST',
    url: `/api/v1/municipalities/${ELVA}/services/${adopted.id}/assessments`,
    headers: h,
    payload: { answers },
  });
  assert.equal(posted.statusCode, 201, posted.body);
  assert.deepEqual(posted.json(), asJson(await latestAssessment(ctx, elva, ELVA, adopted.id)));
  for (const groupBy of ['service', 'channel', 'service-channel'] as const) {
    const period = { from: '2000-01-01', to: '2100-01-01' };
    const direct = await satisfactionResults(ctx, elva, ELVA, { ...period, groupBy });
    assert.ok(direct.rows.length > 0);
    await same(`/municipalities/${ELVA}/satisfaction?from=2000-01-01&to=2100-01-01&groupBy=${groupBy}`, direct, h);
  }
});

test('ELVL: coverage matrix, national overlap and the comparison answer in full', async () => {
  const h = elvl.headers;
  await same('/services/coverage-matrix', await coverageMatrix(ctx, national), h);
  await same('/services/overlap', await nationalOverlap(ctx, national), h);
  const year = Number(today.slice(0, 4));
  const comparison = await compareMunicipalities(ctx, national, { year });
  assert.ok(comparison.municipalities.some((m) => m.key === ELVA));
  await same(`/satisfaction/comparison?year=${year}`, comparison, h);
});

test('public and state channels: reference, life events and general data answer in full', async () => {
  const ref = await app.inject({ method: 'GET', url: '/api/v1/services/reference' });
  const body = ref.json();
  assert.deepEqual(body.lifeEvents, asJson(R.LIFE_EVENTS));
  assert.deepEqual(body.stateServices, asJson(R.STATE_SERVICES));
  assert.deepEqual(body.principles, asJson(R.STANDARD_PRINCIPLES));
  assert.deepEqual(body.satisfactionLevels, asJson(R.SATISFACTION_LEVELS));
  assert.deepEqual(body.fields[0], { code: Object.keys(R.FIELDS)[0], label: Object.values(R.FIELDS)[0] });
  for (const lang of ['et', 'ru'] as const) {
    await same(`/public/municipalities/${ELVA}/life-events?lang=${lang}`, await listLifeEvents(ctx, ELVA, lang));
    await same(
      `/public/municipalities/${ELVA}/life-events/having-a-child?lang=${lang}`,
      await lifeEventPage(ctx, ELVA, 'having-a-child', lang),
    );
    await same(`/public/municipalities/${ELVA}/general-data?lang=${lang}`, await generalData(ctx, ELVA, lang));
  }
  const page = await lifeEventPage(ctx, ELVA, 'moving', 'et');
  assert.ok(page.more.length > 0);
  await same(`/public/municipalities/${ELVA}/life-events/moving`, page);
  await same(`/state-channel/municipalities/${ELVA}/services?lang=en`, await generalData(ctx, ELVA, 'en'), {
    'x-api-key': key,
  });
});
