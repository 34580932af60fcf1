import { test } from 'node:test';
import assert from 'node:assert/strict';
import { testPlatform } from '../../../test/support/app';
import { deliverNow, giveVerifiedEmail, linksIn, mailForTests } from '../notifications/testSupport';
import { makeCouncil } from './testkit';
import { changeSittingStatus, createSitting } from './sittings';
import { addAgendaItem, updateAgendaItem } from './editAgenda';
import { uploadDocument } from './documents';
import { getSitting } from './getSitting';
import { generateMinutes, signMinutes } from './minutes';
import { Problem } from '../../platform/http/problems';

/**
 * The council's members are told through real SMTP: the convocation with the agenda and its
 * documents when a sitting is published (to every acting member, in their language, once); a
 * warning to the presiding chair and the publishing official when that is later than the
 * council's notice period (the sitting page says so too); changes of a published agenda; signed
 * minutes. Nothing for a publication that failed.
 */
const { catcher, env } = await mailForTests();
const { ctx, app } = await testPlatform({ env });
const DAY = 86_400_000;
const pdf = Buffer.from('%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n');

const f = await makeCouncil(ctx, { seats: 7, substitutes: 1 });
const langs = ['et', 'ru', 'en', 'et', 'et', 'et', 'et'] as const;
for (const [i, m] of f.members.entries())
  await giveVerifiedEmail(ctx, m.id, `liige${i}@example.ee`, { language: langs[i] });
await giveVerifiedEmail(ctx, f.substitutes[0]!.id, 'asendaja@example.ee');
await giveVerifiedEmail(ctx, f.admin.id, 'admin@example.ee', { language: 'en' });

async function draftSitting(inDays: number, title: string) {
  const s = await createSitting(ctx, f.admin.actor, f.code, f.councilId, {
    title,
    format: 'in_person',
    startsAt: new Date(ctx.now().getTime() + inDays * DAY).toISOString(),
    place: 'Vallamaja saal',
    link: null,
    secretaryId: f.secretary.id,
  });
  const item = await addAgendaItem(ctx, f.admin.actor, f.code, s.id, {
    title: 'Eelarve vastuvõtmine',
    kind: 'decision',
    majority: { kind: 'cast' },
  });
  return { id: s.id, number: s.number, itemId: item.id };
}

test('publishing a sitting sends every acting member the convocation with its agenda and documents, once, in their language', async () => {
  const s = await draftSitting(10, 'Eelarveistung');
  await uploadDocument(
    ctx,
    f.admin.actor,
    f.code,
    s.id,
    s.itemId,
    { filename: 'eelnou.pdf', mediaType: 'application/pdf', content: pdf },
    { title: 'Eelarve eelnõu' },
  );
  const draft = await getSitting(ctx, f.admin.actor, f.code, s.id);
  assert.deepEqual([draft.notice.days, draft.notice.met], [7, true]);
  const published = await changeSittingStatus(ctx, f.admin.actor, f.code, s.id, 'publish');
  assert.equal(published.notice?.met, true);
  await deliverNow(ctx);
  const et = await catcher.messagesTo('liige0@example.ee');
  assert.equal(et.length, 1);
  assert.equal(et[0]!.subject.startsWith(`Kutse: Testi Vallavolikogu ${s.number}. istung`), true, et[0]!.subject);
  assert.match(et[0]!.text, /1\. Eelarve vastuvõtmine/);
  assert.match(et[0]!.text, /Eelarve eelnõu/);
  assert.match(et[0]!.html ?? '', /Eelarve eelnõu/);
  assert.equal(et[0]!.headers['list-unsubscribe'], undefined, 'the convocation cannot be unsubscribed from');
  assert.match((await catcher.messagesTo('liige1@example.ee'))[0]!.subject, /^Созыв: /);
  assert.match((await catcher.messagesTo('liige2@example.ee'))[0]!.subject, /^Convocation: /);
  for (const i of [3, 4]) assert.equal((await catcher.messagesTo(`liige${i}@example.ee`)).length, 1);
  assert.equal((await catcher.messagesTo('asendaja@example.ee')).length, 0, 'a substitute not acting is not convened');
  assert.equal((await catcher.messagesTo('admin@example.ee')).length, 0, 'no warning: the notice period is met');
  // Its links work: the sitting page and the document.
  const links = linksIn(et[0]!);
  assert.ok(links.includes(`${ctx.config.publicUrl}/volikogu/${f.code}/istung/${s.id}`), links.join('\n'));
  const doc = links.find((l) => l.includes('/documents/'))!;
  const got = await app.inject({ method: 'GET', url: doc.slice(ctx.config.publicUrl.length) });
  assert.equal(got.statusCode, 200);
  assert.equal(got.headers['content-type'], 'application/pdf');
  // Publishing again is refused and sends nothing more.
  await assert.rejects(changeSittingStatus(ctx, f.admin.actor, f.code, s.id, 'publish'), Problem);
  await deliverNow(ctx);
  assert.equal((await catcher.messagesTo('liige0@example.ee')).length, 1);
});

