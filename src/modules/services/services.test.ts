import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { testContext, makePerson } from '../../../test/support/app';
import { inScope } from '../../platform/db/database';
import { Problem } from '../../platform/http/problems';
import type { PersonActor } from '../../platform/auth/actor';
import type { Role } from '../../platform/db/tables';
import { adoptTemplate, createService, updateService } from './editService';
import { listVersions } from './readServices';
import { serviceDivergence } from './divergence';
import { coverageMatrix, municipalityCoverage } from './coverage';
import { municipalityOverlap, similarity } from './overlap';
import { lifeEventPage } from './lifeEvents';
import { assessService, assessmentReport, scoreAssessment } from './assessment';
import {
  compareMunicipalities,
  createDelivery,
  createIntake,
  figures,
  recordAnswer,
  refreshRollup,
  satisfactionResults,
  surveysWaiting,
  tallyOf,
  csvField,
} from './satisfaction';
import { cpsvGraph, exportCatalogue, validateCpsv } from './cpsvExport';
import { personalItems } from './personalItems';
import { STANDARD_PRINCIPLES } from './reference';
import type { ServiceData } from './schemas';

const ELVA = '0171';
const TARTU = '0793';
const ELVL = '0000';

const { ctx } = await testContext();
const actorOf = async (roles: [string, Role][]): Promise<PersonActor> => {
  const p = await makePerson(ctx);
  return {
    kind: 'person',
    personId: p.id,
    givenName: 'Test',
    familyName: 'Official',
    birthDate: '1980-05-17',
    idCodeMasked: '',
    roles: roles.map(([m, role]) => ({ municipalityCode: m, role })),
    acr: 'high',
  };
};
const elvl = await actorOf([[ELVL, 'editor']]);
const elvlAnalyst = await actorOf([[ELVL, 'analyst']]);
const elva = await actorOf([[ELVA, 'editor']]);
const elvaAnalyst = await actorOf([[ELVA, 'analyst']]);
const tartu = await actorOf([[TARTU, 'editor']]);

function data(over: Partial<ServiceData> = {}): ServiceData {
  return {
    name: { et: 'Sünnitoetus', en: 'Birth allowance' },
    description: { et: 'Ühekordne toetus lapse sünni puhul.' },
    targetGroups: ['families'],
    field: 'child-protection',
    serviceType: 'benefit',
    channels: [{ type: 'e-service', address: 'https://iseteenindus.example.ee/', processingTime: 'P14D' }],
    feeType: 'free',
    costs: [],
    evidence: ['Lapse sünniandmed'],
    outputs: [{ name: 'Sünnitoetus', type: 'financial-benefit' }],
    legalBasis: [
      {
        law: 'Kohaliku omavalitsuse korralduse seadus',
        section: '§ 6 lg 1',
        url: 'https://www.riigiteataja.ee/akt/KOKS',
      },
    ],
    requirements: ['Vanema elukoht on vallas'],
    lifeEvents: [{ code: 'having-a-child', step: 2 }],
    stateServices: [
      {
        id: 'rr-birth-registration',
        name: 'Sünni registreerimine',
        url: 'https://www.eesti.ee/',
        relation: 'depends-on',
      },
    ],
    owner: { name: 'Teenuste meeskond', email: 'teenused@example.ee' },
    ...over,
  };
}

const problem = (kind: string, pointer?: string) => (err: unknown) => {
  assert.ok(err instanceof Problem, String(err));
  assert.equal(err.kind.slug, kind, err.detail);
  if (pointer)
    assert.ok(
      err.extras.errors?.some((e) => e.pointer === pointer),
      JSON.stringify(err.extras.errors),
    );
  return true;
};

const template = await createService(ctx, elvl, ELVL, { identifier: 'ELVL-T01', data: data(), status: 'active' });
const template2 = await createService(ctx, elvl, ELVL, {
  identifier: 'ELVL-T02',
  data: data({
    name: { et: 'Matusetoetus' },
    lifeEvents: [{ code: 'death-of-a-relative', step: 2 }],
    stateServices: [],
  }),
  status: 'active',
});

