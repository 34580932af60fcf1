import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { testPlatform, makePerson, grantRole, sessionFor } from '../support/app';
import {
  checkOutboundTarget,
  outboundFetch,
  OutboundRefused,
  refusedAddress,
  type OutboundRules,
} from '../../src/platform/http/outbound';

/**
 * Outbound target rules (SSRF): a municipal admin cannot point a webhook or an Open311 back-office
 * at the platform's own network — not at registration (through the real API, a valid body as a
 * real admin, so the 400 is the rule's), not at delivery (the address checked when connecting),
 * not through DNS names, not through redirects.
 */
const STRICT: OutboundRules = { requireHttps: true, allowedAddresses: [] };

// Every class, IPv4 and IPv6, literal and in its disguises.
const REFUSED = {
  loopback: ['127.0.0.1', '127.1.2.3', '::1', '::ffff:127.0.0.1'],
  private: ['10.0.0.1', '172.16.5.4', '192.168.1.1', 'fd00::1', 'fc00::5'],
  'link-local and cloud metadata': ['169.254.169.254', '169.254.0.1', 'fe80::1', 'fd00:ec2::254'],
  multicast: ['224.0.0.1', '239.255.255.250', 'ff02::1'],
  'unspecified and broadcast': ['0.0.0.0', '::', '255.255.255.255'],
  'carrier-grade NAT (also a metadata address)': ['100.64.0.1', '100.100.100.200'],
  'reserved and documentation': ['240.0.0.1', '192.0.2.1', '2001:db8::1'],
  'IPv4 inside IPv6 tunnels': ['2002:7f00:1::', '2001:0:4136:e378::1'],
};

test('every non-public address class is refused; public addresses pass', () => {
  for (const [cls, addresses] of Object.entries(REFUSED))
    for (const a of addresses) assert.ok(refusedAddress(a, STRICT), `${cls}: ${a} must be refused`);
  for (const a of ['193.40.5.1', '8.8.8.8', '2a00:1450:4001:80b::200e', '::ffff:193.40.5.1'])
    assert.equal(refusedAddress(a, STRICT), undefined, a);
  // The demo's allow-list lets loopback through for local stand-ins, nothing else.
  const demo: OutboundRules = { requireHttps: false, allowedAddresses: ['127.0.0.0/8', '::1/128'] };
  assert.equal(refusedAddress('127.0.0.1', demo), undefined);
  assert.ok(refusedAddress('169.254.169.254', demo));
});

test('registration checks scheme, literal addresses and what a DNS name resolves to', async () => {
  const refused = async (url: string, rules = STRICT) =>
    assert.rejects(checkOutboundTarget(url, rules), OutboundRefused, url);
  await refused('http://193.40.5.1/hook'); // https required
  await refused('ftp://193.40.5.1/hook', { requireHttps: false, allowedAddresses: [] });
  await refused('https://user:pw@193.40.5.1/hook');
  for (const url of [
    'https://169.254.169.254/latest/meta-data/',
    'https://[::1]:3000/',
    'https://[::ffff:7f00:1]/',
    'https://127.0.0.1:5432/',
    'https://0x7f000001/',
    'https://2130706433/',
    'https://10.1.2.3/',
  ])
    await refused(url);
  // A DNS name resolving to loopback.
  await refused('https://localhost:5432/');
  await refused('https://name-that-does-not-exist.invalid/');
  await checkOutboundTarget('https://193.40.5.1/hook', STRICT);
});

// A local back-office, reachable only because the test's rules allow exactly 127.0.0.1.
const hits: string[] = [];
const server = http.createServer((req, res) => {
  hits.push(req.url ?? '');
  const target = new URL(req.url ?? '/', 'http://x').searchParams.get('to');
  if (target) {
    res.writeHead(302, { location: target });
    res.end();
    return;
  }
  res.writeHead(200, { 'content-type': 'text/plain' });
  res.end('ok');
});
await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
after(() => server.close());
const port = (server.address() as AddressInfo).port;
const ONLY_127_0_0_1: OutboundRules = { requireHttps: false, allowedAddresses: ['127.0.0.1/32'] };

test('delivery: the address is checked when connecting, also for a DNS name and after redirects', async () => {
  // Allowed target: delivered.
  const ok = await outboundFetch(`http://127.0.0.1:${port}/hook`, { method: 'POST', body: 'x' }, ONLY_127_0_0_1);
  assert.equal(ok.status, 200);
  hits.length = 0;
  // The same server under production rules: refused before any byte is sent.
  await assert.rejects(outboundFetch(`http://127.0.0.1:${port}/hook`, { method: 'POST' }, STRICT), OutboundRefused);
  await assert.rejects(
    outboundFetch(`http://localhost:${port}/hook`, { method: 'POST' }, { requireHttps: false, allowedAddresses: [] }),
    OutboundRefused,
  );
  assert.equal(hits.length, 0);
  // Redirects to refused addresses are not followed: metadata, IPv6 loopback, other loopback, other schemes.
  for (const to of [
    'http://169.254.169.254/latest/meta-data/',
    `http://[::1]:${port}/`,
    `http://127.0.0.2:${port}/`,
    'file:///etc/passwd',
  ]) {
    await assert.rejects(
      outboundFetch(`http://127.0.0.1:${port}/r?to=${encodeURIComponent(to)}`, { method: 'POST' }, ONLY_127_0_0_1),
      OutboundRefused,
      to,
    );
  }
  // Only the redirecting requests arrived, never a redirected one.
  assert.ok(
    hits.every((h) => h.startsWith('/r?')),
    hits.join(' '),
  );
  // An allowed redirect is followed (a 302 after POST continues as GET).
  const followed = await outboundFetch(
    `http://127.0.0.1:${port}/r?to=${encodeURIComponent(`http://127.0.0.1:${port}/final`)}`,
    { method: 'POST', body: 'x' },
    ONLY_127_0_0_1,
  );
  assert.equal(followed.status, 200);
  assert.equal(hits.at(-1), '/final');
});

test('the API refuses a webhook or Open311 target at such an address (valid body, admin of the municipality)', async () => {
  const { app, ctx } = await testPlatform({ env: { KOV_OUTBOUND_ALLOW: 'none' } });
  const p = await makePerson(ctx);
  await grantRole(ctx, '0793', p.id, 'admin');
  const s = await sessionFor(ctx, p.id);
  const post = (url: string, kind = 'webhook') =>
    app.inject({
      method: 'POST',
      url: '/api/v1/municipalities/0793/report-endpoints',
      headers: s.headers,
      payload: { name: 'Back office', kind, url, secret: 'a-very-secret-webhook-key-123' },
    });
  for (const url of [
    'http://169.254.169.254/latest/meta-data/',
    'http://localhost:5432/',
    'http://[::1]:3000/',
    'http://192.168.0.10/hook',
  ]) {
    for (const kind of ['webhook', 'open311']) {
      const r = await post(url, kind);
      assert.equal(r.statusCode, 400, `${kind} ${url}: ${r.body}`);
      assert.equal(r.json().type, '/problems/validation');
      assert.equal(r.json().errors[0].pointer, '/body/url');
    }
  }
  // A public address is accepted (nothing is contacted at registration).
  const good = await post('http://193.40.5.1/hook');
  assert.equal(good.statusCode, 201, good.body);
});
