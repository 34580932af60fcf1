import { Type } from 'typebox';
import type { AppContext } from '../context';
import type { Api } from '../module';
import { ANONYMOUS, isPlatformAdmin, type Actor } from './actor';
import { SESSION_COOKIE, createSession, destroySession, resolveSession } from './sessions';
import { LoginError, createTaraClient, safeReturnTo } from './tara';
import { registerDemoIdp, DEMO_IDP_PREFIX } from './demoIdp';
import { upsertPerson } from './persons';
import { P, Problem } from '../http/problems';

declare module 'fastify' {
  interface FastifyRequest {
    actor: Actor;
  }
}

const STATE_COOKIE = 'kov_auth_state';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export const MeResponse = Type.Object({
  authenticated: Type.Boolean(),
  person: Type.Optional(
    Type.Object({
      id: Type.String({ format: 'uuid' }),
      givenName: Type.Union([Type.String(), Type.Null()]),
      familyName: Type.Union([Type.String(), Type.Null()]),
      idCodeMasked: Type.String({ description: 'First six digits; the rest hidden' }),
      birthDate: Type.String({ format: 'date' }),
    }),
  ),
  roles: Type.Array(Type.Object({ municipalityCode: Type.String(), role: Type.String() })),
  platformAdmin: Type.Boolean(),
  csrfToken: Type.Optional(Type.String()),
});

/**
 * Login (TARA or the demo provider), logout, the current user, and the two request hooks every
 * route relies on: who the actor is (from the session cookie), and CSRF protection for
 * state-changing browser requests.
 */
export async function registerAuth(app: Api, ctx: AppContext) {
  const { config } = ctx;
  const policy = { idleMinutes: config.session.idleMinutes, absoluteHours: config.session.absoluteHours };
  const redirectUri = `${config.publicUrl}/auth/callback`;
  const tara = createTaraClient(ctx.db, { ...config.tara, redirectUri });
  const cookieBase = { path: '/', httpOnly: true, sameSite: 'lax' as const, secure: config.session.cookieSecure };

  (app as unknown as { decorateRequest(name: string, value: unknown): void }).decorateRequest('actor', null);
  app.addHook('onRequest', async (request) => {
    request.actor = ANONYMOUS;
    const token = request.cookies[SESSION_COOKIE];
    if (!token || request.url.startsWith(DEMO_IDP_PREFIX)) return;
    const actor = await resolveSession(ctx.db, token, policy);
    if (actor) request.actor = actor;
  });
  app.addHook('preHandler', async (request) => {
    if (SAFE_METHODS.has(request.method) || request.actor.kind !== 'person' || !request.actor.csrfToken) return;
    if (request.routeOptions.config?.csrf === false) return;
    if (request.headers['x-csrf-token'] !== request.actor.csrfToken) {
      throw new Problem(P.csrf, 'Send the X-CSRF-Token header with the token from GET /api/v1/me');
    }
  });

  if (config.demoIdp) {
    await registerDemoIdp(app, ctx.db, {
      issuer: config.tara.issuer,
      clientId: config.tara.clientId,
      clientSecret: config.tara.clientSecret,
      redirectUri,
    });
  }

  app.get(
    '/auth/login',
    {
      schema: {
        tags: ['auth'],
        summary: 'Start login through TARA (redirects)',
        querystring: Type.Object({
          returnTo: Type.Optional(Type.String({ maxLength: 500 })),
          lang: Type.Optional(Type.Union([Type.Literal('et'), Type.Literal('en'), Type.Literal('ru')])),
        }),
      },
    },
    async (request, reply) => {
      const { url, state } = await tara.begin(safeReturnTo(request.query.returnTo), request.query.lang);
      reply.setCookie(STATE_COOKIE, state, { ...cookieBase, maxAge: 600, path: '/auth' });
      return reply.redirect(url, 302);
    },
  );

  app.get(
    '/auth/callback',
    { schema: { tags: ['auth'], summary: 'Return from TARA (redirects)', hide: true } },
    async (request, reply) => {
      const url = new URL(request.url, config.publicUrl);
      reply.clearCookie(STATE_COOKIE, { ...cookieBase, path: '/auth' });
      try {
        const identity = await tara.complete(url, request.cookies[STATE_COOKIE]);
        const personId = await upsertPerson(ctx.db, identity, true);
        const session = await createSession(ctx.db, personId, policy, { amr: identity.amr, acr: identity.acr });
        reply.setCookie(SESSION_COOKIE, session.token, { ...cookieBase, expires: session.expiresAt });
        request.log.info({ personId, amr: identity.amr, acr: identity.acr }, 'login');
        return reply.redirect(identity.returnTo, 302);
      } catch (err) {
        if (err instanceof LoginError) {
          request.log.warn({ reason: err.reason, detail: err.message }, 'login refused');
          return reply.redirect(`/login-failed?reason=${encodeURIComponent(err.reason)}`, 302);
        }
        throw err;
      }
    },
  );

  app.post(
    '/auth/logout',
    { schema: { tags: ['auth'], summary: 'Log out (ends the session)', response: { 204: Type.Null() } } },
    async (request, reply) => {
      const token = request.cookies[SESSION_COOKIE];
      if (token) await destroySession(ctx.db, token);
      reply.clearCookie(SESSION_COOKIE, cookieBase);
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/api/v1/me',
    {
      schema: {
        tags: ['auth'],
        summary: 'The logged-in person, their roles and CSRF token',
        response: { 200: MeResponse },
      },
    },
    async (request) => {
      const actor = request.actor;
      if (actor.kind !== 'person') return { authenticated: false, roles: [], platformAdmin: false };
      return {
        authenticated: true,
        person: {
          id: actor.personId,
          givenName: actor.givenName,
          familyName: actor.familyName,
          idCodeMasked: actor.idCodeMasked,
          birthDate: actor.birthDate,
        },
        roles: actor.roles,
        platformAdmin: isPlatformAdmin(actor),
        csrfToken: actor.csrfToken,
      };
    },
  );
}