test('a municipality adopts a template once, adapts it, and sees how it diverges and what ELVL changed since', async () => {
  const adopted = await adoptTemplate(ctx, elva, ELVA, template.id);
  assert.equal(adopted.templateId, template.id);
  assert.equal(adopted.templateVersion, 1);
  assert.equal(adopted.status, 'being-created');
  assert.equal(adopted.data.competentAuthority, 'Elva vallavalitsus');
  assert.match(adopted.identifier, /^KOV0171-\d{3}$/);
  await assert.rejects(adoptTemplate(ctx, elva, ELVA, template.id), problem('template-already-adopted'));
  await assert.rejects(adoptTemplate(ctx, tartu, ELVA, template2.id), problem('forbidden'));

  const local = {
    ...adopted.data,
    channels: [{ type: 'e-service' as const, address: 'https://www.elva.ee/iseteenindus' }],
    requirements: ['Vanema elukoht on Elva vallas vähemalt 6 kuud'],
  };
  const v2 = await updateService(ctx, elva, ELVA, adopted.id, {
    data: local,
    status: 'active',
    baseVersion: 1,
    changeNote: 'Elva tingimused',
  });
  assert.equal(v2.version, 2);
  // Stale save is refused and writes nothing.
  await assert.rejects(
    updateService(ctx, elva, ELVA, adopted.id, { data: adopted.data, status: 'active', baseVersion: 1 }),
    problem('stale-service-version'),
  );

  let div = await serviceDivergence(ctx, elvaAnalyst, ELVA, adopted.id);
  assert.deepEqual(div.adapted, ['requirements']);
  assert.deepEqual(div.localised, ['channels', 'competentAuthority']);
  assert.equal(div.outdated, false);
  assert.deepEqual(div.templateChanged, []);

  // ELVL improves the template: the adopted service is now behind.
  await updateService(ctx, elvl, ELVL, template.id, {
    data: { ...template.data, description: { et: 'Makstakse proaktiivselt.' } },
    status: 'active',
    baseVersion: 1,
  });
  div = await serviceDivergence(ctx, elvaAnalyst, ELVA, adopted.id);
  assert.equal(div.outdated, true);
  assert.equal(div.adoptedVersion, 1);
  assert.equal(div.templateVersion, 2);
  assert.deepEqual(div.templateChanged, ['description']);
  assert.deepEqual(div.adapted, ['requirements'], 'the template change is not the municipality’s divergence');
});

test('every change is a version with who and when; nothing changed, no version', async () => {
  const s = await createService(ctx, elva, ELVA, {
    data: data({ name: { et: 'Elva kultuuritoetus' }, lifeEvents: [], stateServices: [] }),
  });
  const v2 = await updateService(ctx, elva, ELVA, s.id, {
    data: { ...s.data, feeType: 'service-fee', costs: [{ description: 'Taotluse menetlus', valueCents: 500 }] },
    status: 'active',
    baseVersion: 1,
    changeNote: 'Tasu',
  });
  const same = await updateService(ctx, elva, ELVA, s.id, { data: v2.data, status: 'active', baseVersion: 2 });
  assert.equal(same.version, 2);
  const versions = await listVersions(ctx, elvaAnalyst, ELVA, s.id);
  assert.deepEqual(
    versions.map((v) => v.version),
    [2, 1],
  );
  assert.equal(versions[0]!.changedBy, elva.personId);
  assert.deepEqual(versions[0]!.changedFields, ['costs', 'feeType', 'status']);
  assert.equal(versions[0]!.changeNote, 'Tasu');
  assert.ok(Date.parse(versions[0]!.changedAt) >= Date.parse(versions[1]!.changedAt));
  const audit = await inScope(ctx.db, { tenant: ELVA }, (trx) =>
    trx
      .selectFrom('audit_log')
      .select(['action', 'actor_id'])
      .where('subject', '=', `service:${s.id}`)
      .orderBy('seq')
      .execute(),
  );
  assert.deepEqual(
    audit.map((a) => a.action),
    ['services.service-created', 'services.service-changed'],
  );
  // The database refuses to rewrite history.
  await assert.rejects(
    inScope(ctx.db, { tenant: ELVA }, (trx) =>
      sql`UPDATE service_version SET change_note = 'x' WHERE service_id = ${s.id}`.execute(trx),
    ),
  );
  // Officials of another municipality cannot read the versions.
  await assert.rejects(listVersions(ctx, tartu, ELVA, s.id), problem('forbidden'));
});

