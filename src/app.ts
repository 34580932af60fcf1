import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import Fastify, { type FastifyBaseLogger, type FastifyError, type FastifyReply, type FastifyRequest } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import cookie from '@fastify/cookie';
import helmet from 'helmet';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { AppContext } from './platform/context';
import type { Api, KovModule } from './platform/module';
import { P, Problem, problemKind, problemKinds } from './platform/http/problems';
import { fieldErrors, validatorCompiler } from './platform/http/validation';
import { dependencyFailure } from './platform/http/outages';
import { databaseRefusal, refuseUnstorableInput } from './platform/http/hostileInput';
import { createRateLimiter, type RateLimiter } from './platform/http/rateLimit';
import { familyTable } from './platform/http/rateLimits';
import { registerAuth } from './platform/auth/routes';
import { apiKeyFrom, authenticateApiKey } from './platform/auth/apiKeys';
import { registerHealth } from './platform/http/health';
import { registerMetrics } from './platform/metrics/routes';
import { problems as problemMetric } from './platform/metrics/metrics';
import { createLifecycle, type Lifecycle } from './platform/http/lifecycle';
import { modules as allModules } from './modules';

declare module 'fastify' {
  interface FastifyInstance {
    /** Draining on shutdown, and the open event streams to close then. */
    lifecycle: Lifecycle;
    /** The app's rate limiter (tests flush it to see several nodes agree). */
    rateLimiter: RateLimiter;
  }
  interface FastifyContextConfig {
    /** Set false on state-changing routes that browsers call without a session (none by default). */
    csrf?: boolean;
    /** Allow this route's page to be framed by other sites (embeddable widgets). */
    embeddable?: boolean;
  }
}

export interface BuildOptions {
  modules?: KovModule[];
  /**
   * Rate limiting on or off, whatever the configuration says; `'switchable'` (benchmarks only):
   * off, switched on and off while the app runs through `app.rateLimiter.switch`, so one server
   * measures with and without it.
   */
  rateLimits?: boolean | 'switchable';
  /** Trust X-Forwarded-* (behind a TLS-terminating proxy or load balancer). */
  trustProxy?: boolean;
}

const REQUEST_ID = /^[A-Za-z0-9._-]{8,64}$/;

