import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import sharp from 'sharp';
import { testPlatform, makePerson, sessionFor } from '../../../test/support/app';
import { asOwner } from '../../../test/support/db';
import { IDEMPOTENCY_PURGE_JOB } from './idempotency';

/**
 * Idempotent report intake over real HTTP (issue 20): a retry after a lost answer gets the first
 * answer again, never a second report; the same key with other content is refused; concurrent
 * duplicates make one report; keys expire.
 */
const TOKEN = 'idempotency-test-metrics-token-0123456789';
const { url, ctx, ownerUrl } = await testPlatform({ listen: true, env: { KOV_METRICS_TOKEN: TOKEN } });

/** Reports counted as submitted (`kov_business_events_total`), from the node's /metrics. */
const submittedCount = async () => {
  const text = await (await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } })).text();
  return Number(/^kov_business_events_total\{event="report_submitted"\} (\d+)/m.exec(text)?.[1] ?? 0);
};

const post = (body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${url}/api/v1/reports`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });

const reportsDescribed = (description: string) =>
  asOwner(
    ownerUrl,
    async (c) =>
      (await c.query<{ n: number }>('SELECT count(*)::int AS n FROM report WHERE description = $1', [description]))
        .rows[0]!.n,
  );
const keyRows = () =>
  asOwner(
    ownerUrl,
    async (c) => (await c.query<{ n: number }>('SELECT count(*)::int AS n FROM report_idempotency')).rows[0]!.n,
  );

test('a retry with the same Idempotency-Key gets the first answer, not a second report', async () => {
  const key = randomUUID();
  const body = { categoryCode: 'roads', description: `Auk ${key}`, lat: 58.3804, lon: 26.7225 };
  const counted = await submittedCount();
  const first = await post(body, { 'idempotency-key': `"${key}"` });
  assert.equal(first.status, 201, await first.clone().text());
  assert.equal(first.headers.get('idempotent-replayed'), null);
  const a = await first.json();
  // The draft's sf-string ("…") and the bare value are the same key.
  const again = await post(body, { 'idempotency-key': key });
  assert.equal(again.status, 201);
  assert.equal(again.headers.get('idempotent-replayed'), 'true');
  assert.deepEqual(await again.json(), a, 'the stored answer, manage token included');
  assert.equal(await reportsDescribed(body.description), 1);
  // The replay is the same report again, not a second one in the metrics either.
  assert.equal(await submittedCount(), counted + 1);

  // Neither the key nor the answer's manage token is kept in clear.
  const stored = await asOwner(ownerUrl, async (c) => (await c.query('SELECT * FROM report_idempotency')).rows);
  const text = JSON.stringify(
    stored.map((r) => Object.values(r).map((v) => (Buffer.isBuffer(v) ? v.toString('latin1') : v))),
  );
  assert.ok(!text.includes(key) && !text.includes(a.manageToken), 'key or manage token stored in clear');

  // Without a key every POST is a new report, as before.
  const plain = { ...body, description: `Ilma võtmeta ${key}` };
  assert.equal((await post(plain)).status, 201);
  assert.equal((await post(plain)).status, 201);
  assert.equal(await reportsDescribed(plain.description), 2);
});

test('the same key with other content is 422 problem+json and writes nothing', async () => {
  const key = randomUUID();
  const body = { categoryCode: 'roads', description: `Auk ${key}`, lat: 58.3804, lon: 26.7225 };
  assert.equal((await post(body, { 'idempotency-key': key })).status, 201);
  const rows = await keyRows();
  const other = await post({ ...body, description: `Teine ${key}` }, { 'idempotency-key': key });
  assert.equal(other.status, 422);
  assert.match(other.headers.get('content-type') ?? '', /application\/problem\+json/);
  assert.equal((await other.json()).type, '/problems/idempotency-key-reused');
  assert.equal(await reportsDescribed(`Teine ${key}`), 0);
  assert.equal(await keyRows(), rows);
  // The same content in another key order is the same content.
  const reordered = { lon: body.lon, lat: body.lat, description: body.description, categoryCode: body.categoryCode };
  assert.equal((await post(reordered, { 'idempotency-key': key })).headers.get('idempotent-replayed'), 'true');

  // A key that is not one: 400 problem+json naming the header, nothing written.
  for (const bad of ['short', 'x'.repeat(256), 'with space in the key 123', '"unterminated-quote-key-1234']) {
    const r = await post({ ...body, description: `Halb ${bad}` }, { 'idempotency-key': bad });
    assert.equal(r.status, 400, bad);
    const p = await r.json();
    assert.equal(p.type, '/problems/validation');
    assert.equal(p.errors[0].pointer, '/headers/idempotency-key');
    assert.equal(await reportsDescribed(`Halb ${bad}`), 0);
  }
});

test('concurrent duplicates with one key make one report; every request gets its answer', async () => {
  const key = randomUUID();
  const body = { categoryCode: 'roads', description: `Samaaegne ${key}`, lat: 58.3776, lon: 26.729 };
  const answers = await Promise.all(Array.from({ length: 8 }, () => post(body, { 'idempotency-key': key })));
  const statuses = answers.map((r) => r.status);
  assert.deepEqual(statuses, Array(8).fill(201), JSON.stringify(statuses));
  const ids = new Set(await Promise.all(answers.map(async (r) => (await r.json()).id)));
  assert.equal(ids.size, 1, `report ids ${[...ids].join(', ')}`);
  assert.equal(answers.filter((r) => r.headers.get('idempotent-replayed') === 'true').length, 7);
  assert.equal(await reportsDescribed(body.description), 1);
});

test("keys are the client's own: a logged-in person's key does not meet an anonymous one", async () => {
  const person = await makePerson(ctx);
  const session = await sessionFor(ctx, person.id);
  const key = randomUUID();
  const body = { categoryCode: 'roads', description: `Isiklik ${key}`, lat: 58.3804, lon: 26.7225 };
  const mine = await (await post(body, { 'idempotency-key': key, ...session.headers })).json();
  const anon = await post(body, { 'idempotency-key': key });
  assert.equal(anon.status, 201);
  assert.equal(anon.headers.get('idempotent-replayed'), null);
  assert.notEqual((await anon.json()).id, mine.id);
  const mineAgain = await post(body, { 'idempotency-key': key, ...session.headers });
  assert.equal((await mineAgain.json()).id, mine.id);
});

test('the form intake with photos is idempotent too; another photo under the same key is 422', async () => {
  const key = randomUUID();
  const form = async (shade: string) => {
    const photo = await sharp({ create: { width: 64, height: 48, channels: 3, background: shade } })
      .jpeg()
      .toBuffer();
    const fd = new FormData();
    fd.set('categoryCode', 'roads');
    fd.set('description', `Fotoga ${key}`);
    fd.set('lat', '58.3804');
    fd.set('lon', '26.7225');
    fd.set('photos', new Blob([photo], { type: 'image/jpeg' }), 'auk.jpg');
    return fetch(`${url}/api/v1/reports/form`, { method: 'POST', headers: { 'idempotency-key': key }, body: fd });
  };
  const first = await form('#456');
  assert.equal(first.status, 201, await first.clone().text());
  const retry = await form('#456');
  assert.equal(retry.status, 201);
  assert.equal(retry.headers.get('idempotent-replayed'), 'true');
  assert.equal((await retry.json()).id, (await first.json()).id);
  const other = await form('#654');
  assert.equal(other.status, 422);
  assert.equal((await other.json()).type, '/problems/idempotency-key-reused');
  assert.equal(await reportsDescribed(`Fotoga ${key}`), 1);
  const photos = await asOwner(
    ownerUrl,
    async (c) =>
      (
        await c.query<{ n: number }>(
          'SELECT count(*)::int AS n FROM report_photo p JOIN report r USING (municipality_code) WHERE r.id = p.report_id AND r.description = $1',
          [`Fotoga ${key}`],
        )
      ).rows[0]!.n,
  );
  assert.equal(photos, 1);
});

test('keys expire after 24 hours: the purge job removes them, and an expired key is a new request', async () => {
  const key = randomUUID();
  const body = { categoryCode: 'roads', description: `Aegunud ${key}`, lat: 58.3804, lon: 26.7225 };
  const first = await (await post(body, { 'idempotency-key': key })).json();
  const before = await keyRows();
  // A day later (the row's time is up, the purge has not run yet): the key starts afresh.
  await asOwner(ownerUrl, (c) => c.query(`UPDATE report_idempotency SET expires_at = now() - interval '1 second'`));
  const later = await post(body, { 'idempotency-key': key });
  assert.equal(later.status, 201);
  assert.equal(later.headers.get('idempotent-replayed'), null);
  assert.notEqual((await later.json()).id, first.id);
  assert.equal(await keyRows(), before, 'the expired row was taken over, not duplicated');
  await asOwner(ownerUrl, (c) => c.query(`UPDATE report_idempotency SET expires_at = now() - interval '1 second'`));
  await ctx.jobs.send(IDEMPOTENCY_PURGE_JOB, {});
  await ctx.jobs.drain(IDEMPOTENCY_PURGE_JOB);
  assert.equal(await keyRows(), 0);
});
