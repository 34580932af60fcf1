import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createCipheriv, randomBytes } from 'node:crypto';
import { BulkGcm } from './gcm';

/**
 * The counting's AES-256-GCM (gcm.ts) against NIST's test vector and node's own AES-GCM: the same
 * plaintexts, and any changed bit of a value, of its nonce, tag or associated data refuses it.
 */
function pack(parts: Uint8Array[]) {
  const offsets = new Uint32Array(parts.length + 1);
  parts.forEach((p, i) => (offsets[i + 1] = offsets[i]! + p.length));
  return { data: Buffer.concat(parts), offsets };
}

test("NIST's AES-256-GCM test case 16 (96-bit nonce, associated data)", () => {
  const key = Buffer.from('feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308', 'hex');
  const value = Buffer.from(
    'cafebabefacedbaddecaf888' +
      '522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662' +
      '76fc6ece0f4e1768cddf8853bb2d551b',
    'hex',
  );
  const aad = Buffer.from('feedfacedeadbeeffeedfacedeadbeefabaddad2', 'hex');
  const none = Uint32Array.of(0, 0);
  let out = '';
  const r = new BulkGcm(key).open(
    1,
    value,
    Uint32Array.of(0, value.length),
    aad,
    Buffer.alloc(0),
    none,
    (_, b, f, t) => {
      out = b.subarray(f, t).toString('hex');
    },
  );
  assert.equal(r, -1);
  assert.equal(
    out,
    'd9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a721c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39',
  );
  value[value.length - 1]! ^= 0x80;
  assert.equal(
    new BulkGcm(key).open(1, value, Uint32Array.of(0, value.length), aad, Buffer.alloc(0), none, () => {}),
    0,
  );
});

test("opens what node's AES-256-GCM sealed (every length of plaintext and tail), and refuses every changed bit", () => {
  const key = randomBytes(32);
  const prefix = Buffer.from('kov-ballot/1\u00000793\u00001b9d6bcd-bbfd-4b2d-9b5d-ab8dfbbd4bed\u0000');
  const plains: Buffer[] = [];
  const tails: Buffer[] = [];
  const sealed: Buffer[] = [];
  for (let i = 0; i < 300; i++) {
    const nonce = randomBytes(12);
    const tail = randomBytes(i % 41);
    const plain = randomBytes(i % 7 === 0 ? 0 : i % 83);
    const c = createCipheriv('aes-256-gcm', key, nonce);
    c.setAAD(Buffer.concat([prefix, tail]));
    const body = c.update(plain);
    c.final();
    plains.push(plain);
    tails.push(tail);
    sealed.push(Buffer.concat([nonce, body, c.getAuthTag()]));
  }
  const { data, offsets } = pack(sealed);
  const t = pack(tails);
  const gcm = new BulkGcm(key);
  const opened: Buffer[] = [];
  assert.equal(
    gcm.open(sealed.length, data, offsets, prefix, t.data, t.offsets, (i, b, f, to) => {
      assert.equal(i, opened.length);
      opened.push(Buffer.from(b.subarray(f, to)));
    }),
    -1,
  );
  assert.deepEqual(opened, plains);
  // Each bit of a few values (nonce, ciphertext, tag) and of their associated data's tails.
  for (const i of [0, 5, 58, 299]) {
    for (const [buf, from, to] of [
      [data, offsets[i]!, offsets[i + 1]!],
      [t.data, t.offsets[i]!, t.offsets[i + 1]!],
    ] as const)
      for (let b = from; b < to; b++)
        for (let bit = 0; bit < 8; bit++) {
          buf[b]! ^= 1 << bit;
          let handed = 0;
          const r = gcm.open(i + 1, data, offsets, prefix, t.data, t.offsets, (k) => {
            assert.ok(k < i, 'nothing of the refused value is handed over');
            handed++;
          });
          buf[b]! ^= 1 << bit;
          assert.equal(r, i);
          assert.equal(handed, i);
        }
  }
  // Another key refuses the first value; so does a value too short to hold a nonce and a tag.
  assert.equal(
    new BulkGcm(randomBytes(32)).open(1, data, offsets, prefix, t.data, t.offsets, () => {}),
    0,
  );
  const short = pack([randomBytes(27)]);
  assert.equal(
    gcm.open(1, short.data, short.offsets, prefix, t.data, t.offsets, () => {}),
    0,
  );
});
