import { generateKeyPairSync, randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import formbody from '@fastify/formbody';
import Provider from 'oidc-provider';
import { createMemoryAdapter } from 'oidc-provider/lib/adapters/memory_adapter.js';
import { sql } from 'kysely';
import { inScope, type Db } from '../db/database';
import { parseIdCode } from '../identity/personalIdCode';
import { findPersonByCode } from './persons';

/**
 * The built-in demo identity provider: a real OpenID Connect provider (`oidc-provider`) shaped
 * like TARA — the same endpoint paths under its issuer, `sub` = `EE` + ID code, names and birth
 * date in `profile_attributes`, `amr` and `acr` as TARA sends them — that lets you log in as any
 * synthetic resident. Only for demo and development; production refuses to start with it.
 * Its state (codes, sessions) is kept in this process's memory, which is fine for one node.
 */
export const DEMO_IDP_PREFIX = '/demo-tara';

const METHODS = [
  { amr: 'mID', et: 'Mobiil-ID', en: 'Mobile-ID', ru: 'Mobiil-ID' },
  { amr: 'idcard', et: 'ID-kaart', en: 'ID card', ru: 'ID-карта' },
  { amr: 'smartid', et: 'Smart-ID', en: 'Smart-ID', ru: 'Smart-ID' },
] as const;

const TEXT = {
  et: {
    title: 'Demo-autentimine (TARA asemel)',
    intro: 'See on arenduskeskkonna sisselogimine. Valige sünteetiline isik, kelle nimel sisse logida.',
    person: 'Isik',
    or: 'või sisestage isikukood',
    filter: 'Elukoht',
    allMunicipalities: 'Kõik omavalitsused (igast mõni elanik)',
    show: 'Näita',
    man: 'mees',
    woman: 'naine',
    age: '{n} a',
    noResidence: 'elukoht teadmata',
    roles: { admin: 'haldur', editor: 'toimetaja', analyst: 'analüütik', council_member: 'volikogu liige' },
    code: 'Isikukood',
    method: 'Autentimisviis',
    level: 'Tagatistase',
    submit: 'Logi sisse',
    cancel: 'Katkesta',
    bad: 'Isikukood ei ole korrektne.',
  },
  en: {
    title: 'Demo authentication (instead of TARA)',
    intro: 'This is the development login. Choose a synthetic person to log in as.',
    person: 'Person',
    or: 'or enter a personal ID code',
    filter: 'Residence',
    allMunicipalities: 'All municipalities (a few residents of each)',
    show: 'Show',
    man: 'man',
    woman: 'woman',
    age: 'aged {n}',
    noResidence: 'residence unknown',
    roles: { admin: 'administrator', editor: 'editor', analyst: 'analyst', council_member: 'council member' },
    code: 'Personal ID code',
    method: 'Authentication method',
    level: 'Level of assurance',
    submit: 'Log in',
    cancel: 'Cancel',
    bad: 'The personal ID code is not valid.',
  },
  ru: {
    title: 'Демо-аутентификация (вместо TARA)',
    intro: 'Это вход для среды разработки. Выберите синтетическое лицо для входа.',
    person: 'Лицо',
    or: 'или введите личный код',
    filter: 'Место жительства',
    allMunicipalities: 'Все самоуправления (по нескольку жителей)',
    show: 'Показать',
    man: 'мужчина',
    woman: 'женщина',
    age: '{n} лет',
    noResidence: 'место жительства неизвестно',
    roles: { admin: 'администратор', editor: 'редактор', analyst: 'аналитик', council_member: 'член собрания' },
    code: 'Личный код',
    method: 'Способ аутентификации',
    level: 'Уровень доверия',
    submit: 'Войти',
    cancel: 'Отмена',
    bad: 'Личный код неверен.',
  },
} as const;
type Lang = keyof typeof TEXT;

const esc = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

interface DemoAccount {
  id_code: string;
  given_name: string | null;
  family_name: string | null;
  birth_date: string;
  municipality_code: string | null;
  municipality: string | null;
  settlement: string | null;
  /** `role:municipality name` pairs, comma-separated (officials and council members). */
  roles: string | null;
}

/**
 * The demo population shown on the page (kov_demo_accounts: synthetic persons only, and the
 * application role reads no ID code itself): everybody with a role, then residents with their
 * residence — a few from each municipality in a mixed order, or up to 60 of the one filtered to.
 */
async function demoAccounts(db: Db, municipality: string | null): Promise<DemoAccount[]> {
  const { rows } = await db.transaction().execute(async (trx) => {
    await sql`select set_config('kov.tenant', '*', true)`.execute(trx);
    return sql<DemoAccount>`SELECT id_code, given_name, family_name, birth_date, municipality_code,
                                   municipality, settlement, roles
                              FROM kov_demo_accounts(${municipality}::text)`.execute(trx);
  });
  return rows;
}

/** Municipalities with residents in the demo population (the filter's choices). */
async function demoMunicipalities(db: Db): Promise<{ code: string; name: string }[]> {
  const { rows } = await db.transaction().execute(async (trx) => {
    await sql`select set_config('kov.tenant', '*', true)`.execute(trx);
    return sql<{ code: string; name: string }>`
      SELECT DISTINCT r.residence_municipality_code AS code, p.name
        FROM register_residence r JOIN place p ON p.code = r.residence_municipality_code
       ORDER BY p.name`.execute(trx);
  });
  return rows;
}

/** Age in whole years on the given day (dates as YYYY-MM-DD). */
function ageOn(birth: string, today: string): number {
  const [by, bm, bd] = birth.split('-').map(Number) as [number, number, number];
  const [ty, tm, td] = today.split('-').map(Number) as [number, number, number];
  return ty - by - (tm < bm || (tm === bm && td < bd) ? 1 : 0);
}

/** One line of the picker: name — woman/man, age, residence; roles in words. */
function accountLabel(lang: Lang, a: DemoAccount, today: string): string {
  const t = TEXT[lang];
  const name = `${a.given_name ?? ''} ${a.family_name ?? ''}`.trim();
  // The ID code's first digit: odd for men, even for women.
  const sex = Number(a.id_code[0]) % 2 === 1 ? t.man : t.woman;
  const where = a.municipality
    ? `${a.municipality}${a.settlement && a.settlement !== a.municipality ? ` (${a.settlement})` : ''}`
    : t.noResidence;
  const roles = a.roles
    ? a.roles
        .split(',')
        .map((r) => {
          const [role, tenant] = r.split(':') as [keyof typeof t.roles, string];
          return `${t.roles[role] ?? role} (${tenant})`;
        })
        .join(', ')
    : '';
  return `${name} — ${sex}, ${t.age.replace('{n}', String(ageOn(a.birth_date, today)))}, ${where}${roles ? ` — ${roles}` : ''}`;
}

export interface DemoIdpOptions {
  issuer: string;
  clientId: string;
  clientSecret: string;
  redirectUri: string;
}

/** Handle on the running demo provider: rotates its signing key (tests of key rotation, demos). */
export interface DemoIdp {
  /** A new signing key becomes current; the previous one stays published for tokens in flight. Returns the new `kid`. */
  rotateKey(): string;
  /** The `kid`s published in the JWKS, current first. */
  keyIds(): string[];
}

function signingKey() {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return {
    ...privateKey.export({ format: 'jwk' }),
    kid: `demo-tara-${randomBytes(6).toString('hex')}`,
    use: 'sig',
    alg: 'RS256',
  };
}

export async function registerDemoIdp(app: FastifyInstance, db: Db, opts: DemoIdpOptions): Promise<DemoIdp> {
  // Current key first (oidc-provider signs with the first RS256 key), then the previous one.
  let keys = [signingKey()];
  const cookieKeys = [randomBytes(32).toString('hex')];
  // Codes, sessions and interactions in one in-memory store for every provider built here, so a
  // provider built with the new key set continues the logins that were in flight.
  const adapter = createMemoryAdapter();
  const makeProvider = () => {
    const p = new Provider(opts.issuer, providerConfiguration(db, opts, keys, cookieKeys, adapter));
    p.proxy = true;
    return { provider: p, callback: p.callback() };
  };
  let current = makeProvider();
  const idp: DemoIdp = {
    rotateKey() {
      keys = [signingKey(), keys[0]!];
      current = makeProvider();
      return keys[0]!.kid;
    },
    keyIds: () => keys.map((k) => k.kid),
  };

  await app.register(async (scope) => {
    // Leave request bodies unread: the provider reads them from the raw request itself.
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', (_req, _payload, done) => done(null));
    const handler = async (request: any, reply: any) => {
      reply.hijack();
      const raw = request.raw;
      raw.originalUrl = raw.url;
      raw.url = raw.url.slice(DEMO_IDP_PREFIX.length) || '/';
      current.callback(raw, reply.raw);
    };
    scope.all(`${DEMO_IDP_PREFIX}/*`, { schema: { hide: true } }, handler);
  });

  await app.register(async (scope) => {
    await scope.register(formbody);
    const langOf = (details: any): Lang => {
      const wanted = String(details?.params?.ui_locales ?? 'et').split(' ')[0];
      return wanted === 'en' || wanted === 'ru' ? wanted : 'et';
    };

    scope.get(`${DEMO_IDP_PREFIX}/interaction/:uid`, { schema: { hide: true } }, async (request, reply) => {
      const details = await current.provider.interactionDetails(request.raw, reply.raw).catch(() => null);
      if (!details)
        return reply
          .code(400)
          .type('text/plain')
          .send('This login attempt has expired. Start again from the platform.');
      const lang = langOf(details);
      const m = String((request.query as Record<string, unknown>)?.m ?? '');
      const municipality = /^[0-9]{4}$/.test(m) ? m : null;
      return reply
        .type('text/html; charset=utf-8')
        .send(
          page(
            lang,
            String((request.params as any).uid),
            await demoAccounts(db, municipality),
            null,
            await demoMunicipalities(db),
            municipality,
          ),
        );
    });

    scope.post(`${DEMO_IDP_PREFIX}/interaction/:uid`, { schema: { hide: true } }, async (request, reply) => {
      const details = await current.provider.interactionDetails(request.raw, reply.raw).catch(() => null);
      if (!details)
        return reply
          .code(400)
          .type('text/plain')
          .send('This login attempt has expired. Start again from the platform.');
      const body = (request.body ?? {}) as Record<string, string>;
      const lang = langOf(details);
      if (body.cancel !== undefined) {
        reply.hijack();
        await current.provider.interactionFinished(
          request.raw,
          reply.raw,
          { error: 'access_denied', error_description: 'user cancelled' },
          { mergeWithLastSubmission: false },
        );
        return;
      }
      const code = (body.code || body.person || '').trim();
      const parsed = parseIdCode(code);
      const method = METHODS.find((m) => m.amr === body.amr)?.amr ?? 'mID';
      const acr = ['low', 'substantial', 'high'].includes(body.acr ?? '') ? body.acr! : 'high';
      if (!parsed.ok) {
        return reply
          .code(400)
          .type('text/html; charset=utf-8')
          .send(
            page(
              lang,
              String((request.params as any).uid),
              await demoAccounts(db, null),
              TEXT[lang].bad,
              await demoMunicipalities(db),
              null,
            ),
          );
      }
      reply.hijack();
      await current.provider.interactionFinished(
        request.raw,
        reply.raw,
        { login: { accountId: `EE${parsed.value.code}`, amr: [method], acr } },
        { mergeWithLastSubmission: false },
      );
    });

    // Key rotation on demand (the demo provider only; production TARA rotates on its own schedule).
    scope.post(`${DEMO_IDP_PREFIX}/rotate-key`, { schema: { hide: true } }, async () => ({
      kid: idp.rotateKey(),
      published: idp.keyIds(),
    }));

    scope.get(`${DEMO_IDP_PREFIX}/idp.css`, { schema: { hide: true } }, async (_request, reply) =>
      reply.type('text/css').header('cache-control', 'public, max-age=3600').send(CSS),
    );
  });
  return idp;
}

function providerConfiguration(
  db: Db,
  opts: DemoIdpOptions,
  keys: object[],
  cookieKeys: string[],
  adapter: ReturnType<typeof createMemoryAdapter>,
) {
  return {
    clients: [
      {
        client_id: opts.clientId,
        client_secret: opts.clientSecret,
        redirect_uris: [opts.redirectUri],
        grant_types: ['authorization_code'],
        response_types: ['code'],
        token_endpoint_auth_method: 'client_secret_basic',
      },
    ],
    jwks: { keys: keys as any[] },
    adapter,
    routes: { authorization: '/oidc/authorize', token: '/oidc/token', jwks: '/oidc/jwks', userinfo: '/oidc/profile' },
    scopes: ['openid', 'idcard', 'mid', 'smartid', 'eidas', 'email', 'phone'],
    claims: { openid: ['sub', 'profile_attributes', 'acr', 'amr'] },
    conformIdTokenClaims: false,
    acrValues: ['low', 'substantial', 'high'],
    pkce: { required: () => true },
    ttl: { AuthorizationCode: 30, IdToken: 3600, AccessToken: 600, Interaction: 600, Session: 600, Grant: 600 },
    cookies: { keys: cookieKeys },
    features: { devInteractions: { enabled: false }, userinfo: { enabled: true } },
    interactions: {
      url: (_ctx: unknown, interaction: { uid: string }) => `${DEMO_IDP_PREFIX}/interaction/${interaction.uid}`,
    },
    // A first-party demo client: consent is implied, as it is with TARA.
    // The grant covers whatever scopes the client asks for (the method scopes `mid idcard smartid` too).
    loadExistingGrant: async (ctx: any) => {
      const grantId = ctx.oidc.result?.consent?.grantId || ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
      const grant =
        (grantId && (await ctx.oidc.provider.Grant.find(grantId))) ||
        new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client.clientId, accountId: ctx.oidc.session.accountId });
      grant.addOIDCScope([...ctx.oidc.requestParamScopes].join(' '));
      grant.addOIDCClaims(['sub', 'profile_attributes', 'acr', 'amr']);
      await grant.save();
      return grant;
    },
    findAccount: async (_ctx: unknown, sub: string) => {
      const parsed = parseIdCode(sub.replace(/^EE/, ''));
      if (!parsed.ok) return undefined;
      const id = await findPersonByCode(db, parsed.value.code);
      const person = id
        ? // The person themself (row-level security on person shows a row to its own actor).
          await inScope(db, { actor: id }, (trx) =>
            trx.selectFrom('person').select(['given_name', 'family_name']).where('id', '=', id).executeTakeFirst(),
          )
        : undefined;
      return {
        accountId: sub,
        claims: async () => ({
          sub,
          profile_attributes: {
            given_name: person?.given_name ?? 'DEMO',
            family_name: person?.family_name ?? 'KASUTAJA',
            date_of_birth: parsed.value.birthDate,
          },
        }),
      };
    },
  } as any;
}