test('bad input: over-long name (in characters), invalid legal reference, unknown life event — each names the field', async () => {
  const ok80 = 'õ'.repeat(80);
  await createService(ctx, elva, ELVA, { data: data({ name: { et: ok80 }, lifeEvents: [], stateServices: [] }) });
  await assert.rejects(
    createService(ctx, elva, ELVA, { data: data({ name: { et: 'õ'.repeat(81) } }) }),
    problem('validation', '/body/data/name/et'),
  );
  await assert.rejects(
    createService(ctx, elva, ELVA, {
      data: data({
        legalBasis: [
          { law: 'Sotsiaalhoolekande seadus', section: 'kuues paragrahv', url: 'https://www.riigiteataja.ee/akt/SHS' },
        ],
      }),
    }),
    problem('validation', '/body/data/legalBasis/0/section'),
  );
  await assert.rejects(
    createService(ctx, elva, ELVA, {
      data: data({
        legalBasis: [{ law: 'Sotsiaalhoolekande seadus', section: '§ 13¹ lg 2 p 5', url: 'http://example.com/shs' }],
      }),
    }),
    problem('validation', '/body/data/legalBasis/0/url'),
  );
  await assert.rejects(
    createService(ctx, elva, ELVA, { data: data({ lifeEvents: [{ code: 'winning-the-lottery' }] }) }),
    problem('validation', '/body/data/lifeEvents/0/code'),
  );
  await assert.rejects(
    createService(ctx, elva, ELVA, { data: data({ lifeEvents: [{ code: 'having-a-child', step: 9 }] }) }),
    problem('validation', '/body/data/lifeEvents/0/step'),
  );
  await assert.rejects(lifeEventPage(ctx, ELVA, 'winning-the-lottery', 'et'), problem('unknown-life-event'));
  await assert.rejects(createService(ctx, elvaAnalyst, ELVA, { data: data() }), problem('forbidden'));
});

test('coverage of one municipality and the national matrix of all 78', async () => {
  const cov = await municipalityCoverage(ctx, elvaAnalyst, ELVA);
  assert.equal(cov.templateCount, 2);
  assert.equal(cov.mapped, 1);
  assert.equal(cov.coveragePercent, 50);
  assert.equal(cov.templates.find((t) => t.templateId === template.id)!.service!.outdated, true);
  assert.equal(cov.templates.find((t) => t.templateId === template2.id)!.service, null);
  await assert.rejects(coverageMatrix(ctx, elva), problem('forbidden'));
  const m = await coverageMatrix(ctx, elvlAnalyst);
  assert.equal(m.municipalityCount, 78);
  const elvaRow = m.municipalities.find((r) => r.code === ELVA)!;
  assert.deepEqual(elvaRow.cells, ['active', null]);
  assert.equal(elvaRow.coveragePercent, 50);
  assert.ok(elvaRow.ownServices >= 2);
  assert.equal(m.municipalitiesStarted, 1);
  assert.deepEqual(
    m.templates.map((t) => t.municipalities),
    [1, 0],
  );
});

