/// <reference lib="dom" />
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { sql } from 'kysely';
import { testPlatform, makePerson, grantRole } from '../support/app';
import { freePort } from '../../src/platform/db/embedded';
import { inScope } from '../../src/platform/db/database';
import type { PersonActor } from '../../src/platform/auth/actor';
import { createService } from '../../src/modules/services/editService';
import { createDelivery } from '../../src/modules/services/satisfaction';
import { WEB_DIST, expectAccessible, launchBrowser, loginAs, newContext } from './support';

/**
 * The unified satisfaction survey embedded in a municipality's own website: a plain HTML page
 * served from another origin carries the one-line script (or an iframe); residents answer in
 * Estonian, Russian and English; the answers arrive; everything passes axe. Plus the residents'
 * service pages and "Minu vald".
 */
const ELVA = '0171';
const platform = await testPlatform({ listen: true, webDist: WEB_DIST, env: { KOV_DEMO_IDP: 'true' } });
const { ctx } = platform;
const editorP = await makePerson(ctx);
await grantRole(ctx, ELVA, editorP.id, 'editor');
const editor: PersonActor = {
  kind: 'person',
  personId: editorP.id,
  givenName: null,
  familyName: null,
  birthDate: '1980-01-01',
  idCodeMasked: '',
  roles: [{ municipalityCode: ELVA, role: 'editor' }],
  acr: 'high',
};
const service = await createService(ctx, editor, ELVA, {
  status: 'active',
  data: {
    name: { et: 'Sünnitoetus', ru: 'Пособие при рождении ребёнка', en: 'Birth allowance' },
    description: { et: 'Ühekordne toetus lapse sünni puhul.', en: 'A one-off allowance when a child is born.' },
    targetGroups: ['families'],
    field: 'child-protection',
    serviceType: 'benefit',
    channels: [{ type: 'e-service', address: 'https://www.elva.ee/iseteenindus' }],
    feeType: 'free',
    costs: [],
    evidence: [],
    outputs: [{ name: 'Sünnitoetus', type: 'financial-benefit' }],
    legalBasis: [
      {
        law: 'Kohaliku omavalitsuse korralduse seadus',
        section: '§ 6 lg 1',
        url: 'https://www.riigiteataja.ee/akt/KOKS',
      },
    ],
    requirements: [],
    lifeEvents: [{ code: 'having-a-child', step: 2 }],
    stateServices: [
      {
        id: 'ska-family-benefits',
        name: 'Peretoetused',
        url: 'https://www.sotsiaalkindlustusamet.ee/',
        relation: 'related',
      },
    ],
    owner: { name: 'Elva sotsiaalosakond' },
  },
});

// The municipality's own website: another origin (localhost vs 127.0.0.1, another port).
const sitePort = await freePort();
const platformOrigin = platform.url;
const pages: Record<string, string> = {
  '/script-et.html': page(
    'et',
    'Elva vald – sünnitoetus',
    `<script src="${platformOrigin}/survey/embed.js" data-municipality="${ELVA}" data-service="${service.id}" data-channel="homepage" data-lang="et" async></script>`,
  ),
  '/script-ru.html': page(
    'ru',
    'Волость Элва – пособие',
    `<script src="${platformOrigin}/survey/embed.js" data-municipality="${ELVA}" data-service="${service.id}" data-channel="homepage" data-lang="ru" async></script>`,
  ),
  '/iframe-en.html': page(
    'en',
    'Elva parish – birth allowance',
    `<iframe src="${platformOrigin}/survey/${ELVA}/${service.id}?embed=1&amp;source=embed&amp;channel=homepage&amp;lang=en" title="Service feedback" style="width:100%;height:40rem;border:0"></iframe>`,
  ),
};
function page(lang: string, title: string, widget: string) {
  return `<!doctype html><html lang="${lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${title}</title></head>
<body><header><p>Elva</p></header><main><h1>${title}</h1><p>Text of the municipality's own page.</p>${widget}</main></body></html>`;
}
const site = http.createServer((req, res) => {
  const body = pages[req.url ?? ''];
  res.writeHead(body ? 200 : 404, { 'content-type': 'text/html; charset=utf-8' });
  res.end(body ?? 'not found');
});
await new Promise<void>((r) => site.listen(sitePort, 'localhost', r));
after(() => new Promise<void>((r) => site.close(() => r())));
const siteOrigin = `http://localhost:${sitePort}`;

const browser = await launchBrowser();
const answers = async () =>
  (
    await inScope(ctx.db, { tenant: ELVA }, (trx) =>
      sql<{ n: number }>`SELECT count(*)::int AS n FROM survey_answer WHERE service_id = ${service.id}`.execute(trx),
    )
  ).rows[0]!.n;

