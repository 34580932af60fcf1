/// <reference lib="dom" />
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { extractText } from 'unpdf';
import pg from 'pg';
import { createTestDatabase, testServer } from '../support/db';
import { withDatabase } from '../../src/platform/db/database';
import { testContext } from '../support/app';
import { startAppProcess } from '../support/process';
import { WEB_DIST, expectAccessible, launchBrowser, loginAs, newContext } from './support';
import { makeCouncil, makeSitting } from '../../src/modules/council/testkit';

/**
 * A council sitting held in real browsers against TWO app processes on one database: the chair
 * and the public on one node or the other, five members spread over both. Every screen follows
 * the sitting live (Server-Sent Events fanned out through PostgreSQL); results are waited for as
 * elements, never timed.
 */
const ownerUrl = await createTestDatabase({ dropAfter: false });
const { ctx } = await testContext({ ownerUrl });
const f = await makeCouncil(ctx, { seats: 7 });
const ITEM1 = 'Elva valla 2027. aasta eelarve';
const ITEM2 = 'Pargi tn 4 detailplaneering';
const ITEM3 = 'Revisjonikomisjoni esimehe valimine';
const { sittingId } = await makeSitting(
  ctx,
  f,
  [
    { title: ITEM1, kind: 'decision', majority: { kind: 'cast' }, draftDecision: 'Võtta eelarve vastu.' },
    {
      title: ITEM2,
      kind: 'decision',
      majority: { kind: 'composition' },
      draftDecision: 'Kehtestada detailplaneering.',
    },
    {
      title: ITEM3,
      kind: 'election',
      majority: { kind: 'cast' },
      candidates: [{ name: 'Õnne Põldmäe' }, { name: 'Žanna Šišova' }],
    },
  ],
  { open: false },
);
const [nodeA, nodeB] = await Promise.all([
  startAppProcess(ownerUrl, { KOV_WEB_DIST: WEB_DIST }),
  startAppProcess(ownerUrl, { KOV_WEB_DIST: WEB_DIST }),
]);
// Stop both app processes before their database goes (hooks run in the order registered).
after(async () => {
  await Promise.all([nodeA.kill(), nodeB.kill()]);
  const admin = new pg.Client({ connectionString: withDatabase(testServer().serverUrl, 'postgres') });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS "${new URL(ownerUrl).pathname.slice(1)}" WITH (FORCE)`).catch(() => {});
  await admin.end();
});
const browser = await launchBrowser();
const path = `/volikogu/${f.code}/istung/${sittingId}`;

async function open(node: typeof nodeA, idCode: string | null, opts: { mobile?: boolean } = {}): Promise<Page> {
  const context = await newContext(browser, opts);
  const page = await context.newPage();
  await page.goto(`${node.url}${path}`);
  await page.getByRole('heading', { level: 1, name: /Istung nr 1/ }).waitFor();
  if (idCode) {
    await loginAs(page, idCode);
    await page.waitForURL((u) => u.pathname === path);
    await page.getByRole('heading', { level: 1, name: /Istung nr 1/ }).waitFor();
  }
  await page.getByText('ühendatud').waitFor();
  return page;
}

/** The chair closes a vote through the confirmation, which names the members present who have not voted. */
async function closeVote(chair: Page, n: number, notVoted: string[]) {
  await chair.getByRole('button', { name: `Lõpeta hääletus nr ${n}` }).click();
  const dialog = chair.getByRole('dialog', { name: `Kas lõpetada hääletus nr ${n}?` });
  await dialog.getByText(/Hääletus lõpetatakse ja tulemus loetakse kohe kokku/).waitFor();
  if (notVoted.length) {
    await dialog
      .getByText(
        `${notVoted.length} kohal ${notVoted.length === 1 ? 'olev liige' : 'olevat liiget'} ei ole hääletanud:`,
      )
      .waitFor();
    for (const name of notVoted) await dialog.getByRole('listitem').filter({ hasText: name }).waitFor();
  } else await dialog.getByText('Kõik kohal olevad liikmed on hääletanud.').waitFor();
  if (n === 1) await expectAccessible(chair, 'closing a vote: the confirmation names who has not voted');
  await dialog.getByRole('button', { name: 'Lõpeta hääletus' }).click();
  await dialog.waitFor({ state: 'hidden' });
}

const result = (page: Page, n: number) => page.getByRole('article', { name: new RegExp(`^Hääletus nr ${n}:`) });
const ballot = (page: Page) => page.getByRole('group', { name: 'Teie hääl' });

test('a chair and five members on two app processes hold a sitting: attendance, open and secret votes, a recusal, live results, signed minutes PDF', async () => {
  const [m1, m2, m3, m4, m5, m6] = f.members.slice(1);
  const chair = await open(nodeA, f.chair.idCode);
  const viewer = await open(nodeB, null);
  const members = [
    await open(nodeB, m1!.idCode),
    await open(nodeA, m2!.idCode),
    await open(nodeB, m3!.idCode),
    await open(nodeA, m4!.idCode),
    await open(nodeB, m5!.idCode, { mobile: true }),
  ];
  const everyone = [chair, viewer, ...members];

  // The chair opens the sitting; every screen on both nodes sees it.
  await chair.getByRole('heading', { name: 'Istungi juhtimine' }).waitFor();
  await chair.getByRole('button', { name: 'Ava istung' }).click();
  for (const p of everyone) await p.locator('.facts').getByText('käib').waitFor();

  // Attendance: members register online; the chair registers and marks everyone else present in
  // the room in one action (then would mark the absent one by one).
  for (const p of [chair, ...members]) await p.getByRole('button', { name: 'Registreeri kohalolek' }).click();
  await chair.getByRole('button', { name: 'Märgi kõik kohalolijaks' }).click();
  for (const p of everyone) await p.getByText('kohal 7 liiget 7-st, vaja vähemalt 4').waitFor();
  await viewer.getByText('Kvoorum on olemas').waitFor();
  await expectAccessible(viewer, 'sitting (public, live)');

  // One member recuses from item 2.
  await members[1]!.getByRole('button', { name: `Taandan end huvide konflikti tõttu: ${ITEM2}` }).click();
  await members[1]!.getByLabel('Huvide konflikti põhjus (valikuline)').fill('Lähisugulane on huvitatud isik');
  await members[1]!.getByRole('button', { name: 'Kinnitan taandumise' }).click();
  await viewer.getByText(`Taandunud: ${m2!.name}`).waitFor();

  // Vote 1 (open, majority of votes cast).
  await chair.getByRole('button', { name: `Alusta hääletust: ${ITEM1}` }).click();
  for (const p of members) await ballot(p).waitFor();
  await expectAccessible(members[0]!, 'sitting (member voting)');
  // On a phone (390×844) the vote buttons are on the screen without scrolling, wherever the page is.
  const phone = members[4]!;
  await phone.setViewportSize({ width: 390, height: 844 });
  for (const y of [0, 100_000]) {
    await phone.evaluate((top) => window.scrollTo(0, top), y);
    for (const name of ['poolt', 'vastu', 'erapooletu']) {
      const box = (await ballot(phone).getByRole('button', { name }).boundingBox())!;
      assert.ok(
        box.y >= 0 && box.y + box.height <= 844,
        `"${name}" at ${box.y}–${box.y + box.height} on a 844 px screen`,
      );
    }
  }
  await expectAccessible(phone, 'sitting (member voting, phone)');
  await phone.setViewportSize({ width: 360, height: 740 });
  const choices1 = ['poolt', 'poolt', 'vastu', 'poolt', 'erapooletu'];
  for (const [i, p] of members.entries()) await ballot(p).getByRole('button', { name: choices1[i] }).click();
  // A member changes their vote while the vote is open: the last one counts.
  await ballot(members[2]!).getByRole('button', { name: 'vastu', pressed: true }).waitFor();
  await ballot(members[2]!).getByRole('button', { name: 'poolt' }).click();
  await members[2]!.getByText('Teie hääl: poolt.').waitFor();
  // A member loses the connection and comes back: the vote in progress and their own vote are still there.
  await members[4]!.reload();
  await ballot(members[4]!).getByRole('button', { name: 'erapooletu', pressed: true }).waitFor();
  await ballot(members[0]!).getByRole('button', { name: 'poolt', pressed: true }).waitFor();
  await viewer.getByText('Hääletanud 5 / 7').waitFor();
  await ballot(chair).getByRole('button', { name: 'poolt' }).click();
  await closeVote(chair, 1, [m6!.name]);
  for (const p of everyone) await result(p, 1).getByText('Otsus võeti vastu').waitFor();
  await result(viewer, 1)
    .getByText('Poolt 5, vastu 0, erapooletu 1, ei hääletanud 1, taandunud 0, puudus 0.')
    .waitFor();

  // Vote 2 (open, majority of the composition): the recused member cannot vote.
  await chair.getByRole('button', { name: `Alusta hääletust: ${ITEM2}` }).click();
  await members[1]!.getByText('Olete sellest päevakorrapunktist taandunud ega hääleta.').waitFor();
  assert.equal(await ballot(members[1]!).count(), 0, 'no ballot buttons for the recused member');
  for (const [i, p] of members.entries())
    if (i !== 1)
      await ballot(p)
        .getByRole('button', { name: i === 3 ? 'vastu' : 'poolt' })
        .click();
  await ballot(chair).getByRole('button', { name: 'poolt' }).click();
  await viewer.getByText('Hääletanud 5 / 6').waitFor();
  await closeVote(chair, 2, [m6!.name]);
  for (const p of everyone) await result(p, 2).getByText('Otsus võeti vastu').waitFor();
  await result(viewer, 2)
    .getByText(/Poolt 4, vastu 1, .*taandunud 1/)
    .waitFor();
  await result(viewer, 2).getByText('koosseisu häälteenamus (vähemalt 4 poolt 7-st)').waitFor();

  // Vote 3: a secret election through the ballot box.
  await chair.getByRole('button', { name: `Alusta hääletust: ${ITEM3}` }).click();
  const secret = ['Õnne Põldmäe', 'Õnne Põldmäe', 'Žanna Šišova', 'Õnne Põldmäe', 'Vastu kõigile'];
  for (const [i, p] of members.entries()) {
    await p.getByRole('group', { name: 'Salajane hääletus: valige üks' }).getByLabel(secret[i]!).check();
    await p.getByRole('button', { name: 'Hääleta salaja' }).click();
    await p.getByText(/Teie sedel on urnis/).waitFor();
  }
  await expectAccessible(members[0]!, 'sitting (secret ballot cast)');
  await closeVote(chair, 3, [f.chair.name, m6!.name]);
  for (const p of everyone) await result(p, 3).getByText('Valituks osutus Õnne Põldmäe').waitFor();
  await result(viewer, 3).getByText('Õnne Põldmäe: 3').waitFor();
  await result(viewer, 3)
    .getByText(/Osales 5 liiget/)
    .waitFor();
  await expectAccessible(chair, 'sitting (chair console)');
  const width = await members[4]!.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 360, `the member's page fits 360 px (got ${width})`);

  // The chair closes the sitting; the secretary (on the other node) and the chair sign off the minutes.
  await chair.getByRole('button', { name: 'Lõpeta istung' }).click();
  const closing = chair.getByRole('dialog', { name: 'Kas lõpetada istung?' });
  await closing.getByText(/ei saa enam hääletada/).waitFor();
  await closing.getByRole('button', { name: 'Lõpeta istung' }).click();
  await viewer.locator('.facts').getByText('lõppenud').waitFor();
  await chair.getByRole('link', { name: 'Istungi protokoll' }).click();
  await chair.getByRole('button', { name: 'Koosta protokoll' }).click();
  await chair.getByText('Protokoll on koostatud.').waitFor();
  await chair.getByRole('button', { name: 'Kinnitan juhatajana' }).click();
  await chair.getByText('Kinnitatud.').waitFor();
  await expectAccessible(chair, 'minutes');
  const secretaryPage = await (await newContext(browser)).newPage();
  await secretaryPage.goto(`${nodeB.url}${path}/protokoll`);
  await loginAs(secretaryPage, f.secretary.idCode);
  await secretaryPage.getByRole('button', { name: 'Kinnitan protokollijana' }).click();
  await secretaryPage.getByText('kinnitatud', { exact: true }).waitFor();

  // The public reads the approved minutes as PDF: it lists what happened.
  const pdf = await viewer.request.get(
    `${nodeB.url}/api/v1/municipalities/${f.code}/council/sittings/${sittingId}/minutes.pdf`,
  );
  assert.equal(pdf.status(), 200);
  const { text } = await extractText(new Uint8Array(await pdf.body()), { mergePages: true });
  for (const expected of [
    'Testi Vallavolikogu',
    'Kohalolek',
    `${m6!.name}`,
    'kohapeal',
    'elektrooniliselt',
    ITEM1,
    'Hääletus nr 1 (avalik)',
    'Poolt 5, vastu 0, erapooletu 1',
    'Hääletus nr 2 (avalik)',
    `Huvide konflikti tõttu taandas end: ${m2!.name}`,
    'Hääletus nr 3 (salajane)',
    'Salajasel hääletusel osalesid:',
    'Valituks osutus Õnne Põldmäe.',
    'Otsus võeti vastu.',
    'Sirje Sekretär',
  ]) {
    assert.ok(text.includes(expected), `the minutes PDF says "${expected}"`);
  }

  // The archive (public) shows the decisions and links to open data.
  await viewer.goto(`${nodeB.url}/volikogu/${f.code}/arhiiv`);
  await viewer.getByRole('heading', { level: 1, name: 'Otsuste arhiiv' }).waitFor();
  await viewer.getByRole('cell', { name: /Revisjonikomisjoni esimehe valimine/ }).waitFor();
  await expectAccessible(viewer, 'archive');
  await viewer.getByRole('link', { name: m1!.name }).first().click();
  await viewer.getByRole('heading', { level: 1, name: m1!.name }).waitFor();
  await viewer.getByRole('cell', { name: 'osales (salajane)' }).waitFor();
  await expectAccessible(viewer, "a member's voting record");
});