test('overlap report: declared duplicates and dependencies, and look-alikes nobody declared', async () => {
  assert.equal(similarity('Sünni registreerimine', 'Sünni registreerimine'), 1);
  assert.ok(similarity('Lasteaiakoha taotlemine', 'Sünni registreerimine') < 0.5);
  await createService(ctx, elva, ELVA, {
    status: 'active',
    data: data({
      name: { et: 'Sünni registreerimine' },
      lifeEvents: [{ code: 'having-a-child', step: 1 }],
      stateServices: [],
    }),
  });
  await createService(ctx, elva, ELVA, {
    status: 'active',
    data: data({
      name: { et: 'Elukoha registreerimine' },
      lifeEvents: [{ code: 'moving', step: 1 }],
      stateServices: [
        {
          id: 'rr-residence-notice',
          name: 'Elukoha teate esitamine',
          url: 'https://www.eesti.ee/',
          relation: 'duplicates',
        },
      ],
    }),
  });
  const o = await municipalityOverlap(ctx, elvaAnalyst, ELVA);
  const rel = (name: string, relation: string) => o.items.some((i) => i.name === name && i.relation === relation);
  assert.ok(rel('Sünni registreerimine', 'possible-duplicate'));
  assert.ok(rel('Elukoha registreerimine', 'duplicates'));
  assert.ok(rel('Sünnitoetus', 'depends-on'));
  assert.equal(o.byRelation.duplicates, 1);
  assert.ok(o.byRelation['possible-duplicate'] >= 1);
});

test('a life-event page puts municipal and state services in the order of the event’s steps', async () => {
  const page = await lifeEventPage(ctx, ELVA, 'having-a-child', 'en');
  assert.equal(page.event.name, 'Having a child');
  assert.deepEqual(
    page.steps.map((s) => s.step),
    [1, 2, 3, 4],
  );
  assert.deepEqual(
    page.steps[0]!.municipalServices.map((s) => s.name),
    ['Sünni registreerimine'],
  );
  assert.deepEqual(
    page.steps[0]!.stateServices.map((s) => s.id),
    ['rr-birth-registration'],
  );
  assert.deepEqual(
    page.steps[1]!.municipalServices.map((s) => s.name),
    ['Birth allowance'],
    'English name when there is one',
  );
  assert.deepEqual(
    page.steps[1]!.stateServices.map((s) => s.id),
    ['ska-family-benefits', 'ska-parental-benefit', 'rr-birth-registration'],
  );
  // Drafts and archived services are not shown to residents.
  const draft = await createService(ctx, elva, ELVA, {
    data: data({ name: { et: 'Mähkmetoetus' }, stateServices: [] }),
  });
  const again = await lifeEventPage(ctx, ELVA, 'having-a-child', 'et');
  assert.ok(!again.steps.flatMap((s) => s.municipalServices).some((s) => s.id === draft.id));
});

test('service standard check: score and gaps per service and per municipality', async () => {
  const codes = STANDARD_PRINCIPLES.map((p) => p.code);
  const answers = codes.map((principle, i) => ({
    principle,
    answer: (i < 5 ? 'met' : i < 7 ? 'partly' : i < 9 ? 'not-met' : 'not-applicable') as 'met',
    ...(i < 7 ? { evidence: 'link' } : {}),
  }));
  // By hand: 5 × 1 + 2 × ½ + 2 × 0 = 6 points over 9 applicable principles = 66.7; gaps = 2 partly + 2 not met.
  assert.deepEqual(
    {
      score: scoreAssessment(answers).score,
      gaps: scoreAssessment(answers).gaps.length,
      applicable: scoreAssessment(answers).applicable,
    },
    { score: 66.7, gaps: 4, applicable: 9 },
  );
  assert.equal(scoreAssessment(codes.map((principle) => ({ principle, answer: 'not-applicable' as const }))).score, 0);
  const s = await createService(ctx, elva, ELVA, {
    status: 'active',
    data: data({ name: { et: 'Hinnatav teenus' }, lifeEvents: [], stateServices: [] }),
  });
  const r = await assessService(ctx, elva, ELVA, s.id, { answers });
  assert.equal(r.score, 66.7);
  assert.deepEqual(
    r.gaps.map((g) => g.principle),
    codes.slice(5, 9),
  );
  await assert.rejects(
    assessService(ctx, elva, ELVA, s.id, { answers: answers.slice(1) }),
    problem('validation', '/body/answers'),
  );
  await assert.rejects(
    assessService(ctx, elva, ELVA, s.id, {
      answers: answers.map((a, i) => (i === 0 ? { principle: a.principle, answer: 'met' as const } : a)),
    }),
    problem('validation', '/body/answers/0/evidence'),
  );
  const s2 = await createService(ctx, elva, ELVA, {
    status: 'active',
    data: data({ name: { et: 'Teine hinnatav' }, lifeEvents: [], stateServices: [] }),
  });
  await assessService(ctx, elva, ELVA, s2.id, {
    answers: codes.map((principle) => ({ principle, answer: 'met' as const, evidence: 'ok' })),
  });
  const rep = await assessmentReport(ctx, elvaAnalyst, ELVA);
  assert.equal(rep.assessedCount, 2);
  assert.equal(rep.meanScore, 83.4); // (66.7 + 100) / 2 = 83.35 → 83.4
  assert.equal(rep.gapsByPrinciple.find((g) => g.principle === codes[5])!.services, 1);
});

