import { defineProblem, defineReason, fieldError, invalid, type FieldError } from '../../platform/http/problems';
import { lifeEventByCode, type Lang } from './reference';
import type { ServiceData } from './schemas';

/**
 * Domain rules of a service description that a JSON schema cannot say (or that must hold however
 * the data arrives: API, seed, CLI): lengths in characters, known life events and their steps,
 * well-formed legal references, one channel per type, channel addresses that fit their type.
 */
export const P_SERVICES = {
  unknownLifeEvent: defineProblem(
    'unknown-life-event',
    404,
    'Unknown life event',
    'No life or business event has this code. GET /api/v1/services/reference lists them.',
  ),
  staleVersion: defineProblem(
    'stale-service-version',
    409,
    'The service was changed meanwhile',
    'Someone saved a newer version since you opened it. Reload, re-apply your change and save again.',
  ),
  alreadyAdopted: defineProblem(
    'template-already-adopted',
    409,
    'Template already adopted',
    'This municipality already has a service adopted from this template; edit that service instead.',
  ),
  tokenUsed: defineProblem(
    'survey-token-used',
    409,
    'This survey was already answered',
    'A delivery token answers once. The answer given earlier stands.',
  ),
  tokenExpired: defineProblem(
    'survey-token-expired',
    410,
    'This survey link has expired',
    'The delivery token is past its validity; nothing was recorded.',
  ),
  tokenUnknown: defineProblem(
    'survey-token-unknown',
    404,
    'Unknown survey token',
    'No survey delivery has this token for this municipality and service.',
  ),
  rateLimited: defineProblem(
    'survey-rate-limited',
    429,
    'Too many survey answers',
    'Too many answers came from this address in a short time. Try again later.',
  ),
};

/** Section of an Estonian act ("§ 6", "§ 13¹ lg 2 p 5") or an article of an EU act ("Article 5(1)"). */
const SUP = '[0-9¹²³⁴⁵⁶⁷⁸⁹⁰]*';
export const SECTION_PATTERN = new RegExp(
  `^(§ ?[0-9]+${SUP}( ?lg ?[0-9]+${SUP})?( ?p ?[0-9]+${SUP})?|(Article|Art\\.|artikkel) ?[0-9]+(\\([0-9]+\\))?( ?\\([a-z]\\))?)$`,
);
const LEGAL_HOSTS = new Set(['www.riigiteataja.ee', 'riigiteataja.ee', 'eur-lex.europa.eu']);
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export const chars = (s: string) => [...s].length;

function httpsUrl(s: string): URL | undefined {
  try {
    const u = new URL(s);
    return u.protocol === 'https:' || u.protocol === 'http:' ? u : undefined;
  } catch {
    return undefined;
  }
}

/** Why a service description is refused (worded in the page's language from the code). */
export const R_SERVICES = {
  nameTooLong: defineReason<{ length: number; max: number }>(
    'service-name-too-long',
    (p) => `is ${p.length} characters; a service name may have at most ${p.max} (state catalogue rule)`,
  ),
  nameEmpty: defineReason('service-name-empty', 'must not be empty'),
  descriptionTooLong: defineReason<{ length: number; max: number }>(
    'service-description-too-long',
    (p) => `is ${p.length} characters; a description may have at most ${p.max}`,
  ),
  unknownLifeEvent: defineReason<{ value: string }>(
    'service-unknown-life-event',
    (p) => `unknown life event "${p.value}" (see GET /api/v1/services/reference)`,
  ),
  lifeEventStep: defineReason<{ value: string; steps: number }>(
    'service-life-event-step',
    (p) => `"${p.value}" has ${p.steps} steps`,
  ),
  listedTwice: defineReason<{ value: string | number }>('listed-twice', (p) => `"${p.value}" is listed twice`),
  legalSection: defineReason<{ value: string }>(
    'service-legal-section',
    (p) => `"${p.value}" is not a section reference like "§ 6", "§ 13¹ lg 2 p 5" or "Article 5(1)"`,
  ),
  legalUrl: defineReason(
    'service-legal-url',
    'must be an https link to the act in Riigi Teataja (www.riigiteataja.ee) or EUR-Lex (eur-lex.europa.eu)',
  ),
  channelTwice: defineReason<{ value: string }>(
    'service-channel-twice',
    (p) => `a service has one channel of each type; "${p.value}" is listed twice`,
  ),
  channelUrl: defineReason('service-channel-url', 'must be a web address (https://…) for this channel type'),
  channelEmail: defineReason('service-channel-email', 'must be an e-mail address'),
  webAddress: defineReason('web-address', 'must be a web address'),
  satisfactionScore: defineReason(
    'satisfaction-score',
    'must be a whole number from 1 (very dissatisfied) to 5 (very satisfied)',
  ),
  satisfactionEffort: defineReason('satisfaction-effort', 'must be a whole number from 1 (very hard) to 5 (very easy)'),
  periodToBeforeFrom: defineReason('period-to-before-from', 'must not be before from'),
};