for (const [path, lang, heading, choice, submit, thanks] of [
  [
    '/script-et.html',
    'et',
    'Kuidas jäite rahule teenusega „Sünnitoetus“?',
    '5 väga rahul',
    'Saada vastus',
    'Aitäh! Teie vastus on salvestatud.',
  ],
  [
    '/script-ru.html',
    'ru',
    'Насколько вы довольны услугой «Пособие при рождении ребёнка»?',
    '4 доволен',
    'Отправить ответ',
    'Спасибо! Ваш ответ сохранён.',
  ],
  [
    '/iframe-en.html',
    'en',
    'How satisfied were you with “Birth allowance”?',
    '3 neither',
    'Send answer',
    'Thank you! Your answer has been recorded.',
  ],
] as const) {
  test(`the survey on another origin's plain page (${path}) works in ${lang} and passes axe`, async () => {
    const context = await newContext(browser, { mobile: lang === 'ru' });
    const tab = await context.newPage();
    const before = await answers();
    await tab.goto(siteOrigin + path);
    const frame = tab.frameLocator('iframe');
    await frame.getByRole('heading', { level: 1, name: heading }).waitFor();
    assert.equal(await frame.locator('html').getAttribute('lang'), lang);
    await expectAccessible(tab, `host page with the survey (${lang})`);
    // The frame sizes itself to its content after it loads (embed.js); a click during that can
    // land before the form settles, so the choice is made again until it holds, as a person would.
    const radio = frame.locator('fieldset').first().getByLabel(choice);
    for (let attempt = 1; !(await radio.isChecked()); attempt++) {
      await radio.check().catch((err) => {
        if (attempt >= 5) throw err;
      });
    }
    await frame.getByRole('button', { name: submit }).click();
    await frame.getByRole('heading', { level: 1, name: thanks }).waitFor();
    await expectAccessible(tab, `host page after answering (${lang})`);
    assert.equal(await answers(), before + 1);
    const last = await inScope(ctx.db, { tenant: ELVA }, (trx) =>
      sql<{
        lang: string;
        source: string;
        channel: string;
      }>`SELECT lang, source, channel FROM survey_answer WHERE service_id = ${service.id} ORDER BY id DESC LIMIT 1`.execute(
        trx,
      ),
    );
    assert.deepEqual(last.rows[0], { lang, source: 'embed', channel: 'homepage' });
    await context.close();
  });
}

test('a survey without a choice is not sent; switching language inside the frame keeps the survey', async () => {
  const context = await newContext(browser);
  const tab = await context.newPage();
  await tab.goto(siteOrigin + '/script-et.html');
  const frame = tab.frameLocator('iframe');
  await frame.getByRole('link', { name: 'English' }).click();
  await frame.getByRole('heading', { level: 1, name: 'How satisfied were you with “Birth allowance”?' }).waitFor();
  const before = await answers();
  await frame.getByRole('button', { name: 'Send answer' }).click();
  // The browser refuses the form (a rating is required); nothing is recorded.
  await frame.getByRole('heading', { level: 1, name: 'How satisfied were you with “Birth allowance”?' }).waitFor();
  assert.equal(await answers(), before);
  await context.close();
});

test('residents: services and a life-event page; Minu vald shows the survey waiting and answering clears it', async () => {
  const resident = await makePerson(ctx, { givenName: 'Mari', familyName: 'Mets', birthDate: '1991-06-07' });
  await createDelivery(ctx, { actor: editor }, ELVA, {
    serviceId: service.id,
    channel: 'service-desk',
    personIdCode: resident.idCode,
  });
  const context = await newContext(browser, { mobile: true });
  const tab = await context.newPage();
  await tab.goto(`${platform.url}/elusundmused/${ELVA}/having-a-child`);
  await tab.getByRole('heading', { level: 1, name: 'Lapse sünd' }).waitFor();
  await tab.getByRole('link', { name: 'Sünnitoetus' }).waitFor();
  await expectAccessible(tab, 'life-event page (360 px)');
  await tab.getByRole('link', { name: 'Sünnitoetus' }).click();
  await tab.getByRole('heading', { level: 1, name: 'Sünnitoetus' }).waitFor();
  await expectAccessible(tab, 'service page (360 px)');
  await tab.goto(`${platform.url}/minu-vald`);
  await loginAs(tab, resident.idCode);
  await tab.goto(`${platform.url}/minu-vald`);
  await tab.getByRole('heading', { level: 1, name: 'Minu vald' }).waitFor();
  // The survey waiting, in its own section (the services list further down names the service too).
  const link = tab
    .locator('section', { has: tab.getByRole('heading', { name: 'Teid ootavad küsitlused' }) })
    .getByRole('link', { name: 'Sünnitoetus' });
  await link.waitFor();
  await expectAccessible(tab, 'Minu vald (360 px)');
  await link.click();
  await tab.locator('fieldset').first().getByLabel('4 rahul').check();
  await tab.getByRole('button', { name: 'Saada vastus' }).click();
  await tab.getByRole('heading', { level: 1, name: 'Aitäh! Teie vastus on salvestatud.' }).waitFor();
  await tab.goto(`${platform.url}/minu-vald`);
  await tab.getByText('Teid ei oota ühtegi küsitlust.').waitFor();
  await context.close();
});

