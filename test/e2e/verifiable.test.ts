/// <reference lib="dom" />
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { testPlatform, grantRole } from '../support/app';
import { WEB_DIST, expectAccessible, launchBrowser, loginAs, newContext } from './support';
import { inScope } from '../../src/platform/db/database';
import * as bb from '../../src/modules/ballotBox';
import { createElectorate } from '../../src/modules/register';
import { actor, person, residences } from '../../src/modules/register/testSupport';

/**
 * Verifiable voting end to end in Chromium: officials prepare a vote, three trustees make the
 * election key in their browsers (key files, one with a passphrase), residents cast encrypted
 * ballots (one audits a ballot first, one re-votes), the vote closes, two trustees decrypt, the
 * result is published, and `kov verify` says the exported record is valid — and invalid, naming
 * the item, once one character of a ballot, a proof or a partial decryption is changed.
 */
const TARTU = '0793';
const root = path.resolve(import.meta.dirname, '../..');
const platform = await testPlatform({ listen: true, webDist: WEB_DIST, env: { KOV_DEMO_IDP: 'true' } });
const { ctx, url } = platform;
const official = await person(ctx, '1972-02-02', 'male', { givenName: 'Olev', familyName: 'Ametnik' });
await grantRole(ctx, TARTU, official.id, 'admin');
const trustees = await Promise.all(
  [1, 2, 3].map((i) => person(ctx, `1966-0${i}-1${i}`, 'female', { givenName: 'Usaldus', familyName: `Isik${i}` })),
);
const residents = await Promise.all(
  ['Mari', 'Jaan', 'Kati'].map((n, i) =>
    person(ctx, `1990-0${i + 4}-2${i}`, i === 1 ? 'male' : 'female', { givenName: n, familyName: 'Elanik' }),
  ),
);
for (const r of residents) await residences(ctx, TARTU, r.id, [{ validFrom: '2015-01-01' }]);
const electorate = await createElectorate(
  ctx,
  actor(official.id, [{ municipalityCode: TARTU, role: 'admin' }]),
  TARTU,
  {
    name: 'Tartu elanikud 16+',
    scope: 'municipality',
    minAge: 16,
    maxAge: null,
    referenceDate: '2026-01-01',
    residenceAt: 'voting-time',
    mode: 'live',
  },
);
const browser = await launchBrowser();
const tmp = mkdtempSync(path.join(os.tmpdir(), 'kov-vv-e2e-'));
const keyFiles: string[] = [];
let voteUrl = '';
let voteId = '';

async function open(p: Page, to: string, idCode: string) {
  await p.goto(`${url}${to}`);
  await loginAs(p, idCode);
}

async function trusteeLoadKey(p: Page, i: number) {
  await p.getByLabel('Võtmefail', { exact: true }).setInputFiles(keyFiles[i]!);
  if (i === 0) await p.getByLabel('Faili parool (kui määrasite)').fill('kolm vana karu');
  await p.getByRole('button', { name: 'Ava fail' }).click();
  await p.getByText('Võtmefail on avatud.').waitFor({ timeout: 30_000 });
}