test('satisfaction index, level and satisfaction % match hand-computed answers', () => {
  // 5,4,4,3,2,1,5,5,4,3: sum 36 over 10 → index 3.6 (advanced); 4s and 5s: 6 of 10 → 60 %.
  const f = figures('x', tallyOf([5, 4, 4, 3, 2, 1, 5, 5, 4, 3].map((score) => ({ score }))));
  assert.deepEqual(
    { index: f.index, level: f.level, pct: f.satisfactionPercent, dist: f.distribution, low: f.lowSample },
    { index: 3.6, level: 'advanced', pct: 60, dist: [1, 1, 2, 3, 3], low: false },
  );
  assert.equal(figures('x', tallyOf([3, 4].map((score) => ({ score })))).level, 'advanced'); // exactly 3.5
  assert.equal(figures('x', tallyOf([4, 4].map((score) => ({ score })))).level, 'exemplary'); // exactly 4
  assert.equal(figures('x', tallyOf([3, 3, 3].map((score) => ({ score })))).level, 'basic'); // exactly 3
  assert.equal(figures('x', tallyOf([3, 3, 2].map((score) => ({ score })))).level, 'below-basic'); // 2.67
  const t = figures('x', tallyOf([{ score: 2 }, { score: 3 }, { score: 5 }]));
  assert.deepEqual([t.index, t.satisfactionPercent, t.lowSample], [3.33, 33, true]); // 10/3, 1/3
  assert.equal(figures('x', tallyOf([])).index, null);
  assert.equal(csvField('=HYPERLINK("x")'), `"'=HYPERLINK(""x"")"`);
});

