import { test } from 'node:test';
import assert from 'node:assert/strict';
import { type ConfigError, loadConfig } from '../../config';

/** E-mail settings: the demo mail catcher by default in demo mode, never in production; a relay's settings checked. */
const base = { KOV_WEB_DIST: '' };

test('demo mode sends to the local mail catcher unless a relay is set', () => {
  const demo = loadConfig({ ...base, KOV_MODE: 'demo' });
  assert.deepEqual(demo.mail.catcher, { host: '127.0.0.1', port: 2525 });
  assert.equal(demo.mail.smtp?.port, 2525);
  const relay = loadConfig({ ...base, KOV_MODE: 'demo', SMTP_HOST: 'smtp.example.ee' });
  assert.equal(relay.mail.catcher, undefined);
  assert.equal(relay.mail.smtp?.port, 587);
  assert.equal(loadConfig({ ...base, KOV_MODE: 'test' }).mail.smtp, undefined, 'tests choose their relay');
});

test('production: no catcher, TLS required and verified, credentials together, a valid sender', () => {
  const prod = {
    ...base,
    KOV_MODE: 'production',
    PUBLIC_URL: 'https://kov.example.ee',
    TARA_ISSUER: 'https://tara.ria.ee',
    TARA_CLIENT_ID: 'x',
    TARA_CLIENT_SECRET: 'y',
    KOV_PSEUDONYM_KEY: 'ab'.repeat(32),
    KOV_BALLOT_MASTER_KEYS: 'cd'.repeat(32),
  };
  const ok = loadConfig({ ...prod, SMTP_HOST: 'relay.example.ee', SMTP_USER: 'kov', SMTP_PASSWORD: 'secret' });
  assert.equal(ok.mail.smtp?.requireTLS, true);
  assert.equal(ok.mail.smtp?.rejectUnauthorized, true);
  assert.equal(ok.mail.from, 'KOV platvorm <teavitused@kov.example.ee>');
  assert.equal(loadConfig({ ...prod, SMTP_HOST: 'relay.example.ee', SMTP_PORT: '465' }).mail.smtp?.secure, true);
  assert.equal(loadConfig(prod).mail.smtp, undefined, 'without a relay, e-mail is off');
  const problems = (env: Record<string, string>) => {
    try {
      loadConfig({ ...prod, ...env });
      return [];
    } catch (err) {
      return (err as ConfigError).problems;
    }
  };
  assert.match(problems({ MAIL_CATCHER: 'true' }).join(), /MAIL_CATCHER cannot be enabled in production/);
  assert.match(
    problems({ SMTP_HOST: 'r.example.ee', SMTP_USER: 'kov' }).join(),
    /SMTP_USER and SMTP_PASSWORD go together/,
  );
  assert.match(
    problems({ SMTP_HOST: 'r.example.ee', SMTP_TLS_VERIFY: 'false' }).join(),
    /SMTP_TLS_VERIFY=false is refused/,
  );
  assert.match(problems({ MAIL_FROM: 'nobody' }).join(), /MAIL_FROM must be an address/);
});

test('bounce addresses: on with a long enough secret, the domain from MAIL_FROM unless set, checked', () => {
  const demo = { ...base, KOV_MODE: 'demo', MAIL_FROM: 'KOV <teavitused@kov.example.ee>' };
  assert.equal(loadConfig(demo).mail.bounce, undefined, 'off without a secret');
  const on = loadConfig({ ...demo, MAIL_BOUNCE_SECRET: 'f'.repeat(64) });
  assert.deepEqual(on.mail.bounce, { domain: 'kov.example.ee', local: 'bounces', secret: 'f'.repeat(64) });
  const own = loadConfig({
    ...demo,
    MAIL_BOUNCE_SECRET: 'f'.repeat(64),
    MAIL_BOUNCE_DOMAIN: 'Bounce.Example.EE',
    MAIL_BOUNCE_LOCAL: 'kov-dsn',
  });
  assert.deepEqual(own.mail.bounce, { domain: 'bounce.example.ee', local: 'kov-dsn', secret: 'f'.repeat(64) });
  for (const [bad, said] of [
    [{ MAIL_BOUNCE_SECRET: 'short' }, /MAIL_BOUNCE_SECRET/],
    [{ MAIL_BOUNCE_SECRET: 'f'.repeat(64), MAIL_BOUNCE_DOMAIN: 'not a domain' }, /MAIL_BOUNCE_DOMAIN/],
    [{ MAIL_BOUNCE_SECRET: 'f'.repeat(64), MAIL_BOUNCE_LOCAL: 'far-too-long-for-verp' }, /MAIL_BOUNCE_LOCAL/],
    [{ MAIL_BOUNCE_DOMAIN: 'bounce.example.ee' }, /need MAIL_BOUNCE_SECRET/],
  ] as const)
    assert.throws(
      () => loadConfig({ ...demo, ...bad }),
      (e: ConfigError) => said.test(e.message),
    );
});