function page(
  lang: Lang,
  uid: string,
  accounts: DemoAccount[],
  error: string | null,
  municipalities: { code: string; name: string }[],
  selected: string | null,
): string {
  const t = TEXT[lang];
  const today = new Date().toISOString().slice(0, 10);
  const options = accounts
    .map((a) => `<option value="${esc(a.id_code)}">${esc(accountLabel(lang, a, today))} (${esc(a.id_code)})</option>`)
    .join('');
  const places = [`<option value="">${esc(t.allMunicipalities)}</option>`]
    .concat(
      municipalities.map(
        (m) => `<option value="${esc(m.code)}"${m.code === selected ? ' selected' : ''}>${esc(m.name)}</option>`,
      ),
    )
    .join('');
  const methods = METHODS.map(
    (m, i) =>
      `<label class="radio"><input type="radio" name="amr" value="${m.amr}"${i === 0 ? ' checked' : ''}> ${esc(m[lang])}</label>`,
  ).join('');
  return `<!doctype html><html lang="${lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(t.title)}</title><link rel="stylesheet" href="${DEMO_IDP_PREFIX}/idp.css"></head>
<body><main><h1>${esc(t.title)}</h1><p>${esc(t.intro)}</p>
${error ? `<p role="alert" class="error">${esc(error)}</p>` : ''}
<form method="get" action="${DEMO_IDP_PREFIX}/interaction/${esc(uid)}" class="filter">
<label for="m">${esc(t.filter)}</label><div class="row"><select id="m" name="m">${places}</select><button type="submit" class="secondary">${esc(t.show)}</button></div>
</form>
<form method="post" action="${DEMO_IDP_PREFIX}/interaction/${esc(uid)}">
<label for="person">${esc(t.person)}</label><select id="person" name="person">${options}</select>
<label for="code">${esc(t.code)} (${esc(t.or)})</label><input id="code" name="code" inputmode="numeric" autocomplete="off" pattern="[0-9]{11}">
<fieldset><legend>${esc(t.method)}</legend>${methods}</fieldset>
<label for="acr">${esc(t.level)}</label><select id="acr" name="acr"><option value="high">high</option><option value="substantial">substantial</option><option value="low">low</option></select>
<div class="actions"><button type="submit" name="login" value="1">${esc(t.submit)}</button> <button type="submit" name="cancel" value="1" class="secondary">${esc(t.cancel)}</button></div>
</form></main></body></html>`;
}

const CSS = `body{font-family:system-ui,sans-serif;background:#f2f5f8;color:#1b2733;margin:0}main{max-width:36rem;margin:2rem auto;background:#fff;padding:1.5rem;border-radius:8px;border-top:6px solid #0a5c8a}
h1{font-size:1.4rem;margin-top:0}label{display:block;font-weight:600;margin:1rem 0 .3rem}select,input{width:100%;font:inherit;padding:.55rem;border:1px solid #5b6b7a;border-radius:4px;box-sizing:border-box}
fieldset{border:1px solid #c5ced6;border-radius:4px;margin-top:1rem}legend{font-weight:600}.radio{display:inline-block;font-weight:400;margin-right:1rem}.radio input{width:auto}
.actions{margin-top:1.5rem}button{font:inherit;padding:.6rem 1.2rem;border-radius:4px;border:2px solid #0a5c8a;background:#0a5c8a;color:#fff;cursor:pointer}
button.secondary{background:#fff;color:#0a5c8a}.row{display:flex;gap:.5rem}.row select{flex:1}:focus-visible{outline:3px solid #f0a000;outline-offset:2px}.error{color:#a4000f;font-weight:600}`;