test('officials prepare the council and a sitting; the public council page passes axe', async () => {
  const context = await newContext(browser);
  const page = await context.newPage();
  await page.goto(`${nodeA.url}/volikogu/${f.code}`);
  await page.getByRole('heading', { level: 1, name: 'Testi Vallavolikogu' }).waitFor();
  await page.getByRole('cell', { name: f.chair.name }).waitFor();
  await expectAccessible(page, 'council home');
  await page.goto(`${nodeA.url}/volikogu/${f.code}/haldus`);
  await loginAs(page, f.admin.idCode);
  await page.getByRole('heading', { level: 1, name: 'Volikogu haldus' }).waitFor();
  await page.getByLabel('Fraktsiooni nimi').fill('Uus Fraktsioon');
  await page.getByRole('button', { name: 'Lisa', exact: true }).first().click();
  await page.getByText('Fraktsioon lisatud.').waitFor();
  await page.getByLabel('Aeg').fill('2030-05-14T17:00');
  await page.getByLabel('Koht').fill('Vallamaja saal');
  await page.getByLabel('Elektroonilise osalemise link').fill('https://meet.example/istung');
  await page.getByRole('button', { name: 'Loo istung' }).click();
  await page.getByText('Istung on loodud (kavand).').waitFor();
  await page.getByRole('button', { name: 'Valmista ette istung nr 2' }).click();
  await page.getByLabel('Punkti pealkiri').fill('Ühisveevärgi arendamise kava');
  await page.getByRole('button', { name: 'Lisa päevakorrapunkt' }).click();
  await page.getByText('Punkt lisatud.').waitFor();
  await page
    .getByLabel('PDF-fail (kuni 10 MB)')
    .setInputFiles({ name: 'kava.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4\n%%EOF\n') });
  await page.getByRole('button', { name: 'Lisa dokument' }).click();
  await page.getByText('Dokument lisatud.').waitFor();
  await page.getByRole('button', { name: 'Avalikusta päevakord' }).click();
  await page.getByText('Istung on avalikustatud.').waitFor();
  await expectAccessible(page, 'council management');
  await context.close();
});