test('answers through the intake: per municipality results, ELVL comparison from the roll-up, CSV-safe', async () => {
  const s = await createService(ctx, elva, ELVA, {
    status: 'active',
    data: data({ name: { et: 'Mõõdetud teenus' }, lifeEvents: [], stateServices: [] }),
  });
  const intake = createIntake({ anonymousPerWindow: 1000, failedTokensPerWindow: 1000, windowMs: 60_000 });
  const scores = [5, 4, 4, 3, 2, 1, 5, 5, 4, 3];
  for (const [i, score] of scores.entries()) {
    await recordAnswer(
      ctx,
      intake,
      ELVA,
      {
        serviceId: s.id,
        channel: i < 6 ? 'e-service' : 'service-desk',
        score,
        ...(i < 4 ? { effort: 4 } : {}),
        lang: 'et',
      },
      { clientKey: 'test' },
    );
  }
  const today = new Date().toISOString().slice(0, 10);
  const r = await satisfactionResults(ctx, elvaAnalyst, ELVA, {
    from: '2000-01-01',
    to: '2100-01-01',
    groupBy: 'channel',
    serviceId: s.id,
  });
  const web = r.rows.find((x) => x.key === 'e-service')!;
  // e-service: 5,4,4,3,2,1 → 19/6 = 3.17, basic; 4s and 5s 3/6 = 50 %; effort 4 on four answers.
  assert.deepEqual(
    [web.answers, web.index, web.level, web.satisfactionPercent, web.effortIndex],
    [6, 3.17, 'basic', 50, 4],
  );
  assert.deepEqual(
    [r.total.answers, r.total.index, r.total.level, r.total.satisfactionPercent],
    [10, 3.6, 'advanced', 60],
  );
  await assert.rejects(
    satisfactionResults(ctx, tartu, ELVA, { from: today, to: today, groupBy: 'total' }),
    problem('forbidden'),
  );
  await assert.rejects(
    satisfactionResults(ctx, elvaAnalyst, ELVA, { from: today, to: '2000-01-01', groupBy: 'total' }),
    problem('validation', '/query/to'),
  );

  const month = today.slice(0, 8) + '01';
  await refreshRollup(ctx, [month]);
  const c = await compareMunicipalities(ctx, elvlAnalyst, { year: Number(today.slice(0, 4)) });
  const row = c.municipalities.find((m) => m.key === ELVA)!;
  assert.ok(row.answers >= 10);
  assert.equal(
    c.national.answers,
    c.municipalities.reduce((n, m) => n + m.answers, 0),
  );
  await assert.rejects(compareMunicipalities(ctx, elva, { year: 2025 }), problem('forbidden'));
  // Only the services of one template.
  const none = await compareMunicipalities(ctx, elvlAnalyst, {
    year: Number(today.slice(0, 4)),
    templateId: template2.id,
  });
  assert.equal(none.national.answers, 0);
});

test('one answer per delivery token, even when two arrive at once; expired, unknown and out-of-range answers are refused', async () => {
  const s = await createService(ctx, elva, ELVA, {
    status: 'active',
    data: data({ name: { et: 'Tokeniga teenus' }, lifeEvents: [], stateServices: [] }),
  });
  const intake = createIntake({ anonymousPerWindow: 3, failedTokensPerWindow: 100, windowMs: 60_000 });
  const client = {
    id: '00000000-0000-4000-8000-000000000001',
    municipalityCode: ELVA,
    name: 'Elva dokumendihaldus',
    scopes: ['services:surveys'],
  };
  const d = await createDelivery(ctx, { client }, ELVA, { serviceId: s.id, channel: 'service-desk', lang: 'ru' });
  assert.match(d.url, new RegExp(`/survey/${ELVA}/${s.id}\\?channel=service-desk&lang=ru&t=`));
  const answer = (token: string, score = 5) =>
    recordAnswer(
      ctx,
      intake,
      ELVA,
      { serviceId: s.id, channel: 'e-service', score, lang: 'ru', token },
      { clientKey: 'desk' },
    );
  await answer(d.token);
  await assert.rejects(answer(d.token), problem('survey-token-used'));
  const d2 = await createDelivery(ctx, { client }, ELVA, { serviceId: s.id, channel: 'service-desk' });
  const both = await Promise.allSettled([answer(d2.token, 4), answer(d2.token, 2)]);
  assert.equal(both.filter((x) => x.status === 'fulfilled').length, 1);
  const stored = await inScope(ctx.db, { tenant: ELVA }, (trx) =>
    sql<{
      n: number;
      channel: string;
    }>`SELECT count(*)::int AS n, min(channel) AS channel FROM survey_answer WHERE service_id = ${s.id}`.execute(trx),
  );
  assert.equal(stored.rows[0]!.n, 2);
  assert.equal(stored.rows[0]!.channel, 'service-desk', 'the delivery decides the channel');
  await assert.rejects(answer('x'.repeat(32)), problem('survey-token-unknown'));
  const old = await createDelivery({ ...ctx, now: () => new Date(Date.now() - 30 * 86_400_000) }, { client }, ELVA, {
    serviceId: s.id,
    channel: 'telephone',
    validDays: 1,
  });
  await assert.rejects(answer(old.token), problem('survey-token-expired'));
  await assert.rejects(
    recordAnswer(
      ctx,
      intake,
      ELVA,
      { serviceId: s.id, channel: 'e-service', score: 6, lang: 'et' },
      { clientKey: 'x' },
    ),
    problem('validation', '/body/score'),
  );
  await assert.rejects(
    recordAnswer(
      ctx,
      intake,
      ELVA,
      { serviceId: s.id, channel: 'e-service', score: 0, effort: 9, lang: 'et' },
      { clientKey: 'x' },
    ),
    problem('validation', '/body/effort'),
  );
  // Anonymous answers are limited per address.
  for (let i = 0; i < 3; i++)
    await recordAnswer(
      ctx,
      intake,
      ELVA,
      { serviceId: s.id, channel: 'homepage', score: 4, lang: 'et' },
      { clientKey: 'bot' },
    );
  await assert.rejects(
    recordAnswer(
      ctx,
      intake,
      ELVA,
      { serviceId: s.id, channel: 'homepage', score: 4, lang: 'et' },
      { clientKey: 'bot' },
    ),
    problem('survey-rate-limited'),
  );
  await recordAnswer(
    ctx,
    intake,
    ELVA,
    { serviceId: s.id, channel: 'homepage', score: 4, lang: 'et' },
    { clientKey: 'someone-else' },
  );
  // A draft service takes no answers.
  const draft = await createService(ctx, elva, ELVA, {
    data: data({ name: { et: 'Mustand' }, lifeEvents: [], stateServices: [] }),
  });
  await assert.rejects(
    recordAnswer(
      ctx,
      intake,
      ELVA,
      { serviceId: draft.id, channel: 'homepage', score: 4, lang: 'et' },
      { clientKey: 'y' },
    ),
    problem('not-found'),
  );
});

