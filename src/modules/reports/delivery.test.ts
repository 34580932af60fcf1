import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { testContext, makePerson, grantRole } from '../../../test/support/app';
import { ANONYMOUS, type PersonActor } from '../../platform/auth/actor';
import { inScope } from '../../platform/db/database';
import { reportsModule } from './index';
import { submitReport } from './submitReport';
import { updateReport } from './changeStatus';
import { saveCategory } from './categories';
import {
  DELIVER_JOB,
  deliveryTiming,
  listDeliveries,
  resendDelivery,
  runDelivery,
  saveEndpoint,
  backoffSeconds,
} from './delivery';
import { fetchOpen311Updates } from './open311Fetch';
import { getReport } from './getReport';

const TARTU = '0793';
const ELVA = '0171';
const RAEKODA = { lat: 58.3804, lon: 26.7225 };
const SECRET = 'a-very-secret-webhook-key-123';

const { ctx } = await testContext({ jobs: false });
reportsModule.jobs!(ctx);
await ctx.jobs.start();
after(() => ctx.jobs.stop());

const adminP = await makePerson(ctx);
await grantRole(ctx, TARTU, adminP.id, 'admin');
await grantRole(ctx, ELVA, adminP.id, 'admin');
const admin: PersonActor = {
  kind: 'person',
  personId: adminP.id,
  givenName: 'A',
  familyName: 'Admin',
  birthDate: '1980-01-01',
  idCodeMasked: '',
  acr: 'high',
  roles: [
    { municipalityCode: TARTU, role: 'admin' },
    { municipalityCode: ELVA, role: 'admin' },
  ],
};

/** A municipal system that receives webhooks: it can be down, slow, or refuse; it drops repeats by key. */
interface Received {
  key: string;
  attempt: string;
  topic: string;
  body: string;
  signatureOk: boolean;
}
const receiver = {
  mode: [] as ('down' | 'slow' | 'bad' | 'ok')[],
  requests: [] as Received[],
  processed: new Map<string, unknown>(),
};
const server = http.createServer((req, res) => {
  let body = '';
  req.on('data', (c) => (body += c));
  req.on('end', () => {
    const sig = String(req.headers['x-kov-signature'] ?? '');
    const [, t, v1] = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(sig) ?? [];
    const expected = t ? createHmac('sha256', SECRET).update(`${t}.${body}`).digest('hex') : '';
    const r: Received = {
      key: String(req.headers['idempotency-key']),
      attempt: String(req.headers['x-kov-delivery-attempt']),
      topic: String(req.headers['x-kov-topic']),
      body,
      signatureOk: Boolean(v1) && v1 === expected,
    };
    receiver.requests.push(r);
    const mode = receiver.mode.shift() ?? 'ok';
    if (mode === 'down') {
      res.writeHead(503).end('maintenance');
      return;
    }
    if (mode === 'bad') {
      res.writeHead(400).end('we do not know this category');
      return;
    }
    // Idempotent receiver: the first request with a key is processed, repeats are acknowledged only.
    if (!receiver.processed.has(r.key)) receiver.processed.set(r.key, JSON.parse(body));
    if (mode === 'slow') setTimeout(() => res.writeHead(200).end('ok'), 1500);
    else res.writeHead(200).end('ok');
  });
});
await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
after(() => server.close());
const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;

const endpoint = await saveEndpoint(ctx, admin, TARTU, {
  name: 'Tartu dokumendihaldus',
  kind: 'webhook',
  url,
  secret: SECRET,
});
await saveCategory(ctx, admin, TARTU, 'roads', { endpointId: endpoint.id }, { create: false });
deliveryTiming.baseSeconds = 0; // retries become due at once, so that the test can drain the queue
deliveryTiming.timeoutMs = 500;

test('backoff doubles from the base up to the maximum', () => {
  const saved = deliveryTiming.baseSeconds;
  deliveryTiming.baseSeconds = 30;
  assert.deepEqual([1, 2, 3, 4, 8, 20].map(backoffSeconds), [30, 60, 120, 240, 3600, 3600]);
  deliveryTiming.baseSeconds = saved;
});