export function checkServiceData(data: ServiceData, base = '/body/data'): void {
  const errors: FieldError[] = [];
  for (const lang of ['et', 'ru', 'en'] as Lang[]) {
    const name = data.name[lang];
    if (name !== undefined && chars(name) > 80)
      errors.push(fieldError(`${base}/name/${lang}`, R_SERVICES.nameTooLong, { length: chars(name), max: 80 }));
    if (name !== undefined && lang === 'et' && name.trim() === '')
      errors.push(fieldError(`${base}/name/et`, R_SERVICES.nameEmpty));
    const desc = data.description[lang];
    if (desc !== undefined && chars(desc) > 245)
      errors.push(
        fieldError(`${base}/description/${lang}`, R_SERVICES.descriptionTooLong, { length: chars(desc), max: 245 }),
      );
  }
  const seenEvents = new Set<string>();
  data.lifeEvents.forEach((e, i) => {
    const ev = lifeEventByCode.get(e.code);
    if (!ev) errors.push(fieldError(`${base}/lifeEvents/${i}/code`, R_SERVICES.unknownLifeEvent, { value: e.code }));
    else if (e.step !== undefined && e.step > ev.steps.length)
      errors.push(
        fieldError(`${base}/lifeEvents/${i}/step`, R_SERVICES.lifeEventStep, { value: e.code, steps: ev.steps.length }),
      );
    if (seenEvents.has(e.code))
      errors.push(fieldError(`${base}/lifeEvents/${i}/code`, R_SERVICES.listedTwice, { value: e.code }));
    seenEvents.add(e.code);
  });
  data.legalBasis.forEach((l, i) => {
    if (!SECTION_PATTERN.test(l.section.trim()))
      errors.push(fieldError(`${base}/legalBasis/${i}/section`, R_SERVICES.legalSection, { value: l.section }));
    const u = httpsUrl(l.url);
    if (!u || u.protocol !== 'https:' || !LEGAL_HOSTS.has(u.hostname))
      errors.push(fieldError(`${base}/legalBasis/${i}/url`, R_SERVICES.legalUrl));
  });
  const seenChannels = new Set<string>();
  data.channels.forEach((c, i) => {
    if (seenChannels.has(c.type))
      errors.push(fieldError(`${base}/channels/${i}/type`, R_SERVICES.channelTwice, { value: c.type }));
    seenChannels.add(c.type);
    if ((c.type === 'e-service' || c.type === 'homepage' || c.type === 'mobile-app') && !httpsUrl(c.address))
      errors.push(fieldError(`${base}/channels/${i}/address`, R_SERVICES.channelUrl));
    if (c.type === 'email' && !EMAIL.test(c.address))
      errors.push(fieldError(`${base}/channels/${i}/address`, R_SERVICES.channelEmail));
    const years = new Set<number>();
    (c.metrics ?? []).forEach((m, j) => {
      if (years.has(m.year))
        errors.push(fieldError(`${base}/channels/${i}/metrics/${j}/year`, R_SERVICES.listedTwice, { value: m.year }));
      years.add(m.year);
    });
  });
  const seenState = new Set<string>();
  data.stateServices.forEach((s, i) => {
    if (!httpsUrl(s.url)) errors.push(fieldError(`${base}/stateServices/${i}/url`, R_SERVICES.webAddress));
    if (seenState.has(s.id))
      errors.push(fieldError(`${base}/stateServices/${i}/id`, R_SERVICES.listedTwice, { value: s.id }));
    seenState.add(s.id);
  });
  if (errors.length) throw invalid(errors);
}

/** JSON with sorted keys: equal data, equal text. */
export function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v && typeof v === 'object') {
    const entries = Object.entries(v as Record<string, unknown>)
      .filter(([, x]) => x !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, x]) => `${JSON.stringify(k)}:${canonical(x)}`).join(',')}}`;
  }
  return JSON.stringify(v);
}

/** Top-level fields of a service description that differ between two versions. */
export function changedFields(a: ServiceData | undefined, b: ServiceData): string[] {
  if (!a) return Object.keys(b).sort();
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...keys]
    .filter((k) => canonical((a as Record<string, unknown>)[k]) !== canonical((b as Record<string, unknown>)[k]))
    .sort();
}

/**
 * Fields a municipality is expected to fill with its own facts when it adopts a template (who
 * provides it, where, at what price): differences there are localisation, not divergence.
 */
export const LOCAL_FIELDS = new Set(['competentAuthority', 'channels', 'costs', 'owner']);