test('a survey delivered to a person waits on their Minu vald until they answer it', async () => {
  const s = await createService(ctx, elva, ELVA, {
    status: 'active',
    data: data({ name: { et: 'Isiklik teenus', en: 'Personal service' }, lifeEvents: [], stateServices: [] }),
  });
  const resident = await makePerson(ctx, { birthDate: '1990-02-03' });
  await createDelivery(ctx, { actor: elva }, ELVA, {
    serviceId: s.id,
    channel: 'service-desk',
    personIdCode: resident.idCode,
  });
  const waiting = await personalItems(ctx, resident.id, 'en');
  assert.deepEqual(
    waiting.survey!.items.map((i) => [i.title, i.status, i.municipalityCode]),
    [['Personal service', 'waiting', ELVA]],
  );
  const intake = createIntake();
  await recordAnswer(
    ctx,
    intake,
    ELVA,
    { serviceId: s.id, channel: 'homepage', score: 5, lang: 'en' },
    { clientKey: 'me', personId: resident.id },
  );
  assert.equal((await surveysWaiting(ctx, resident.id)).length, 0);
  await assert.rejects(
    createDelivery(ctx, { actor: elvaAnalyst }, ELVA, { serviceId: s.id, channel: 'service-desk' }),
    problem('forbidden'),
  );
  await assert.rejects(
    createDelivery(ctx, { actor: elva }, ELVA, {
      serviceId: s.id,
      channel: 'service-desk',
      personIdCode: '12345678901',
    }),
    problem('validation', '/body/personIdCode'),
  );
});

