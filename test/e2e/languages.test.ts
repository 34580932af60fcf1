/// <reference lib="dom" />
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { testPlatform, makePerson } from '../support/app';
import { residences } from '../../src/modules/register/testSupport';
import { createVote, scheduleVote } from '../../src/modules/participation/manageVotes';
import { createEvent } from '../../src/modules/community/manageEvents';
import { grantRole } from '../support/app';
import type { PersonActor } from '../../src/platform/auth/actor';
import { WEB_DIST, tartuOfficial, expectAccessible, launchBrowser, loginAs, newContext } from './support';

/**
 * Content in three languages (issue 17): a Russian-speaking resident on a phone switches to
 * Русский, votes in a poll whose official gave Russian texts (title, question, choices) and sees
 * the Estonian text, marked lang="et" and with a note in Russian, where no translation exists.
 */
const TARTU = '0793';
const platform = await testPlatform({ listen: true, webDist: WEB_DIST, env: { KOV_DEMO_IDP: 'true' } });
const { ctx } = platform;
const { settlement, official } = await tartuOfficial(ctx);
const voter = await makePerson(ctx, { givenName: 'Ирина', familyName: 'Смирнова', birthDate: '1968-05-05' });
await residences(ctx, TARTU, voter.id, [{ validFrom: '2000-01-01', settlementCode: settlement.code }]);
const iso = (ms: number) => new Date(Date.now() + ms).toISOString();

const translated = await createVote(ctx, official, TARTU, {
  kind: 'poll',
  title: 'Uus mänguväljak',
  description: 'Kuhu rajada uus mänguväljak?',
  translations: {
    title: { ru: 'Новая детская площадка', en: 'A new playground' },
    description: { ru: 'Где построить новую детскую площадку?' },
  },
  opensAt: iso(-60_000),
  closesAt: iso(3_600_000),
  electorate: { scope: 'municipality', minAge: 16 },
  questions: [
    {
      text: 'Kuhu?',
      kind: 'single',
      choices: ['Karlova', 'Supilinn', 'Annelinn'],
      translations: { text: { ru: 'Где?' }, choices: [{ ru: 'Карлова' }, { ru: 'Супилинн' }] },
    },
  ],
});
await scheduleVote(ctx, official, TARTU, translated.id);
const estonianOnly = await createVote(ctx, official, TARTU, {
  kind: 'poll',
  title: 'Raamatukogu lahtiolekuajad',
  opensAt: iso(-60_000),
  closesAt: iso(3_600_000),
  electorate: { scope: 'municipality', minAge: 16 },
  questions: [{ text: 'Kas raamatukogu võiks olla avatud ka pühapäeval?', kind: 'yesno' }],
});
await scheduleVote(ctx, official, TARTU, estonianOnly.id);

// Community events (ELVL's), one with a Russian title and description, one only in Estonian.
const organiserP = await makePerson(ctx, { givenName: 'Liis', familyName: 'Korraldaja', birthDate: '1980-02-02' });
await grantRole(ctx, '0000', organiserP.id, 'editor');
const organiser: PersonActor = {
  kind: 'person',
  personId: organiserP.id,
  givenName: 'Liis',
  familyName: 'Korraldaja',
  birthDate: '1980-02-02',
  idCodeMasked: '',
  roles: [{ municipalityCode: '0000', role: 'editor' }],
  acr: 'high',
};
const eventBase = {
  kind: 'seminar' as const,
  startsAt: iso(3 * 86_400_000),
  endsAt: iso(3 * 86_400_000 + 7_200_000),
  location: 'Tartu raekoda',
  capacity: 20,
  visibility: 'public' as const,
};
await createEvent(ctx, organiser, {
  ...eventBase,
  title: 'Kogukonna infopäev',
  description: 'Räägime linna plaanidest.',
  translations: { title: { ru: 'Информационный день общины' }, description: { ru: 'Поговорим о планах города.' } },
});
await createEvent(ctx, organiser, { ...eventBase, title: 'Aiapäev Supilinnas' });

const browser = await launchBrowser();
after(() => browser.close());