test('the receiver is down for a while: the delivery is retried through the job queue, delivered once, and every attempt is logged', async () => {
  receiver.mode = ['down', 'down', 'down'];
  receiver.requests = [];
  const r = await submitReport(ctx, ANONYMOUS, {
    categoryCode: 'roads',
    description: 'Auk',
    ...RAEKODA,
    channel: 'web',
    name: 'Mari Maasikas',
    email: 'mari@example.ee',
  });
  const ran = await ctx.jobs.drain(DELIVER_JOB);
  assert.equal(ran, 4, 'three failures and the success, each its own job run');
  assert.equal(receiver.requests.length, 4);
  const keys = new Set(receiver.requests.map((x) => x.key));
  assert.equal(keys.size, 1, 'every attempt carries the same idempotency key');
  assert.deepEqual(
    receiver.requests.map((x) => x.attempt),
    ['1', '2', '3', '4'],
  );
  assert.ok(
    receiver.requests.every((x) => x.signatureOk && x.topic === 'report.created'),
    'signed with HMAC-SHA256',
  );
  const [key] = [...keys];
  const payload = receiver.processed.get(key!) as {
    topic: string;
    report: { service_request_id: string; email: string; first_name: string; service_code: string };
  };
  assert.equal(payload.report.service_request_id, String(r.id));
  assert.equal(payload.report.email, 'mari@example.ee');
  assert.equal(payload.report.first_name, 'Mari');

  const [log] = await listDeliveries(ctx, admin, TARTU, { reportId: r.id });
  assert.equal(log!.status, 'delivered');
  assert.deepEqual(
    log!.attempts.map((a) => [a.n, a.httpStatus]),
    [
      [1, 503],
      [2, 503],
      [3, 503],
      [4, 200],
    ],
  );
  assert.match(log!.attempts[0]!.error!, /HTTP 503/);
  assert.ok(log!.deliveredAt);

  // Nothing more to send: another run of the queue, or a stale job, sends nothing.
  assert.equal(await ctx.jobs.drain(DELIVER_JOB), 0);
  assert.equal(await runDelivery(ctx, { municipalityCode: TARTU, deliveryId: log!.id }), 'skipped');
  assert.equal(receiver.requests.length, 4);

  // A deliberate re-send is a new delivery with a new key, marked as such: never a silent duplicate.
  const again = await resendDelivery(ctx, admin, TARTU, log!.id);
  await ctx.jobs.drain(DELIVER_JOB);
  assert.equal(receiver.requests.length, 5);
  assert.notEqual(receiver.requests[4]!.key, key);
  const resent = (await listDeliveries(ctx, admin, TARTU, { reportId: r.id })).find((d) => d.id === again.deliveryId)!;
  assert.equal(resent.status, 'delivered');
  assert.match(resent.lastError ?? `resend of ${key}`, new RegExp(`resend of ${key}`));
});

test('an answer that is lost (timeout) is retried with the same key; the receiver processes it once', async () => {
  receiver.mode = ['slow'];
  receiver.requests = [];
  receiver.processed.clear();
  const r = await submitReport(ctx, ANONYMOUS, {
    categoryCode: 'roads',
    description: 'Teine auk',
    ...RAEKODA,
    channel: 'web',
  });
  await ctx.jobs.drain(DELIVER_JOB);
  assert.equal(receiver.requests.length, 2);
  assert.equal(receiver.requests[0]!.key, receiver.requests[1]!.key);
  assert.equal(receiver.processed.size, 1, 'processed once although sent twice');
  const [log] = await listDeliveries(ctx, admin, TARTU, { reportId: r.id });
  assert.equal(log!.status, 'delivered');
  assert.match(log!.attempts[0]!.error!, /no answer within/);
  assert.equal(log!.attempts[1]!.httpStatus, 200);
});

test('status changes made in the platform go out as report.updated; a refusing receiver fails at once; an endless outage gives up after the maximum', async () => {
  receiver.mode = [];
  receiver.requests = [];
  const editorP = await makePerson(ctx);
  await grantRole(ctx, TARTU, editorP.id, 'editor');
  const editor: PersonActor = { ...admin, personId: editorP.id, roles: [{ municipalityCode: TARTU, role: 'editor' }] };
  const r = await submitReport(ctx, ANONYMOUS, {
    categoryCode: 'roads',
    description: 'Kolmas auk',
    ...RAEKODA,
    channel: 'web',
  });
  await ctx.jobs.drain(DELIVER_JOB);
  await updateReport(ctx, editor, TARTU, r.id, { status: 'in_progress', text: 'Remondibrigaad saadetud' });
  await ctx.jobs.drain(DELIVER_JOB);
  const updated = receiver.requests.find((x) => x.topic === 'report.updated')!;
  const body = JSON.parse(updated.body);
  assert.equal(body.event.status, 'IN_PROGRESS');
  assert.equal(body.event.description, 'Remondibrigaad saadetud');
  // An internal note is not sent.
  const before = receiver.requests.length;
  await updateReport(ctx, editor, TARTU, r.id, { text: 'sisemine', internal: true });
  await ctx.jobs.drain(DELIVER_JOB);
  assert.equal(receiver.requests.length, before);

  receiver.mode = ['bad'];
  const bad = await submitReport(ctx, ANONYMOUS, {
    categoryCode: 'roads',
    description: 'Neljas auk',
    ...RAEKODA,
    channel: 'web',
  });
  await ctx.jobs.drain(DELIVER_JOB);
  const [b] = await listDeliveries(ctx, admin, TARTU, { reportId: bad.id });
  assert.equal(b!.status, 'failed');
  assert.equal(b!.attempts.length, 1);

  const saved = deliveryTiming.maxAttempts;
  deliveryTiming.maxAttempts = 3;
  receiver.mode = ['down', 'down', 'down', 'down'];
  const down = await submitReport(ctx, ANONYMOUS, {
    categoryCode: 'roads',
    description: 'Viies auk',
    ...RAEKODA,
    channel: 'web',
  });
  await ctx.jobs.drain(DELIVER_JOB);
  const [d] = await listDeliveries(ctx, admin, TARTU, { reportId: down.id });
  assert.equal(d!.status, 'failed');
  assert.equal(d!.attempts.length, 3);
  deliveryTiming.maxAttempts = saved;
  receiver.mode = [];
});

