import { Type } from 'typebox';
import type { Api } from '../../platform/module';
import type { AppContext } from '../../platform/context';
import { P, Problem, notFound } from '../../platform/http/problems';
import { listNotifications, markRead, unreadNotifications } from './centre';
import { addFollow, changeFollow, listFollows, removeFollow } from './follows';
import { getSettings, removeEmail, requestEmail, unsubscribe, updateSettings, verifyEmail } from './settings';
import { runningCatcher } from './mailCatcher';
import { receiveBounce } from './bounces';
import { NP } from './problems';
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FollowInput } from './contract';

const SESSION = [{ session: [] }];
const Lang = Type.Union([Type.Literal('et'), Type.Literal('ru'), Type.Literal('en')]);
const Frequency = Type.Union([Type.Literal('instant'), Type.Literal('daily')]);

const Item = Type.Object({
  id: Type.Integer(),
  topic: Type.String(),
  title: Type.String(),
  text: Type.String(),
  link: Type.Union([Type.String(), Type.Null()]),
  municipalityCode: Type.String(),
  createdAt: Type.String({ format: 'date-time' }),
  readAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
});
const Unread = Type.Object({ unread: Type.Integer() });
const Settings = Type.Object({
  language: Lang,
  digest: Type.Union([Type.Literal('off'), Type.Literal('daily')]),
  email: Type.Union([Type.String(), Type.Null()]),
  emailVerifiedAt: Type.Union([Type.String(), Type.Null()]),
  emailBouncedAt: Type.Union([Type.String(), Type.Null()]),
  pendingEmail: Type.Union([Type.String(), Type.Null()]),
  pendingExpiresAt: Type.Union([Type.String(), Type.Null()]),
  emailAvailable: Type.Boolean(),
  topics: Type.Array(
    Type.Object({
      topic: Type.String(),
      group: Type.String(),
      inApp: Type.Boolean(),
      email: Type.Boolean(),
      required: Type.Boolean(),
    }),
  ),
});
const Polygon = Type.Object(
  {
    type: Type.Literal('Polygon'),
    coordinates: Type.Array(Type.Array(Type.Array(Type.Number(), { minItems: 2, maxItems: 3 }), { maxItems: 500 }), {
      minItems: 1,
      maxItems: 10,
    }),
  },
  { additionalProperties: false },
);
const FollowSchema = Type.Object({
  id: Type.String(),
  municipalityCode: Type.String(),
  placeCode: Type.Union([Type.String(), Type.Null()]),
  placeName: Type.Union([Type.String(), Type.Null()]),
  name: Type.Union([Type.String(), Type.Null()]),
  area: Type.Union([
    Type.Object({ type: Type.Literal('Polygon'), coordinates: Type.Array(Type.Array(Type.Array(Type.Number()))) }),
    Type.Null(),
  ]),
  frequency: Frequency,
  createdAt: Type.String(),
});
const Token = Type.Object({ token: Type.String({ minLength: 1, maxLength: 200 }) }, { additionalProperties: false });
const pageLang = (accept: string | undefined): 'et' | 'ru' | 'en' => {
  const l = (accept ?? '').slice(0, 2).toLowerCase();
  return l === 'ru' || l === 'en' ? l : 'et';
};

