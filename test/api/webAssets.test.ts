import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { brotliCompressSync, brotliDecompressSync, gunzipSync, gzipSync } from 'node:zlib';
import { testPlatform } from '../support/app';
import { acceptedEncoding } from '../../src/app';

/**
 * The web app's files as the build leaves them (x.js with x.js.br and x.js.gz beside it, see
 * scripts/build-web.mjs) are sent precompressed with the right Content-Encoding and Vary, and
 * plain to a client that accepts neither; the page itself too. Checked by decoding what arrives.
 */
const dist = mkdtempSync(path.join(os.tmpdir(), 'kov-web-assets-'));
mkdirSync(path.join(dist, 'assets'));
const html = `<!doctype html><html><head><script type="module" src="/assets/app-abc.js"></script></head><body>${'<!-- filler -->'.repeat(200)}</body></html>`;
const js = `console.log(${JSON.stringify('x'.repeat(5000))});`;
const write = (file: string, content: string) => {
  writeFileSync(path.join(dist, file), content);
  writeFileSync(path.join(dist, `${file}.br`), brotliCompressSync(content));
  writeFileSync(path.join(dist, `${file}.gz`), gzipSync(content));
};
write('index.html', html);
write('assets/app-abc.js', js);

const platform = await testPlatform({ webDist: dist });

test('a script is sent as brotli, gzip or plain as the client accepts, always with Vary: Accept-Encoding', async () => {
  const get = (encoding?: string) =>
    platform.app.inject({
      url: '/assets/app-abc.js',
      headers: encoding === undefined ? {} : { 'accept-encoding': encoding },
    });
  const br = await get('gzip, deflate, br, zstd');
  assert.equal(br.statusCode, 200);
  assert.equal(br.headers['content-encoding'], 'br');
  assert.match(String(br.headers['vary']), /accept-encoding/i);
  assert.match(String(br.headers['content-type']), /javascript/);
  assert.match(String(br.headers['cache-control']), /immutable/);
  assert.equal(brotliDecompressSync(br.rawPayload).toString(), js);

  const gz = await get('gzip');
  assert.equal(gz.headers['content-encoding'], 'gzip');
  assert.equal(gunzipSync(gz.rawPayload).toString(), js);

  const plain = await get('identity');
  assert.equal(plain.headers['content-encoding'], undefined);
  assert.match(String(plain.headers['vary']), /accept-encoding/i);
  assert.equal(plain.body, js);
});

test('the page is sent compressed too, for any route of the app', async () => {
  for (const url of ['/', '/teated/uus']) {
    const r = await platform.app.inject({ url, headers: { accept: 'text/html', 'accept-encoding': 'br, gzip' } });
    assert.equal(r.statusCode, 200, url);
    assert.equal(r.headers['content-encoding'], 'br', url);
    assert.match(String(r.headers['vary']), /accept-encoding/i);
    assert.equal(brotliDecompressSync(r.rawPayload).toString(), html);
  }
  const gz = await platform.app.inject({
    url: '/',
    headers: { accept: 'text/html', 'accept-encoding': 'gzip;q=1, br;q=0' },
  });
  assert.equal(gz.headers['content-encoding'], 'gzip');
  const plain = await platform.app.inject({ url: '/', headers: { accept: 'text/html' } });
  assert.equal(plain.headers['content-encoding'], undefined);
  assert.equal(plain.body, html);
});

test('Accept-Encoding: quality values, a refusal with q=0, and the wildcard', () => {
  const both = { br: 1, gzip: 1 };
  assert.equal(acceptedEncoding('gzip, br', both), 'br');
  assert.equal(acceptedEncoding('br;q=0, gzip', both), 'gzip');
  assert.equal(acceptedEncoding('BR ; q=0.5', both), 'br');
  assert.equal(acceptedEncoding('*', both), 'br');
  assert.equal(acceptedEncoding('*, br;q=0', both), 'gzip');
  assert.equal(acceptedEncoding('identity', both), undefined);
  assert.equal(acceptedEncoding(undefined, both), undefined);
  assert.equal(acceptedEncoding('br', { gzip: 1 }), undefined);
});