test('a convocation later than the notice period: the chair and the publisher are warned, the page says so', async () => {
  const s = await draftSitting(2, 'Erakorraline istung');
  const draft = await getSitting(ctx, f.admin.actor, f.code, s.id);
  assert.equal(draft.notice.met, false, 'the manager sees before publishing that it cannot be met');
  const r = await changeSittingStatus(ctx, f.admin.actor, f.code, s.id, 'publish');
  assert.equal(r.notice?.met, false);
  await deliverNow(ctx);
  const chairMail = await catcher.messagesTo('liige0@example.ee');
  assert.ok(chairMail.some((m) => m.subject === `Hoiatus: ${s.number}. istungi etteteatamise tähtaeg ei ole täidetav`));
  assert.ok(chairMail.some((m) => m.subject.startsWith('Kutse: ')));
  const admin = await catcher.messagesTo('admin@example.ee');
  assert.deepEqual(
    admin.map((m) => m.subject),
    [`Warning: the notice period of sitting no. ${s.number} cannot be met`],
  );
  assert.match(admin[0]!.text, /at least 7 days before/);
  const others = await catcher.messagesTo('liige3@example.ee');
  assert.equal(others.filter((m) => m.subject.includes('Hoiatus')).length, 0, 'only the chair is warned');
  const page = await getSitting(ctx, f.chair.actor, f.code, s.id);
  assert.equal(page.notice.met, false);
  assert.equal(page.you.operator, 'chair');
});

test('a failed publication sends nothing; changes to a published agenda are told at most once an hour', async () => {
  const empty = await createSitting(ctx, f.admin.actor, f.code, f.councilId, {
    title: 'Tühi',
    format: 'in_person',
    startsAt: new Date(ctx.now().getTime() + 20 * DAY).toISOString(),
    place: 'Vallamaja',
    link: null,
  });
  const before = (await catcher.messagesTo('liige4@example.ee')).length;
  await assert.rejects(changeSittingStatus(ctx, f.admin.actor, f.code, empty.id, 'publish'), Problem);
  const s = await draftSitting(12, 'Korraline istung');
  await changeSittingStatus(ctx, f.admin.actor, f.code, s.id, 'publish');
  await updateAgendaItem(ctx, f.admin.actor, f.code, s.id, s.itemId, { title: 'Eelarve (muudetud)' });
  await addAgendaItem(ctx, f.admin.actor, f.code, s.id, {
    title: 'Arengukava',
    kind: 'decision',
    majority: { kind: 'cast' },
  });
  await deliverNow(ctx);
  const mails = (await catcher.messagesTo('liige4@example.ee')).slice(before);
  assert.deepEqual(
    mails.map((m) => m.subject.replace(/ \d.*$/, '')),
    ['Kutse: Testi Vallavolikogu', `${s.number}. istungi päevakord muutus`.replace(/ \d.*$/, '')],
    mails.map((m) => m.subject).join('\n'),
  );
  assert.equal(mails.filter((m) => m.subject.includes('päevakord muutus')).length, 1);
});

test('signed minutes are told to the members once', async () => {
  const s = await draftSitting(9, 'Protokolliga istung');
  await changeSittingStatus(ctx, f.admin.actor, f.code, s.id, 'publish');
  await changeSittingStatus(ctx, f.chair.actor, f.code, s.id, 'open');
  await changeSittingStatus(ctx, f.chair.actor, f.code, s.id, 'close');
  const secretary = { ...f.secretary.actor };
  const m = await generateMinutes(ctx, secretary, f.code, s.id);
  await signMinutes(ctx, f.chair.actor, f.code, s.id, { as: 'chair', sha256: m.sha256 });
  await deliverNow(ctx);
  const subject = `${s.number}. istungi protokoll on saadaval`;
  assert.equal((await catcher.messagesTo('liige3@example.ee')).filter((x) => x.subject === subject).length, 0);
  await signMinutes(ctx, secretary, f.code, s.id, { as: 'secretary', sha256: m.sha256 });
  await signMinutes(ctx, secretary, f.code, s.id, { as: 'secretary', sha256: m.sha256 });
  await deliverNow(ctx);
  assert.equal((await catcher.messagesTo('liige3@example.ee')).filter((x) => x.subject === subject).length, 1);
});
