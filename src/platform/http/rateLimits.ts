/**
 * The route families and their rate limits: the one table to read and change. Each family names
 * its routes (method and Fastify path, prefix included) and how many requests one address, one
 * person (a browser session) and one client system (an API key) may make in a window. Every
 * route not listed is in `default`. A request counts against its client address and, when known,
 * against its person or client system; the first limit reached answers 429.
 *
 * Override any family's limits with `KOV_RATE_LIMIT_OVERRIDES` (see src/config.ts), switch
 * limiting off with `KOV_RATE_LIMITS=off`.
 */
export interface Limit {
  /** Requests allowed in one window. */
  max: number;
  /** Window length in seconds; a window starts with its subject's first request. */
  windowSeconds: number;
}

export interface RouteFamily {
  routes: string[];
  address?: Limit;
  person?: Limit;
  client?: Limit;
  description: string;
}

const per = (max: number, windowSeconds: number): Limit => ({ max, windowSeconds });
const MINUTE = 60;
const HOUR = 3600;

export const ROUTE_FAMILIES = {
  login: {
    description: 'starting and finishing a login through TARA',
    routes: ['GET /auth/login', 'GET /auth/callback'],
    address: per(60, MINUTE),
  },
  'report-intake': {
    description: 'new reports (Anna Teada, Open311) and supporting a report',
    routes: [
      'POST /api/v1/reports',
      'POST /api/v1/reports/form',
      'POST /api/v1/reports/:id/support',
      'POST /open311/v2/requests.:format',
      'POST /open311/v2/:municipality/requests.:format',
    ],
    address: per(20, 10 * MINUTE),
    person: per(10, 10 * MINUTE),
    client: per(600, MINUTE),
  },
  casts: {
    description: 'ballots: participation votes, verifiable votes, council votes',
    routes: [
      'POST /api/v1/municipalities/:code/votes/:id/ballots',
      'POST /api/v1/municipalities/:code/verifiable-votes/:id/ballots',
      'POST /api/v1/municipalities/:code/council/votes/:voteId/ballot',
    ],
    address: per(600, MINUTE),
    person: per(30, MINUTE),
  },
  submissions: {
    description: 'ideas and candidates of participation votes',
    routes: [
      'POST /api/v1/municipalities/:code/votes/:id/ideas',
      'POST /api/v1/municipalities/:code/votes/:id/candidates',
    ],
    address: per(60, HOUR),
    person: per(20, HOUR),
  },
  uploads: {
    description: 'file uploads (photos, attachments, documents, data files, imports)',
    routes: [
      'POST /api/v1/municipalities/:code/votes/:id/ideas/:ideaId/photos',
      'POST /api/v1/hub/articles/:slug/attachments',
      'POST /api/v1/municipalities/:code/opendata/datasets/:id/files',
      'POST /api/v1/municipalities/:code/council/sittings/:sittingId/items/:itemId/documents',
      'POST /api/v1/municipalities/:code/register/imports',
      'POST /api/v1/municipalities/:code/pabulib-imports',
    ],
    address: per(120, 10 * MINUTE),
    person: per(60, 10 * MINUTE),
    client: per(600, 10 * MINUTE),
  },
  comments: {
    description: 'comments and report satisfaction answers',
    routes: ['POST /api/v1/hub/articles/:slug/comments', 'POST /api/v1/reports/:id/survey'],
    address: per(60, 10 * MINUTE),
    person: per(20, 10 * MINUTE),
  },
  'survey-answers': {
    description: 'service satisfaction answers (embedded survey, link, QR)',
    routes: ['POST /api/v1/public/municipalities/:code/survey-answers'],
    address: per(60, 10 * MINUTE),
    person: per(30, 10 * MINUTE),
    client: per(6000, 10 * MINUTE),
  },
  health: {
    description: 'liveness and readiness probes of load balancers',
    routes: ['GET /healthz', 'GET /readyz'],
  },
  default: {
    description: 'every other route',
    routes: [],
    address: per(3000, MINUTE),
    person: per(1200, MINUTE),
    client: per(1200, MINUTE),
  },
} satisfies Record<string, RouteFamily>;

export type FamilyName = keyof typeof ROUTE_FAMILIES;
export const FAMILY_NAMES = Object.keys(ROUTE_FAMILIES) as FamilyName[];

/** Families with their limits after the configured overrides. */
export type RateLimitTable = Record<FamilyName, RouteFamily>;

export function familyTable(
  overrides: Partial<Record<FamilyName, Partial<Record<'address' | 'person' | 'client', Limit>>>> = {},
): RateLimitTable {
  const out = {} as RateLimitTable;
  for (const name of FAMILY_NAMES) out[name] = { ...ROUTE_FAMILIES[name], ...overrides[name] };
  return out;
}
