import * as oidc from 'openid-client';
import { createRemoteJWKSet, errors as joseErrors, jwtVerify } from 'jose';
import type { Db } from '../db/database';
import { parseIdCode } from '../identity/personalIdCode';
import { DependencyUnavailable, dependencyFailure } from '../http/outages';
import { timeOutbound } from '../metrics/metrics';
import { sql } from 'kysely';

/**
 * Login through TARA, the state authentication service (OpenID Connect authorization-code flow
 * with PKCE, state and nonce). The same code talks to the real TARA and to the built-in demo
 * identity provider; only the issuer URL and client credentials differ.
 *
 * A strict relying party: openid-client checks `state`, `iss`, `aud`, `exp`, `iat` and `nonce`
 * and that the ID token is RS256; its JWS signature is then verified here (openid-client does
 * not, for tokens from the token endpoint) against the issuer's JWKS: the key named by `kid`,
 * RS256 only, the key set cached for ten minutes and fetched again at once when a token names a
 * key it does not hold (TARA rotating its key: no failed logins). `acr_values` asks TARA for the
 * configured minimum level, the method scopes show only the methods that are accepted, and the
 * token's `amr` and `acr` are checked again on return.
 */
export interface TaraSettings {
  issuer: string;
  clientId: string;
  clientSecret: string;
  redirectUri: string;
  scopes: string[];
  allowedAmr: string[];
  minAcr: 'low' | 'substantial' | 'high';
}

export type LoginFailure =
  | 'state'
  | 'nonce'
  | 'audience'
  | 'issuer'
  | 'expired'
  | 'signature'
  | 'acr'
  | 'amr'
  | 'subject'
  | 'idp-error'
  | 'token';

export class LoginError extends Error {
  constructor(
    public readonly reason: LoginFailure,
    message: string,
  ) {
    super(message);
    this.name = 'LoginError';
  }
}

export interface LoginIdentity {
  idCode: string;
  givenName: string | null;
  familyName: string | null;
  birthDate: string;
  amr: string;
  acr: string;
  returnTo: string;
}

const ACR_RANK = { low: 1, substantial: 2, high: 3 } as const;
const AUTH_REQUEST_TTL_MS = 10 * 60_000;
/** The ID token's only accepted signature algorithm (TARA signs with RS256). */
const ID_TOKEN_ALG = 'RS256';
/** TARA scopes that restrict the login methods shown, by the `amr` each method answers with. */
export const METHOD_SCOPES: Record<string, string> = { idcard: 'idcard', mID: 'mid', smartid: 'smartid' };

export interface TaraClient {
  begin(returnTo: string, locale?: string): Promise<{ url: string; state: string }>;
  complete(callbackUrl: URL, cookieState: string | undefined): Promise<LoginIdentity>;
}

/** Only same-site relative paths may be returned to after login (no open redirect). */
export function safeReturnTo(value: unknown): string {
  if (typeof value !== 'string' || !value.startsWith('/') || value.startsWith('//') || value.includes('\\')) return '/';
  return value.slice(0, 500);
}

