import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { isTopic, type Topic } from './topics';

/**
 * Links in e-mails that work without logging in.
 *
 * - Unsubscribe (RFC 8058 one-click): `u1.<person>.<topic>.<mac>`, the MAC an HMAC-SHA256 (first
 *   128 bits) under a key derived from KOV_PSEUDONYM_KEY. Nobody without the key can make one for
 *   another person or topic; it never expires (mail clients call it much later), and it can only
 *   switch e-mail of that one topic off.
 * - Address verification: an HMAC-SHA256 of the person, the address and the link's expiry under
 *   another derived key. The database keeps only its SHA-256, so a copy of the database makes no
 *   link; the delivery job recomputes the link to send it (nothing secret waits in the queue). A
 *   new request (a new expiry) makes the old link invalid.
 */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

const keyOf = (secret: string, purpose: string) =>
  createHmac('sha256', Buffer.from(secret, 'hex')).update(`kov-notifications/${purpose}`).digest();

function mac(secret: string, personId: string, topic: string): Buffer {
  return createHmac('sha256', keyOf(secret, 'unsubscribe')).update(`${personId}\n${topic}`).digest().subarray(0, 16);
}

export function unsubscribeToken(secret: string, personId: string, topic: Topic): string {
  const id = Buffer.from(personId.replace(/-/g, ''), 'hex').toString('base64url');
  return `u1.${id}.${topic}.${mac(secret, personId, topic).toString('base64url')}`;
}

/** The person and topic of a genuine token; undefined for anything else (forged, altered, garbage). */
export function readUnsubscribeToken(secret: string, token: string): { personId: string; topic: Topic } | undefined {
  // u1 . person . topic (itself dotted) . mac
  const parts = token.split('.');
  if (parts.length < 4 || parts[0] !== 'u1') return undefined;
  const id = parts[1]!;
  const given = parts[parts.length - 1]!;
  const topic = parts.slice(2, -1).join('.');
  const hex = Buffer.from(id, 'base64url').toString('hex');
  if (hex.length !== 32) return undefined;
  const personId = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  if (!UUID.test(personId) || !isTopic(topic)) return undefined;
  const want = mac(secret, personId, topic);
  const got = Buffer.from(given, 'base64url');
  if (got.length !== want.length || !timingSafeEqual(got, want)) return undefined;
  return { personId, topic };
}

export function verificationToken(secret: string, personId: string, email: string, expiresAt: Date): string {
  return createHmac('sha256', keyOf(secret, 'verify'))
    .update(`${personId}\n${email.toLowerCase()}\n${expiresAt.toISOString()}`)
    .digest()
    .toString('base64url');
}
export const hashToken = (token: string) => createHash('sha256').update(token).digest();
/** Verification links are valid this long. */
export const VERIFICATION_HOURS = 48;

/**
 * VERP envelope senders (asynchronous bounces): every message goes out with the envelope sender
 * `<local>+<token>@<bounce domain>`, so a delivery status notification, which goes to the envelope
 * sender, names the message it is about. The token is `<kind><id>.<mac>`:
 *   n<notification id>   one notification's e-mail
 *   d<notification id>   a daily digest (the id of its first notification: the person is its)
 *   v<person id, hex>    an address verification mail
 * and the MAC (HMAC-SHA256, first 64 bits, hex: relays may change the case of a local part) binds
 * the kind, the id and the address it was sent to, under a key derived from KOV_PSEUDONYM_KEY. A
 * DSN counts only if its token is genuine and the address is still the one the message went to:
 * nobody can make the platform stop mail to an address by sending it a made-up bounce.
 */
export type BounceKind = 'n' | 'd' | 'v';
const bounceMac = (secret: string, kind: BounceKind, id: string, address: string) =>
  createHmac('sha256', keyOf(secret, 'bounce'))
    .update(`${kind}\n${id}\n${address.toLowerCase()}`)
    .digest()
    .subarray(0, 8)
    .toString('hex');

export function bounceToken(secret: string, kind: BounceKind, id: string | number, address: string): string {
  const key = kind === 'v' ? String(id).replace(/-/g, '').toLowerCase() : String(id);
  return `${kind}${key}.${bounceMac(secret, kind, key, address)}`;
}

const BOUNCE_TOKEN = /^(?:(n|d)([1-9][0-9]{0,17})|(v)([0-9a-f]{32}))\.([0-9a-f]{16})$/;

/** The parts of a well-formed token (not yet checked against an address: see `bounceTokenFits`). */
export function readBounceToken(token: string): { kind: BounceKind; id: string; mac: string } | undefined {
  const m = BOUNCE_TOKEN.exec(token.toLowerCase());
  if (!m) return undefined;
  if (m[3]) {
    const h = m[4]!;
    return {
      kind: 'v',
      id: `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`,
      mac: m[5]!,
    };
  }
  return { kind: m[1] as BounceKind, id: m[2]!, mac: m[5]! };
}

/** Whether the token was made for this address. */
export function bounceTokenFits(
  secret: string,
  token: { kind: BounceKind; id: string; mac: string },
  address: string,
): boolean {
  const key = token.kind === 'v' ? token.id.replace(/-/g, '') : token.id;
  const want = Buffer.from(bounceMac(secret, token.kind, key, address), 'hex');
  const got = Buffer.from(token.mac, 'hex');
  return got.length === want.length && timingSafeEqual(got, want);
}