test("the Open311 client pushes a report to the municipality's own back-office and applies the updates it publishes", async () => {
  const posted: URLSearchParams[] = [];
  let updatesXml = '<?xml version="1.0"?><service_request_updates></service_request_updates>';
  const backOffice = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      if (req.method === 'POST' && req.url === '/open311/requests.xml') {
        posted.push(new URLSearchParams(body));
        res
          .writeHead(200, { 'content-type': 'text/xml' })
          .end(
            '<?xml version="1.0" encoding="utf-8"?><service_requests><request><service_request_id>EXT-77</service_request_id><service_notice></service_notice></request></service_requests>',
          );
      } else if (req.method === 'GET' && req.url?.startsWith('/open311/servicerequestupdates.xml')) {
        res.writeHead(200, { 'content-type': 'text/xml' }).end(updatesXml);
      } else res.writeHead(404).end();
    });
  });
  await new Promise<void>((r) => backOffice.listen(0, '127.0.0.1', r));
  after(() => backOffice.close());
  const base = `http://127.0.0.1:${(backOffice.address() as AddressInfo).port}/open311`;
  const ep = await saveEndpoint(ctx, admin, ELVA, {
    name: 'Elva Open311',
    kind: 'open311',
    url: base,
    secret: 'remote-open311-key-1',
    jurisdictionId: 'elva',
  });
  await saveCategory(ctx, admin, ELVA, 'lighting', { endpointId: ep.id }, { create: false });
  const r = await submitReport(ctx, ANONYMOUS, {
    categoryCode: 'lighting',
    description: 'Lamp ei põle',
    lat: 58.2225,
    lon: 26.4215,
    channel: 'web',
    name: 'Jaan Tamm',
    attributes: { pole: 'E-12' },
  });
  await ctx.jobs.drain(DELIVER_JOB);
  assert.equal(posted.length, 1);
  const form = posted[0]!;
  assert.equal(form.get('api_key'), 'remote-open311-key-1');
  assert.equal(form.get('jurisdiction_id'), 'elva');
  assert.equal(form.get('service_code'), 'lighting');
  assert.equal(Number(form.get('lat')), 58.2225);
  assert.equal(form.get('first_name'), 'Jaan');
  assert.equal(form.get('last_name'), 'Tamm');
  assert.equal(form.get('attribute[pole]'), 'E-12');
  const external = await inScope(ctx.db, { tenant: ELVA }, (trx) =>
    trx.selectFrom('report').select('external_id').where('id', '=', r.id).executeTakeFirstOrThrow(),
  );
  assert.equal(external.external_id, 'EXT-77');

  // The back-office's own time of the change (after the report was made, not in the future).
  const when = new Date(new Date((await getReport(ctx, admin, r.id)).createdAt).getTime() + 1000).toISOString();
  updatesXml = `<?xml version="1.0" encoding="utf-8"?><service_request_updates><request_update><update_id>U1</update_id><service_request_id>EXT-77</service_request_id><status>FIXED</status><updated_datetime>${when}</updated_datetime><description>Lamp vahetatud</description></request_update></service_request_updates>`;
  const f1 = await fetchOpen311Updates(ctx);
  assert.deepEqual([f1.applied, f1.errors], [1, []]);
  const f2 = await fetchOpen311Updates(ctx);
  assert.equal(f2.applied, 0, 'the same update_id changes nothing twice');
  const view = await getReport(ctx, admin, r.id);
  assert.equal(view.status, 'fixed');
  assert.equal(view.closedAt, new Date(when).toISOString(), "stamped with the back-office's time");
  assert.equal(view.history.at(-1)!.by.kind, 'backoffice');
});