export function notificationRoutes(app: Api, ctx: AppContext) {
  // Delivery status notifications (RFC 3464) passed on by the relay: docs/notifications.md, "Bounces".
  app.register(async (scoped) => {
    scoped.removeAllContentTypeParsers();
    scoped.addContentTypeParser(
      'message/rfc822',
      { parseAs: 'buffer', bodyLimit: 2 * 1024 * 1024 },
      (_req, body, done) => done(null, body),
    );
    const digest = (s: string) => createHash('sha256').update(s).digest();
    scoped.post(
      '/notifications/bounces',
      {
        config: { csrf: false },
        schema: {
          summary:
            'A delivery status notification for a VERP bounce address, as the relay received it (Content-Type: message/rfc822, Authorization: Bearer <MAIL_BOUNCE_SECRET>)',
          querystring: Type.Object(
            {
              to: Type.Optional(
                Type.String({ maxLength: 320, description: 'the envelope recipient, if the relay knows it' }),
              ),
            },
            { additionalProperties: false },
          ),
          consumes: ['message/rfc822'],
          response: {
            202: Type.Object({
              outcome: Type.Union([
                Type.Literal('permanent'),
                Type.Literal('transient'),
                Type.Literal('ignored'),
                Type.Literal('repeat'),
              ]),
              reason: Type.Optional(Type.String()),
              status: Type.Optional(Type.String()),
            }),
          },
        },
      },
      async (request, reply) => {
        const bounce = ctx.config.mail.bounce;
        if (!bounce) throw new Problem(NP.bouncesOff, 'MAIL_BOUNCE_SECRET is not set');
        const auth = request.headers.authorization ?? '';
        const given = /^Bearer\s+(\S+)$/i.exec(auth)?.[1] ?? '';
        if (!timingSafeEqual(digest(given), digest(bounce.secret)))
          throw new Problem(NP.bounceUnauthorized, 'Authorization: Bearer <MAIL_BOUNCE_SECRET> is missing or wrong');
        const body = request.body;
        if (!Buffer.isBuffer(body) || body.length === 0) throw new Problem(NP.bounceUnreadable, 'The body is empty');
        const to = (request.query as { to?: string }).to;
        const result = await receiveBounce(ctx, body, { envelopeTo: to ? [to] : [] });
        return reply.code(202).send(result);
      },
    );
  });
  app.get(
    '/me/notifications',
    {
      schema: {
        security: SESSION,
        summary: 'My notification centre: newest first, in the language asked, with the unread count',
        querystring: Type.Object({
          lang: Type.Optional(Lang),
          limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
          before: Type.Optional(Type.Integer({ minimum: 1 })),
        }),
        response: { 200: Type.Object({ items: Type.Array(Item), unread: Type.Integer() }) },
      },
    },
    (request) => listNotifications(ctx, request.actor, request.query),
  );
  app.get(
    '/me/notifications/unread',
    { schema: { security: SESSION, summary: 'How many of my notifications are unread', response: { 200: Unread } } },
    (request) => unreadNotifications(ctx, request.actor),
  );
  app.post(
    '/me/notifications/:id/read',
    {
      schema: {
        security: SESSION,
        summary: 'Mark one of my notifications read',
        params: Type.Object({ id: Type.Integer({ minimum: 1 }) }),
        response: { 200: Unread },
      },
    },
    (request) => markRead(ctx, request.actor, request.params.id),
  );
  app.post(
    '/me/notifications/read-all',
    { schema: { security: SESSION, summary: 'Mark all my notifications read', response: { 200: Unread } } },
    (request) => markRead(ctx, request.actor, 'all'),
  );

  app.get(
    '/me/notification-settings',
    {
      schema: {
        security: SESSION,
        summary: 'My notification settings: language, e-mail address, digest, topics',
        response: { 200: Settings },
      },
    },
    (request) => getSettings(ctx, request.actor),
  );
  app.put(
    '/me/notification-settings',
    {
      schema: {
        security: SESSION,
        summary: 'Change language, digest and per-topic choices (required topics stay on)',
        body: Type.Object(
          {
            language: Type.Optional(Lang),
            digest: Type.Optional(Type.Union([Type.Literal('off'), Type.Literal('daily')])),
            topics: Type.Optional(
              Type.Array(
                Type.Object(
                  { topic: Type.String({ maxLength: 60 }), inApp: Type.Boolean(), email: Type.Boolean() },
                  { additionalProperties: false },
                ),
                { maxItems: 50 },
              ),
            ),
          },
          { additionalProperties: false },
        ),
        response: { 200: Settings },
      },
    },
    (request) => updateSettings(ctx, request.actor, request.body, pageLang(request.headers['accept-language'])),
  );
  app.put(
    '/me/notification-settings/email',
    {
      schema: {
        security: SESSION,
        summary: 'Set my e-mail address: a verification link is sent to it; nothing else until it is opened',
        body: Type.Object(
          { email: Type.String({ maxLength: 320 }), language: Type.Optional(Lang) },
          { additionalProperties: false },
        ),
        response: { 202: Settings },
      },
    },
    async (request, reply) => reply.code(202).send(await requestEmail(ctx, request.actor, request.body)),
  );
  app.delete(
    '/me/notification-settings/email',
    {
      schema: { security: SESSION, summary: 'Remove my e-mail address', response: { 200: Settings } },
    },
    (request) => removeEmail(ctx, request.actor),
  );

  app.get(
    '/me/follows',
    {
      schema: {
        security: SESSION,
        summary: 'Areas I follow for new problem reports',
        response: { 200: Type.Array(FollowSchema) },
      },
    },
    (request) => listFollows(ctx, request.actor),
  );
  app.post(
    '/me/follows',
    {
      schema: {
        security: SESSION,
        summary: 'Follow a settlement unit or municipality (EHAK code), or an area drawn on the map',
        body: Type.Union([
          Type.Object(
            { placeCode: Type.String({ pattern: '^[0-9]{4}$' }), frequency: Frequency },
            { additionalProperties: false },
          ),
          Type.Object(
            { area: Polygon, name: Type.String({ minLength: 1, maxLength: 100 }), frequency: Frequency },
            { additionalProperties: false },
          ),
        ]),
        response: { 201: FollowSchema },
      },
    },
    async (request, reply) => reply.code(201).send(await addFollow(ctx, request.actor, request.body as FollowInput)),
  );
  app.patch(
    '/me/follows/:id',
    {
      schema: {
        security: SESSION,
        summary: 'At once or in the daily digest',
        params: Type.Object({ id: Type.String({ format: 'uuid' }) }),
        body: Type.Object({ frequency: Frequency }, { additionalProperties: false }),
        response: { 200: FollowSchema },
      },
    },
    (request) => changeFollow(ctx, request.actor, request.params.id, request.body),
  );
  app.delete(
    '/me/follows/:id',
    {
      schema: {
        security: SESSION,
        summary: 'Stop following an area',
        params: Type.Object({ id: Type.String({ format: 'uuid' }) }),
        response: { 204: Type.Null() },
      },
    },
    async (request, reply) => {
      await removeFollow(ctx, request.actor, request.params.id);
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/notifications/verify',
    {
      config: { csrf: false },
      schema: {
        summary: 'Open the verification link of an e-mail address (no login: the link is the proof)',
        body: Token,
        response: { 200: Type.Object({ email: Type.String() }) },
      },
    },
    (request) => verifyEmail(ctx, request.body.token),
  );
  app.post(
    '/notifications/unsubscribe',
    {
      config: { csrf: false },
      schema: {
        summary: 'Stop e-mails of one topic with the signed link from an e-mail (no login)',
        body: Token,
        response: { 200: Type.Object({ topic: Type.String() }) },
      },
    },
    (request) => unsubscribe(ctx, request.body.token),
  );

  // The demo mailbox: only where this process runs the mail catcher (demo and development).
  const catcher = () => {
    const c = runningCatcher();
    if (!c || ctx.config.mode === 'production') throw notFound('Demo mailbox (the mail catcher is not running)');
    return c;
  };
  const MailSummary = Type.Object({
    id: Type.Integer(),
    receivedAt: Type.String(),
    from: Type.String(),
    to: Type.Array(Type.String()),
    subject: Type.String(),
  });
  app.get(
    '/demo/mail',
    {
      schema: {
        summary: 'Demo mailbox: what the platform sent to the mail catcher (demo and development only)',
        querystring: Type.Object({ to: Type.Optional(Type.String({ maxLength: 254 })) }),
        response: { 200: Type.Object({ received: Type.Integer(), messages: Type.Array(MailSummary) }) },
      },
    },
    async (request) => {
      const c = catcher();
      const want = request.query.to?.trim().toLowerCase();
      const kept = c
        .list()
        .filter((m) => !want || m.to.includes(want))
        .slice(0, 100);
      const messages = [];
      for (const m of kept) {
        const p = await c.parse(m.id);
        if (p) messages.push({ id: p.id, receivedAt: p.receivedAt, from: p.from, to: p.to, subject: p.subject });
      }
      return { received: c.received(), messages };
    },
  );
  app.get(
    '/demo/mail/:id',
    {
      schema: {
        summary: 'One message of the demo mailbox: headers, plain text and whether it has HTML',
        params: Type.Object({ id: Type.Integer({ minimum: 1 }) }),
        response: {
          200: Type.Object({
            ...MailSummary.properties,
            messageId: Type.Union([Type.String(), Type.Null()]),
            text: Type.String(),
            hasHtml: Type.Boolean(),
            headers: Type.Record(Type.String(), Type.String()),
          }),
        },
      },
    },
    async (request) => {
      const p = await catcher().parse(request.params.id);
      if (!p) throw notFound('Message');
      return {
        id: p.id,
        receivedAt: p.receivedAt,
        from: p.from,
        to: p.to,
        subject: p.subject,
        messageId: p.messageId,
        text: p.text,
        hasHtml: p.html !== null,
        headers: p.headers,
      };
    },
  );
  app.get(
    '/demo/mail/:id/html',
    {
      schema: {
        summary: 'The HTML part of a demo message, sandboxed (for the demo mailbox page)',
        params: Type.Object({ id: Type.Integer({ minimum: 1 }) }),
        produces: ['text/html'],
        response: { 200: Type.String({ description: 'text/html' }) },
      },
    },
    async (request, reply) => {
      const p = await catcher().parse(request.params.id);
      if (!p?.html) throw notFound('HTML part');
      return reply
        .header(
          'content-security-policy',
          "sandbox allow-popups allow-popups-to-escape-sandbox; default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'self'",
        )
        .header('x-frame-options', 'SAMEORIGIN')
        .type('text/html; charset=utf-8')
        .send(p.html);
    },
  );
}

/**
 * RFC 8058 one-click unsubscribe: the address in the List-Unsubscribe header is the unsubscribe
 * page (GET shows it in the web app and changes nothing, so link scanners are harmless); a POST
 * to the same address with `List-Unsubscribe=One-Click` (form-urlencoded or multipart, as mail
 * providers send it) unsubscribes without a login or cookie.
 */
export function notificationRootRoutes(app: Api, ctx: AppContext) {
  app.register(async (scoped) => {
    scoped.removeAllContentTypeParsers();
    scoped.addContentTypeParser('*', { parseAs: 'string', bodyLimit: 16 * 1024 }, (_req, body, done) =>
      done(null, body),
    );
    scoped.post(
      '/teavitused/loobu/:token',
      {
        config: { csrf: false },
        schema: {
          summary: 'One-click unsubscribe (RFC 8058): POST List-Unsubscribe=One-Click to the List-Unsubscribe address',
          params: Type.Object({ token: Type.String({ minLength: 1, maxLength: 200 }) }),
          produces: ['text/plain'],
          response: { 200: Type.String({ description: 'text/plain' }) },
        },
      },
      async (request, reply) => {
        const body = typeof request.body === 'string' ? request.body : '';
        if (!/List-Unsubscribe=One-Click|name="List-Unsubscribe"[\s\S]*One-Click/i.test(body))
          throw new Problem(P.validation, 'The body must be List-Unsubscribe=One-Click (RFC 8058)', {
            errors: [{ pointer: '/body', detail: 'List-Unsubscribe=One-Click' }],
          });
        await unsubscribe(ctx, (request.params as { token: string }).token);
        return reply.type('text/plain; charset=utf-8').send('Unsubscribed.\n');
      },
    );
  });
}