test('a Russian-speaking resident on a phone votes in Russian and sees the note where the text is only in Estonian', async () => {
  const context = await newContext(browser, { mobile: true });
  const page = await context.newPage();
  await page.goto(`${platform.url}/`);
  await page.getByRole('button', { name: 'Русский' }).click();
  await page.getByRole('heading', { level: 1, name: 'Добро пожаловать на платформу KOV' }).waitFor();
  await loginAs(page, voter.idCode);

  await page.goto(`${platform.url}/haaletused/${TARTU}/${translated.id}`);
  await page.getByRole('heading', { level: 1, name: 'Новая детская площадка' }).waitFor();
  assert.equal(await page.locator('html').getAttribute('lang'), 'ru');
  await page.getByText('Где построить новую детскую площадку?').waitFor();
  const question = page.getByRole('group', { name: 'Где?' });
  await question.waitFor();
  await question.getByRole('radio', { name: 'Карлова' }).waitFor();
  await question.getByRole('radio', { name: 'Супилинн' }).waitFor();
  // The third choice has no Russian label: the Estonian one, for screen readers in Estonian, with the note.
  const annelinn = question.locator('label', { hasText: 'Annelinn' });
  assert.equal(await annelinn.locator('[lang="et"]').textContent(), 'Annelinn');
  await annelinn.getByText('(только на эстонском)').waitFor();
  await expectAccessible(page, 'a vote with Russian texts (ru, phone)');

  await question.getByRole('radio', { name: 'Супилинн' }).check();
  await page.getByRole('button', { name: 'Далее к подтверждению' }).click();
  await page.getByRole('heading', { name: 'Подтвердите свой выбор' }).waitFor();
  await page.getByText('Супилинн').first().waitFor();
  await page.getByRole('button', { name: 'Подтвердить и проголосовать' }).click();
  await page.getByRole('heading', { name: 'Ваш голос принят' }).waitFor();
  await expectAccessible(page, 'the receipt (ru, phone)');

  // A vote without translations: the Estonian title and question, marked and explained in Russian.
  await page.goto(`${platform.url}/haaletused/${TARTU}/${estonianOnly.id}`);
  const h1 = page.getByRole('heading', { level: 1, name: 'Raamatukogu lahtiolekuajad' });
  await h1.waitFor();
  assert.equal(await h1.getAttribute('lang'), 'et');
  await page.getByText('Этот текст не переведён на ваш язык: показан текст на эстонском.').waitFor();
  const q = page.getByRole('group', { name: /Kas raamatukogu võiks olla avatud ka pühapäeval\?/ });
  await q.getByRole('radio', { name: 'Да' }).waitFor();
  await expectAccessible(page, 'a vote only in Estonian (ru, phone)');

  // The list of votes shows each title in the reader's language, or Estonian with the note.
  await page.goto(`${platform.url}/haaletused/${TARTU}`);
  await page.getByRole('link', { name: 'Новая детская площадка' }).first().waitFor();
  const other = page.getByRole('link', { name: 'Raamatukogu lahtiolekuajad' }).first();
  assert.equal(await other.getAttribute('lang'), 'et');
  await expectAccessible(page, 'the votes of Tartu (ru, phone)');
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(`${platform.url}/haaletused/${TARTU}/${translated.id}`);
  await page.getByRole('heading', { level: 1, name: 'Новая детская площадка' }).waitFor();
  if (process.env.KOV_SCREENSHOTS) await page.screenshot({ path: `${process.env.KOV_SCREENSHOTS}/vote-ru.png` });
  await context.close();
});

test('a Russian reader sees community events in Russian, the note on an untranslated one, and registration says what happens next', async () => {
  const context = await newContext(browser, { mobile: true });
  const page = await context.newPage();
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(`${platform.url}/`);
  await page.getByRole('button', { name: 'Русский' }).click();
  await page.getByRole('heading', { level: 1, name: 'Добро пожаловать на платформу KOV' }).waitFor();
  await loginAs(page, voter.idCode);

  await page.goto(`${platform.url}/uritused`);
  await page.getByRole('link', { name: 'Информационный день общины' }).waitFor();
  const plain = page.getByRole('link', { name: /Aiapäev Supilinnas/ });
  assert.equal(await plain.locator('[lang="et"]').textContent(), 'Aiapäev Supilinnas');
  await plain.getByText('(только на эстонском)').waitFor();
  await expectAccessible(page, 'community events (ru, phone)');

  await page.getByRole('link', { name: 'Информационный день общины' }).click();
  await page.getByRole('heading', { level: 1, name: 'Информационный день общины' }).waitFor();
  await page.getByText('Поговорим о планах города.').waitFor();
  await page.getByRole('button', { name: 'Зарегистрироваться' }).click();
  await page.getByText('Вы зарегистрированы.').first().waitFor();
  // The confirmation: what happens next, and where to go on (no dead end).
  await page.getByRole('heading', { name: 'Что дальше' }).waitFor();
  await page.getByText('За день до мероприятия мы пришлём вам напоминание.', { exact: false }).waitFor();
  await page.getByRole('link', { name: 'Мои мероприятия' }).waitFor();
  await page.getByRole('link', { name: 'Добавить в свой календарь (.ics)' }).first().waitFor();
  await expectAccessible(page, 'event registration confirmation (ru, phone)');
  if (process.env.KOV_SCREENSHOTS)
    await page.screenshot({ path: `${process.env.KOV_SCREENSHOTS}/event-registered-ru.png`, fullPage: true });
  await page.getByRole('link', { name: 'Мои мероприятия' }).click();
  await page.getByRole('link', { name: 'Информационный день общины' }).waitFor();
  await context.close();
});