export function createTaraClient(db: Db, settings: TaraSettings): TaraClient {
  let discovered: Promise<oidc.Configuration> | undefined;
  const insecure = settings.issuer.startsWith('http:');
  const configuration = () => {
    if (!discovered) {
      discovered = timeOutbound('tara', 'discovery', () =>
        oidc.discovery(
          new URL(settings.issuer),
          settings.clientId,
          { id_token_signed_response_alg: ID_TOKEN_ALG },
          oidc.ClientSecretBasic(settings.clientSecret),
          insecure ? { execute: [oidc.allowInsecureRequests], timeout: 10 } : { timeout: 10 },
        ),
      ).catch((err) => {
        discovered = undefined; // try again on the next login
        throw new DependencyUnavailable('tara', `TARA discovery failed: ${(err as Error).message}`, 10, {
          cause: err,
        });
      });
    }
    return discovered;
  };
  // The issuer's signing keys: cached (10 min), fetched again once when a token names an unknown key.
  let keys: ReturnType<typeof createRemoteJWKSet> | undefined;
  const signingKeys = (config: oidc.Configuration) => {
    if (!keys) {
      const uri = config.serverMetadata().jwks_uri;
      if (!uri) throw new LoginError('signature', 'the issuer publishes no jwks_uri');
      keys = createRemoteJWKSet(new URL(uri), {
        cacheMaxAge: 10 * 60_000,
        cooldownDuration: 0,
        timeoutDuration: 10_000,
      });
    }
    return keys;
  };
  const methodScopes = settings.allowedAmr.map((a) => METHOD_SCOPES[a]).filter((x): x is string => Boolean(x));
  const scope = [...new Set(['openid', ...methodScopes, ...settings.scopes])].join(' ');

  return {
    async begin(returnTo, locale) {
      const config = await configuration();
      const state = oidc.randomState();
      const nonce = oidc.randomNonce();
      const verifier = oidc.randomPKCECodeVerifier();
      // The application role reaches `auth_request` only through these functions (migration 0005).
      await sql`SELECT kov_auth_request_put(${state}, ${nonce}, ${verifier}, ${safeReturnTo(returnTo)}, ${new Date(
        Date.now() + AUTH_REQUEST_TTL_MS,
      )})`.execute(db);
      const url = oidc.buildAuthorizationUrl(config, {
        redirect_uri: settings.redirectUri,
        scope,
        state,
        nonce,
        code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
        code_challenge_method: 'S256',
        // Ask for the level we accept, so TARA offers only methods that reach it.
        acr_values: settings.minAcr,
        ui_locales: locale ?? 'et',
      });
      return { url: url.href, state };
    },

    async complete(callbackUrl, cookieState) {
      const state = callbackUrl.searchParams.get('state') ?? '';
      if (!state || !cookieState || state !== cookieState)
        throw new LoginError('state', 'state does not match the login started in this browser');
      // Single use: the row is gone after this, so a replayed callback finds nothing.
      const request = (
        await sql<{ nonce: string; code_verifier: string; return_to: string; expires_at: Date }>`
          SELECT * FROM kov_auth_request_take(${state})`.execute(db)
      ).rows[0];
      if (!request || request.expires_at.getTime() < Date.now())
        throw new LoginError('state', 'unknown, used or expired login attempt');
      const idpError = callbackUrl.searchParams.get('error');
      if (idpError) throw new LoginError('idp-error', `identity provider answered ${idpError}`);

      const config = await configuration();
      let tokens: Awaited<ReturnType<typeof oidc.authorizationCodeGrant>>;
      try {
        tokens = await timeOutbound('tara', 'token', () =>
          oidc.authorizationCodeGrant(config, callbackUrl, {
            pkceCodeVerifier: request.code_verifier,
            expectedState: state,
            expectedNonce: request.nonce,
            idTokenExpected: true,
          }),
        );
      } catch (err) {
        throw classify(err);
      }
      const claims = tokens.claims();
      if (!claims || !tokens.id_token) throw new LoginError('token', 'no ID token');
      await verifySignature(tokens.id_token, signingKeys(config), config.serverMetadata().issuer, settings.clientId);
      const amrList = Array.isArray(claims.amr)
        ? (claims.amr as string[])
        : typeof claims.amr === 'string'
          ? [claims.amr]
          : [];
      const amr = amrList.find((a) => settings.allowedAmr.includes(a));
      if (!amr) throw new LoginError('amr', `authentication method ${amrList.join(',') || '(none)'} is not allowed`);
      const acr = typeof claims.acr === 'string' ? claims.acr : '';
      const rank = ACR_RANK[acr as keyof typeof ACR_RANK] ?? 0;
      if (rank < ACR_RANK[settings.minAcr])
        throw new LoginError('acr', `level of assurance ${acr || '(none)'} is below ${settings.minAcr}`);
      const sub = String(claims.sub);
      // TARA's subject is the country prefix and the national code; only Estonian codes map to a person here.
      const parsed = sub.startsWith('EE') ? parseIdCode(sub.slice(2)) : null;
      if (!parsed || !parsed.ok) throw new LoginError('subject', 'the subject is not an Estonian personal ID code');
      const profile = (claims.profile_attributes ?? {}) as {
        given_name?: string;
        family_name?: string;
        date_of_birth?: string;
      };
      return {
        idCode: parsed.value.code,
        givenName: profile.given_name ?? null,
        familyName: profile.family_name ?? null,
        birthDate: parsed.value.birthDate,
        amr,
        acr,
        returnTo: request.return_to,
      };
    },
  };
}

/** The ID token's JWS signature by the issuer's key named in `kid`; RS256 only. */
async function verifySignature(
  idToken: string,
  keys: ReturnType<typeof createRemoteJWKSet>,
  issuer: string,
  audience: string,
) {
  try {
    await jwtVerify(idToken, keys, { algorithms: [ID_TOKEN_ALG], issuer, audience });
  } catch (err) {
    if (err instanceof joseErrors.JWKSTimeout || dependencyFailure(err))
      throw new DependencyUnavailable('tara', 'TARA signing keys could not be fetched', 10, { cause: err });
    const e = err as Error & { code?: string };
    throw new LoginError('signature', `ID token signature not accepted: ${e.code ?? e.name}: ${e.message}`);
  }
}

function classify(err: unknown): LoginError | DependencyUnavailable {
  // TARA not answering (network, timeout, 5xx): a dependency outage, not a refused login.
  const x = err as { status?: unknown; cause?: { status?: unknown } };
  const status = typeof x.status === 'number' ? x.status : x.cause?.status;
  if (dependencyFailure(err) || (typeof status === 'number' && status >= 500))
    return new DependencyUnavailable('tara', 'TARA did not answer the token request', 10, { cause: err });
  // openid-client wraps the oauth4webapi error, whose own `cause` names the failing claim.
  const e = err as {
    code?: string;
    message?: string;
    cause?: { message?: string; claim?: string; cause?: { claim?: string } };
  };
  const message = e.cause?.message ?? e.message ?? String(err);
  if (e.code === 'OAUTH_JWT_CLAIM_COMPARISON_FAILED') {
    const claim = e.cause?.cause?.claim ?? e.cause?.claim;
    if (claim === 'nonce') return new LoginError('nonce', message);
    if (claim === 'aud' || claim === 'azp') return new LoginError('audience', message);
    if (claim === 'iss') return new LoginError('issuer', message);
  }
  if (e.code === 'OAUTH_JWT_TIMESTAMP_CHECK_FAILED') return new LoginError('expired', message);
  if (/"alg"|JWS algorithm|signature/i.test(message)) return new LoginError('signature', message);
  if (e.code === 'OAUTH_JSON_ATTRIBUTE_COMPARISON_FAILED' && /state/.test(message))
    return new LoginError('state', message);
  if (/nonce/i.test(message)) return new LoginError('nonce', message);
  return new LoginError('token', message);
}