/** Builds the HTTP application. No side effects on import; main.ts and tests call this. */
export async function buildApp(ctx: AppContext, opts: BuildOptions = {}): Promise<Api> {
  const modules = opts.modules ?? allModules;
  const { config } = ctx;
  const app = Fastify({
    loggerInstance: ctx.log as unknown as FastifyBaseLogger,
    bodyLimit: 1024 * 1024,
    trustProxy: opts.trustProxy ?? false,
    genReqId: (req) => {
      const incoming = req.headers['x-request-id'];
      return typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID();
    },
    routerOptions: { ignoreTrailingSlash: true },
    return503OnClosing: true,
    forceCloseConnections: 'idle',
    // Refused before routing (an undecodable URL, a path parameter over 100 characters): problem+json too.
    frameworkErrors: (error, request, reply) => sendProblem(error, request, reply),
    // Refused by Node's HTTP parser before Fastify sees a request (a request line or headers over
    // the limit, bytes that are no HTTP): problem+json instead of Fastify's bare JSON.
    clientErrorHandler: (error: NodeJS.ErrnoException, socket) => {
      if (!socket.writable) return void socket.destroy(error);
      const tooLarge = error.code === 'HPE_HEADER_OVERFLOW';
      const kind = tooLarge ? P.headersTooLarge : P.validation;
      const body = JSON.stringify({
        type: `/problems/${kind.slug}`,
        title: kind.title,
        status: kind.status,
        detail: tooLarge ? kind.description : 'The request is not valid HTTP.',
      });
      socket.end(
        `HTTP/1.1 ${kind.status} ${tooLarge ? 'Request Header Fields Too Large' : 'Bad Request'}\r\n` +
          `Content-Type: application/problem+json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
      );
    },
  }).withTypeProvider<TypeBoxTypeProvider>();

  const switchable = opts.rateLimits === 'switchable';
  const limited = opts.rateLimits === 'switchable' ? false : (opts.rateLimits ?? config.rateLimits.enabled);
  const limiter = createRateLimiter(ctx.db, ctx.log, {
    enabled: limited,
    switchable,
    table: familyTable(config.rateLimits.overrides),
    flushMs: config.rateLimits.flushMs,
    secret: config.secrets.pseudonymKey,
    clientOf: async (request) => {
      const key = apiKeyFrom(request);
      return key ? (await authenticateApiKey(ctx, key))?.id : undefined;
    },
  });
  app.decorate('rateLimiter', limiter);
  // Before any route is added: each route gets its family from the rate-limit table.
  app.addHook('onRoute', (route) => limiter.onRoute(route));
  app.addHook('onClose', () => limiter.stop());

  app.setValidatorCompiler(validatorCompiler);
  const lifecycle = createLifecycle();
  app.decorate('lifecycle', lifecycle);
  app.addHook('onRequest', async (request, reply) => {
    reply.header('x-request-id', request.id);
    // While draining, every answer closes its connection, so a proxy opens new ones to other nodes.
    if (lifecycle.draining) reply.header('connection', 'close');
  });
  registerMetrics(app, ctx);
  // NUL characters and lone surrogates in any string: 400 before a schema or the database sees them.
  app.addHook('preValidation', async (request) => refuseUnstorableInput(request));

  await app.register(cookie);
  await registerSecurityHeaders(app, ctx);

  app.setErrorHandler((error: FastifyError | Problem, request, reply) => sendProblem(error, request, reply));
  app.setNotFoundHandler((request, reply) => {
    if (request.method === 'GET' && !isApiPath(request.url) && config.webDist && acceptsHtml(request)) {
      return sendSpa(request, reply, config.webDist);
    }
    return sendProblem(
      new Problem(P.routeNotFound, `No endpoint ${request.method} ${request.url.split('?')[0]}`),
      request,
      reply,
    );
  });

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'KOV Platform API',
        version: '1',
        description:
          'The API of the KOV Platform of Estonian municipalities. Errors are RFC 9457 problem details (`application/problem+json`) with a stable `type` per kind of error; see /problems.',
      },
      tags: modules.map((m) => ({ name: m.name, description: m.description })),
      components: {
        securitySchemes: {
          session: {
            type: 'apiKey',
            in: 'cookie',
            name: 'kov_session',
            description:
              'Browser session after login through TARA. State-changing requests also need the X-CSRF-Token header.',
          },
        },
      },
    },
  });
  await app.register(swaggerUi, {
    routePrefix: '/api/docs',
    staticCSP: true,
    uiConfig: { docExpansion: 'list', deepLinking: true },
  });

  registerHealth(app, ctx);
  app.get('/problems', { schema: { hide: true } }, async () =>
    problemKinds().map((k) => ({
      type: `/problems/${k.slug}`,
      status: k.status,
      title: k.title,
      description: k.description,
    })),
  );
  app.get('/problems/:slug', { schema: { hide: true } }, async (request, reply) => {
    const kind = problemKind((request.params as { slug: string }).slug);
    if (!kind) return sendProblem(new Problem(P.notFound, 'No such problem type'), request, reply);
    return { type: `/problems/${kind.slug}`, status: kind.status, title: kind.title, description: kind.description };
  });

  await registerAuth(app, ctx);
  // After the actor is known (registerAuth's onRequest hook): limits per address, person, client system.
  if (limited || switchable) app.addHook('onRequest', limiter.check);

  await app.register(
    async (api) => {
      for (const m of modules) {
        if (m.api) {
          await api.register(async (scoped) => {
            scoped.addHook('onRoute', (route) => {
              route.schema = { ...(route.schema ?? {}), tags: route.schema?.tags ?? [m.name] };
            });
            await m.api!(scoped as Api, ctx);
          });
        }
      }
    },
    { prefix: '/api/v1' },
  );
  for (const m of modules) {
    if (m.root) {
      await app.register(async (scoped) => {
        scoped.addHook('onRoute', (route) => {
          route.schema = { ...(route.schema ?? {}), tags: route.schema?.tags ?? [m.name] };
        });
        await m.root!(scoped as Api, ctx);
      });
    }
  }

  if (config.webDist && existsSync(config.webDist)) {
    await app.register(fastifyStatic, {
      root: config.webDist,
      prefix: '/',
      wildcard: false,
      index: false,
      // The build writes x.js.br and x.js.gz beside x.js (scripts/build-web.mjs): sent as they are,
      // with Content-Encoding and Vary: Accept-Encoding.
      preCompressed: true,
      setHeaders: (res, filePath) => {
        // Vite names built assets by content hash: cache them for a year.
        if (filePath.includes(`${path.sep}assets${path.sep}`))
          res.header('cache-control', 'public, max-age=31536000, immutable');
      },
    });
    app.get('/', { schema: { hide: true } }, (request, reply) => sendSpa(request, reply, config.webDist!));
  }
  return app as Api;
}

function isApiPath(url: string): boolean {
  return /^\/(api|auth|open311|demo-tara|demo-maa-amet|problems|healthz|readyz|metrics)(\/|\?|$)/.test(url);
}

function acceptsHtml(request: FastifyRequest): boolean {
  const accept = request.headers.accept ?? '';
  return accept === '' || accept.includes('text/html') || accept.includes('*/*');
}

type Encoding = 'br' | 'gzip';
let spaCache: { dir: string; mtimeMs: number; html: Buffer; br?: Buffer; gzip?: Buffer } | undefined;
function sendSpa(request: FastifyRequest, reply: FastifyReply, dir: string) {
  const file = path.join(dir, 'index.html');
  const mtimeMs = existsSync(file) ? statSync(file).mtimeMs : undefined;
  if (mtimeMs === undefined) {
    return reply
      .code(503)
      .type('text/plain; charset=utf-8')
      .send('The web app is not built yet: run `npm run build:web`.');
  }
  // Read again after a rebuild (the page names the new build's hashed assets).
  if (!spaCache || spaCache.dir !== dir || spaCache.mtimeMs !== mtimeMs) {
    const read = (f: string) => (existsSync(f) ? readFileSync(f) : undefined);
    spaCache = { dir, mtimeMs, html: readFileSync(file), br: read(`${file}.br`), gzip: read(`${file}.gz`) };
  }
  reply.type('text/html; charset=utf-8').header('cache-control', 'no-cache').header('vary', 'accept-encoding');
  const encoding = acceptedEncoding(request.headers['accept-encoding'], spaCache);
  if (encoding) return reply.header('content-encoding', encoding).send(spaCache[encoding]);
  return reply.send(spaCache.html);
}

/** The best of the encodings we hold that the client accepts (brotli before gzip; q=0 refuses). */
export function acceptedEncoding(
  header: string | string[] | undefined,
  available: Partial<Record<Encoding, unknown>>,
): Encoding | undefined {
  const accepted = new Map<string, number>();
  for (const part of String(header ?? '').split(',')) {
    const [raw, ...params] = part.toLowerCase().split(';');
    const name = raw?.trim();
    if (!name) continue;
    const q = params.map((p) => /^\s*q=([0-9.]+)\s*$/.exec(p)?.[1]).find(Boolean);
    accepted.set(name, q === undefined ? 1 : Number(q));
  }
  const ok = (e: string) => (accepted.get(e) ?? (accepted.has('*') ? accepted.get('*')! : 0)) > 0;
  return (['br', 'gzip'] as const).find((e) => available[e] !== undefined && ok(e));
}

async function registerSecurityHeaders(app: Api, ctx: AppContext) {
  const tileOrigins = ctx.config.maps.tileOrigins;
  const https = ctx.config.publicUrl.startsWith('https:');
  // Security headers (helmet), built once: @fastify/helmet built the middleware and parsed the CSP
  // again on every request (a measurable share of a cast's CPU).
  const securityHeaders = helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        'default-src': ["'self'"],
        'script-src': ["'self'"],
        'style-src': ["'self'"],
        'img-src': ["'self'", 'data:', 'blob:', ...tileOrigins],
        'connect-src': ["'self'"],
        'font-src': ["'self'"],
        'object-src': ["'none'"],
        'base-uri': ["'self'"],
        'form-action': ["'self'"],
        'frame-ancestors': ["'none'"],
        ...(https ? { 'upgrade-insecure-requests': [] } : {}),
      },
    },
    hsts: https ? { maxAge: 31536000, includeSubDomains: true } : false,
    frameguard: { action: 'deny' },
    referrerPolicy: { policy: 'strict-origin-when-cross-origin' },
    crossOriginEmbedderPolicy: false,
    crossOriginResourcePolicy: { policy: 'same-site' },
  });
  app.addHook('onRequest', (request, reply, done) =>
    securityHeaders(request.raw, reply.raw, (err?: unknown) => done(err as Error | undefined)),
  );
  // Widgets meant for other sites (e.g. the satisfaction survey) opt out of the framing ban.
  app.addHook('onSend', async (request, reply) => {
    if (request.routeOptions.config?.embeddable) {
      reply.removeHeader('x-frame-options');
      const csp = reply.getHeader('content-security-policy');
      if (typeof csp === 'string')
        reply.header('content-security-policy', csp.replace("frame-ancestors 'none'", 'frame-ancestors *'));
      reply.header('cross-origin-resource-policy', 'cross-origin');
    }
  });
}

export function sendProblem(error: FastifyError | Problem | Error, request: FastifyRequest, reply: FastifyReply) {
  let problem: Problem;
  let down: ReturnType<typeof dependencyFailure>;
  let refused: Problem | undefined;
  const err = error as FastifyError & { validationContext?: string };
  if (error instanceof Problem) {
    problem = error;
  } else if (err.validation) {
    problem = new Problem(P.validation, 'The request has invalid fields', {
      errors: fieldErrors(err.validation as any, err.validationContext ?? 'body'),
    });
  } else if (err.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || (err instanceof SyntaxError && err.statusCode === 400)) {
    problem = new Problem(P.malformedJson, 'The body is not valid JSON');
  } else if (err.code === 'FST_ERR_CTP_EMPTY_JSON_BODY') {
    problem = new Problem(P.malformedJson, 'The body is empty but the content type says JSON');
  } else if (err.code === 'FST_ERR_CTP_BODY_TOO_LARGE' || err.statusCode === 413) {
    problem = new Problem(P.bodyTooLarge, 'The body is larger than this endpoint accepts');
  } else if (err.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE' || err.statusCode === 415) {
    problem = new Problem(
      P.unsupportedMediaType,
      `Content type ${request.headers['content-type'] ?? '(none)'} is not accepted here`,
    );
  } else if (err.code === 'FST_ERR_MAX_PARAM_LENGTH') {
    problem = new Problem(P.uriTooLong, 'A part of the path is longer than any valid value (100 characters)');
  } else if (err.code === 'FST_ERR_BAD_URL') {
    problem = new Problem(P.validation, 'The path is not a valid URL', {
      errors: [{ pointer: '/params', detail: 'is not a valid URL component' }],
    });
  } else if (err.statusCode === 429) {
    problem = new Problem(P.tooManyRequests, err.message);
  } else if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500) {
    // Other client errors raised by Fastify or a plugin: keep their status, not their internals.
    const kind = err.statusCode === 404 ? P.notFound : err.statusCode === 405 ? P.methodNotAllowed : P.validation;
    problem = new Problem({ ...kind, status: err.statusCode }, err.message);
  } else if ((refused = databaseRefusal(error))) {
    // A constraint of the database refused the change (a race for a unique key, a reference to
    // something gone, a value out of range): the client's conflict or mistake, not ours.
    request.log.info({ code: (error as { code?: string }).code, detail: refused.detail }, 'refused by the database');
    problem = refused;
  } else if ((down = dependencyFailure(error))) {
    // A dependency is down: say so (503, when to try again), not "internal error".
    request.log.warn({ dependency: down.dependency, reason: down.reason }, 'dependency unavailable');
    reply.header('retry-after', String(down.retryAfterSeconds));
    problem = new Problem(
      P.unavailable,
      `A system this request depends on (${down.dependency}) is not answering. Nothing was recorded; try again in ${down.retryAfterSeconds} s.`,
    );
  } else {
    request.log.error({ err: error }, 'unhandled error');
    problem = new Problem(
      P.internal,
      `Something went wrong on our side. Quote request id ${request.id} when reporting it.`,
    );
  }
  if (error instanceof Problem && problem.status >= 500) request.log.error({ err: error }, problem.detail);
  problemMetric.inc({ type: problem.kind.slug, status: String(problem.status) });
  // Every 503 says when to try again (a module's own 503 problems included).
  if (problem.status === 503 && !reply.hasHeader('retry-after')) reply.header('retry-after', '5');
  return reply
    .code(problem.status)
    .type('application/problem+json; charset=utf-8')
    .send(JSON.stringify(problem.toJSON(request.url.split('?')[0])));
}