test('the CPSV-AP export conforms to the official 3.2.0 SHACL shapes; a broken export does not', async () => {
  const { quads, body } = await exportCatalogue(ctx, ELVA, 'turtle');
  assert.match(body, /cpsv:PublicService/);
  const report = await validateCpsv(quads);
  assert.equal(report.conforms, true, report.text);
  const json = await exportCatalogue(ctx, ELVA, 'jsonld');
  assert.ok(JSON.parse(json.body)['@context']);
  // Break it: a service without its identifier, and one without a competent authority.
  const g = cpsvGraph('https://kov.example', { code: ELVA, name: 'Elva vald' }, [
    {
      municipality_code: ELVA,
      id: '1',
      identifier: 'X-1',
      version: 1,
      status: 'active',
      field: 'waste',
      name_et: 'x',
      template_id: null,
      template_version: null,
      data: data(),
      updated_at: new Date(),
      updated_by: null,
    },
  ]);
  const DCT_ID = 'http://purl.org/dc/terms/identifier';
  const HAS_CA = 'http://data.europa.eu/m8g/hasCompetentAuthority';
  const broken = g.quads.filter(
    (q) =>
      !(
        q.subject.value.endsWith('/service/0171/X-1') &&
        (q.predicate.value === DCT_ID || q.predicate.value === HAS_CA)
      ),
  );
  assert.equal((await validateCpsv(g.quads)).conforms, true);
  const bad = await validateCpsv(broken);
  assert.equal(bad.conforms, false);
  assert.ok(
    bad.results.some((r) => r.path === DCT_ID || r.path === 'dct:identifier'),
    bad.text,
  );
  assert.ok(
    bad.results.some((r) => r.path === HAS_CA || r.path === 'cv:hasCompetentAuthority'),
    bad.text,
  );
});

test('answers written together (group commit) each get their own outcome', async () => {
  const s = await createService(ctx, elva, ELVA, {
    status: 'active',
    data: data({ name: { et: 'Koos kirjutatud' }, lifeEvents: [], stateServices: [] }),
  });
  const intake = createIntake({ anonymousPerWindow: 1000, failedTokensPerWindow: 1000, windowMs: 60_000 });
  const client = {
    id: '00000000-0000-4000-8000-000000000002',
    municipalityCode: ELVA,
    name: 'x',
    scopes: ['services:surveys'],
  };
  const tokens = await Promise.all(
    Array.from({ length: 30 }, () => createDelivery(ctx, { client }, ELVA, { serviceId: s.id, channel: 'telephone' })),
  );
  const results = await Promise.allSettled([
    ...tokens.map((d, i) =>
      recordAnswer(
        ctx,
        intake,
        ELVA,
        { serviceId: s.id, channel: 'e-service', score: 1 + (i % 5), lang: 'et', token: d.token },
        { clientKey: 'a' },
      ),
    ),
    recordAnswer(
      ctx,
      intake,
      ELVA,
      { serviceId: s.id, channel: 'e-service', score: 3, lang: 'et', token: tokens[0]!.token },
      { clientKey: 'a' },
    ),
    recordAnswer(
      ctx,
      intake,
      ELVA,
      { serviceId: s.id, channel: 'e-service', score: 3, lang: 'et', token: 'unknown-token-xxxxxx' },
      { clientKey: 'a' },
    ),
    ...Array.from({ length: 10 }, () =>
      recordAnswer(
        ctx,
        intake,
        ELVA,
        { serviceId: s.id, channel: 'homepage', score: 5, lang: 'en' },
        { clientKey: 'b' },
      ),
    ),
  ]);
  assert.equal(results.filter((r) => r.status === 'fulfilled').length, 40);
  const reasons = results
    .filter((r): r is PromiseRejectedResult => r.status === 'rejected')
    .map((r) => (r.reason as Problem).kind.slug)
    .sort();
  assert.deepEqual(reasons, ['survey-token-unknown', 'survey-token-used']);
  const ids = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value.id] : []));
  assert.equal(new Set(ids).size, 40);
  const n = await inScope(ctx.db, { tenant: ELVA }, (trx) =>
    sql<{ n: number }>`SELECT count(*)::int AS n FROM survey_answer WHERE service_id = ${s.id}`.execute(trx),
  );
  assert.equal(n.rows[0]!.n, 40);
});