test('officials: service map with template coverage, adopting, editing with versions, satisfaction, and ELVL overview pass axe', async () => {
  const elvlP = await makePerson(ctx, { givenName: 'Eha', familyName: 'Elvl', birthDate: '1970-03-03' });
  await grantRole(ctx, '0000', elvlP.id, 'editor');
  const elvl: PersonActor = { ...editor, personId: elvlP.id, roles: [{ municipalityCode: '0000', role: 'editor' }] };
  await createService(ctx, elvl, '0000', {
    identifier: 'ELVL-900',
    status: 'active',
    data: {
      ...service.data,
      name: { et: 'Matusetoetus', en: 'Funeral allowance' },
      lifeEvents: [{ code: 'death-of-a-relative', step: 2 }],
      stateServices: [],
    },
  });
  const official = await makePerson(ctx, {
    givenName: 'Olev',
    familyName: 'Ametnik',
    birthDate: '1972-08-09',
    sex: 'male',
  });
  await grantRole(ctx, ELVA, official.id, 'editor');
  const context = await newContext(browser);
  const tab = await context.newPage();
  await tab.goto(`${platform.url}/teenused-haldus`);
  await loginAs(tab, official.idCode);
  await tab.goto(`${platform.url}/teenused-haldus`);
  await tab.getByRole('heading', { level: 1, name: 'Teenuste haldus' }).waitFor();
  await tab.getByRole('heading', { level: 2, name: 'Mallide kasutus' }).waitFor();
  await expectAccessible(tab, 'service management');
  await tab.getByRole('button', { name: 'Võta kasutusele: Matusetoetus' }).click();
  await tab.getByText('Mall võeti kasutusele.').waitFor();
  await tab.getByRole('region', { name: 'Teenuste kaart' }).getByRole('link', { name: 'Matusetoetus' }).click();
  await tab.getByRole('heading', { level: 1, name: 'Teenus: Matusetoetus' }).waitFor();
  await tab.getByLabel('Nimi inglise keeles').fill('Funeral grant');
  await tab.getByLabel('Muudatuse märkus').fill('Inglise nimi');
  await tab.getByRole('button', { name: 'Salvesta', exact: true }).click();
  await tab.getByText('Salvestatud.').waitFor();
  await tab.getByRole('cell', { name: /Inglise nimi/ }).waitFor();
  await tab.getByRole('heading', { level: 2, name: 'Erinevus mallist' }).waitFor();
  await expectAccessible(tab, 'service editor');
  // An over-long name is refused with the field named.
  await tab
    .getByLabel('Nimi eesti keeles (kuni 80 märki)')
    .evaluate((el: HTMLInputElement) => el.removeAttribute('maxlength'));
  await tab.getByLabel('Nimi eesti keeles (kuni 80 märki)').fill('x'.repeat(81));
  await tab.getByRole('button', { name: 'Salvesta', exact: true }).click();
  await tab.locator('.field-error').first().waitFor();
  await tab.goto(`${platform.url}/teenused-rahulolu`);
  await tab.getByRole('heading', { level: 1, name: 'Rahulolu' }).waitFor();
  await tab.getByRole('region', { name: 'Rahulolu' }).waitFor();
  await expectAccessible(tab, 'satisfaction results');
  await context.close();

  const elvlContext = await newContext(browser);
  const t2 = await elvlContext.newPage();
  await t2.goto(`${platform.url}/teenused-elvl`);
  await loginAs(t2, (await makePersonWithRole('0000', 'analyst')).idCode);
  await t2.goto(`${platform.url}/teenused-elvl`);
  await t2.getByRole('heading', { level: 1, name: 'ELVL ülevaade' }).waitFor();
  await t2.getByRole('region', { name: 'Mallide maatriks' }).waitFor();
  await expectAccessible(t2, 'ELVL overview');
  await elvlContext.close();
});

async function makePersonWithRole(code: string, role: 'analyst' | 'editor') {
  const p = await makePerson(ctx, { birthDate: '1969-11-11' });
  await grantRole(ctx, code, p.id, role);
  return p;
}