test('verifiable vote end to end: ceremony, encrypted ballots with an audit, close, threshold decryption, published result, kov verify', async () => {
  // ——— the official prepares the vote in the wizard ———
  const oc = await newContext(browser);
  const op = await oc.newPage();
  await open(op, `/kontrollitav/${TARTU}/uus`, official.idCode);
  await op.getByRole('heading', { level: 1, name: 'Uus kontrollitav hääletus' }).waitFor();
  await op.getByText('Rahalise piiriga kaasav eelarve').waitFor();
  await op.getByLabel('Pealkiri').fill('Mida ehitada Karlovasse?');
  await op.getByLabel('Küsimuse tekst').fill('Millised projektid valida?');
  await op.getByLabel('Valikud').fill('Sild\nPark\nRaamatukogu');
  await op.getByLabel('Vähemalt valikuid').fill('0');
  await op.getByLabel('Kõige rohkem valikuid').fill('2');
  for (const [i, t] of trustees.entries()) {
    const box = op.getByRole('group', { name: `Usaldusisik ${i + 1}` });
    await box.getByLabel('Nimi').fill(`Usaldusisik ${i + 1}`);
    await box.getByLabel('Isikukood').fill(t.idCode);
  }
  await op.getByLabel('Lävend').fill('2');
  await op.getByLabel('Hääleõiguslikud').selectOption(electorate.id);
  await expectAccessible(op, 'vote wizard');
  await op.getByRole('button', { name: 'Salvesta' }).click();
  await op.getByRole('heading', { level: 1, name: 'Mida ehitada Karlovasse?' }).waitFor();
  voteUrl = new URL(op.url()).pathname;
  voteId = voteUrl.split('/').pop()!;
  await op.getByRole('button', { name: 'Alusta võtme loomist' }).click();
  await op.getByText('Võtme loomine algas.').waitFor();
  await expectAccessible(op, 'vote page (ceremony)');

  // ——— three trustees, each in their own browser: three rounds ———
  const tps: Page[] = [];
  for (const [i, t] of trustees.entries()) {
    const c = await newContext(browser);
    const p = await c.newPage();
    await open(p, `${voteUrl}/usaldusisik`, t.idCode);
    await p.getByRole('heading', { name: '1. voor: võtme loomine' }).waitFor();
    if (i === 0) {
      await p.getByLabel('Parool failile (soovituslik)').fill('kolm vana karu');
      await p.getByLabel('Parool uuesti').fill('kolm vana karu');
      await expectAccessible(p, 'trustee round 1');
    }
    const downloading = p.waitForEvent('download', { timeout: 60_000 });
    await p.getByRole('button', { name: 'Loo võti ja salvesta fail' }).click();
    const d = await downloading;
    const file = path.join(tmp, `trustee-${i + 1}.json`);
    await d.saveAs(file);
    keyFiles.push(file);
    const saved = JSON.parse(readFileSync(file, 'utf8'));
    assert.equal(saved.format, 'kov-verifiable-trustee-key');
    if (i === 0) assert.ok(saved.protected && !saved.seed, 'the first trustee’s file is passphrase-protected');
    await p.getByLabel('Olen võtmefaili turvaliselt salvestanud').check();
    await p.getByRole('button', { name: 'Avalda 1. vooru andmed' }).click();
    await p.getByText('1. voor on tehtud.').waitFor();
    tps.push(p);
  }
  for (const [i, p] of tps.entries()) {
    await p.reload();
    await p.getByRole('heading', { name: 'Avage oma võtmefail' }).waitFor();
    await trusteeLoadKey(p, i);
    await p.getByRole('button', { name: 'Jaga osad' }).click();
    await p.getByText('2. voor on tehtud.').waitFor();
  }
  for (const [i, p] of tps.entries()) {
    await p.reload();
    await trusteeLoadKey(p, i);
    if (i === 0) await expectAccessible(p, 'trustee round 3');
    await p.getByRole('button', { name: 'Kontrolli ja kinnita' }).click();
    await p.getByText('3. voor on tehtud.').waitFor();
  }

  // ——— the official opens the vote ———
  await op.reload();
  await op.getByText('Valimisvõti', { exact: false }).first().waitFor();
  await op.getByRole('button', { name: 'Ava hääletus' }).click();
  await op.getByText('Hääletus on avatud.').waitFor();

  // ——— residents vote: Mari (on a phone) audits a ballot first, Kati re-votes ———
  const castOne = async (p: Page, choices: string[], label: string) => {
    // The previous choice stays selected after an audit or a cast: set exactly these.
    for (const ch of ['Sild', 'Park', 'Raamatukogu'])
      await p.getByLabel(ch, { exact: true }).setChecked(choices.includes(ch));
    await p.getByRole('button', { name: 'Krüpteeri sedel' }).click();
    await p.getByRole('heading', { name: 'Sedel on krüpteeritud' }).waitFor({ timeout: 30_000 });
    const tracker = (await p.locator('.vv-tracker').first().innerText()).replace(/\s/g, '');
    assert.match(tracker, /^[0-9a-f]{64}$/);
    await p.getByRole('button', { name: 'Saada sedel' }).click();
    await p.getByRole('heading', { name: 'Teie sedel on valimiskastis' }).waitFor();
    const shown = (await p.locator('.vv-tracker').first().innerText()).replace(/\s/g, '');
    assert.equal(shown, tracker, `${label}: the server's tracker is the browser's`);
    return tracker;
  };
  const mc = await newContext(browser, { mobile: true });
  const mari = await mc.newPage();
  await open(mari, `${voteUrl}/haaleta`, residents[0]!.idCode);
  await mari.getByRole('group', { name: 'Millised projektid valida?' }).waitFor();
  await expectAccessible(mari, 'ballot (phone)');
  await mari.getByLabel('Sild', { exact: true }).check();
  await mari.getByRole('button', { name: 'Krüpteeri sedel' }).click();
  await mari.getByRole('heading', { name: 'Sedel on krüpteeritud' }).waitFor({ timeout: 30_000 });
  await expectAccessible(mari, 'encrypted ballot');
  await mari.getByRole('button', { name: 'Kontrolli seda sedelit (seda ei arvestata)' }).click();
  await mari.getByText('Brauser kontrollis: sedel sisaldas täpselt järgmist valikut.').waitFor();
  assert.match(await mari.locator('.vv-audit-choices').innerText(), /Millised projektid valida\?: Sild/);
  await expectAccessible(mari, 'audited ballot');
  await mari.getByRole('button', { name: 'Krüpteeri valik uuesti' }).click();
  await castOne(mari, ['Park'], 'Mari');
  const width = await mari.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 360, `no horizontal scrolling at 360 px (got ${width})`);
  await expectAccessible(mari, 'cast ballot');

  const jc = await newContext(browser);
  const jaan = await jc.newPage();
  await open(jaan, `${voteUrl}/haaleta`, residents[1]!.idCode);
  await castOne(jaan, ['Sild', 'Raamatukogu'], 'Jaan');

  const kc = await newContext(browser);
  const kati = await kc.newPage();
  await open(kati, `${voteUrl}/haaleta`, residents[2]!.idCode);
  await castOne(kati, ['Park'], 'Kati');
  await kati.getByRole('button', { name: 'Hääleta uuesti' }).click();
  await castOne(kati, ['Raamatukogu'], 'Kati again');
  await kati.getByText('Uus sedel asendas teie varasema sedeli.').waitFor();
  const encryptMs = await kati.evaluate(() => (window as unknown as { __kovEncryptMs: number[] }).__kovEncryptMs);
  assert.equal(encryptMs.length, 2);

  // ——— time passes; the official closes the box and computes the encrypted tally ———
  const past = new Date(Date.now() - 1000);
  await inScope(ctx.db, { tenant: TARTU }, async (trx) => {
    const e = await trx.selectFrom('vv_election').select('box_id').where('id', '=', voteId).executeTakeFirstOrThrow();
    await trx.updateTable('vv_election').set({ closes_at: past }).where('id', '=', voteId).execute();
    await bb.setClosingTime(trx, { municipalityCode: TARTU, boxId: e.box_id, closesAt: past });
  });
  await op.reload();
  await op.getByRole('button', { name: 'Sulge valimiskast' }).click();
  await op.getByText('Valimiskast on suletud.').waitFor();
  await op.getByRole('button', { name: 'Arvuta krüpteeritud summa' }).click();
  await op.getByText('Summa on arvutatud; usaldusisikud saavad dekrüpteerida.').waitFor();

  // ——— trustees 1 and 3 decrypt (2 of 3) ———
  for (const i of [0, 2]) {
    const p = tps[i]!;
    await p.reload();
    await trusteeLoadKey(p, i);
    await p.getByRole('button', { name: 'Dekrüpteeri summa' }).click();
    await p
      .getByText(
        'Teie osa dekrüpteeringust on avaldatud. Teadetetahvel oli korrektne: arvesse läinud 3, asendatud 1, tühistatud 0 sedelit.',
      )
      .waitFor({ timeout: 60_000 })
      .catch(async (err) =>
        assert.fail(
          `${(err as Error).message}\nthe page says: ${(await p.locator('.notice, [role=status]').allInnerTexts()).join(' | ')}`,
        ),
      );
  }

  // ——— the result is published ———
  await op.reload();
  await op.getByRole('heading', { name: 'Tulemus' }).waitFor();
  const rows = await op.locator('.vv-result tbody tr').allInnerTexts();
  assert.deepEqual(
    rows.map((r) => r.split('\t').map((x) => x.trim())),
    [
      ['Sild', '1', '0', '1'],
      ['Park', '1', '0', '1'],
      ['Raamatukogu', '2', '0', '2'],
    ],
  );
  await op.getByText('Tulemuse dekrüpteerisid usaldusisikud 1, 3.').waitFor();
  await expectAccessible(op, 'published result');

  // ——— the bulletin board: check in the browser, download the record ———
  const board = await (await newContext(browser)).newPage();
  await board.goto(`${url}${voteUrl}/tahvel`);
  await board.getByRole('heading', { level: 1, name: 'Avalik teadetetahvel' }).waitFor();
  await board.getByText('arvesse läinud').first().waitFor();
  await expectAccessible(board, 'bulletin board');
  await board.getByRole('button', { name: 'Kontrolli selles brauseris' }).click();
  await board.getByText('Kirje on korrektne', { exact: false }).waitFor({ timeout: 60_000 });
  const downloading = board.waitForEvent('download');
  await board.getByRole('link', { name: 'Laadi kirje alla (JSON)' }).click();
  const recordFile = path.join(tmp, 'record.json');
  await (await downloading).saveAs(recordFile);
  const record = JSON.parse(readFileSync(recordFile, 'utf8'));
  assert.equal(record.ballots.length, 4, 'three voters, one re-vote');
  assert.equal(record.audited.length, 1);

  // ——— kov verify: the independent entry point and the CLI command ———
  const verify = (file: string) =>
    spawnSync('node', ['--import', 'tsx', 'src/modules/verifiable/verifier/main.ts', file], {
      cwd: root,
      encoding: 'utf8',
    });
  const ok = verify(recordFile);
  assert.equal(ok.status, 0, ok.stdout + ok.stderr);
  assert.match(ok.stdout, /^VALID: every check of the election record passed\./);
  assert.match(ok.stdout, /Raamatukogu/);
  const cli = spawnSync('node', ['bin/kov.js', 'verify', recordFile], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, KOV_MODE: 'test' },
  });
  assert.equal(cli.status, 0, cli.stdout + cli.stderr);
  assert.match(cli.stdout, /^VALID/);

  const flip = (h: string, at = 10) =>
    h.slice(0, at) + ((parseInt(h[at]!, 16) + 1) % 16).toString(16) + h.slice(at + 1);
  const tamper = (name: string, change: (r: typeof record) => void, expected: RegExp) => {
    const r = structuredClone(record);
    change(r);
    const file = path.join(tmp, `tampered-${name}.json`);
    writeFileSync(file, JSON.stringify(r));
    const out = verify(file);
    assert.equal(out.status, 1, `${name}: ${out.stdout}`);
    assert.match(out.stdout, /^INVALID/);
    assert.match(out.stdout, expected, `${name}: ${out.stdout}`);
  };
  tamper(
    'ballot',
    (r) => (r.ballots[1].ballot.answers[0].choices[2].beta = flip(r.ballots[1].ballot.answers[0].choices[2].beta)),
    /✖ ballots\[1\] \(slot [0-9a-f]{12}…, version \d, tracker [0-9a-f]{12}…\)\.(tracker|ballot)/,
  );
  tamper(
    'proof',
    (r) =>
      (r.ballots[2].ballot.answers[0].choices[0].proof[1].s = flip(
        r.ballots[2].ballot.answers[0].choices[0].proof[1].s,
        3,
      )),
    /✖ ballots\[2\] .*answers\[0\]\.choices\[0\]\.proof: the 0\/1 proof does not verify/,
  );
  tamper(
    'partial decryption',
    (r) => (r.decryption[1].decryptions[0][1].factor = flip(r.decryption[1].decryptions[0][1].factor)),
    /✖ decryption\[1\] \(trustee 3\)\.decryptions\[0\]\[1\]/,
  );
  tamper(
    'result',
    (r) => (r.result.questions[0].counts[0] = 2),
    /✖ result\.questions\[0\]\.counts\[0\]: announced 2, the decryption gives 1/,
  );
});
