import Negotiator from 'negotiator';
import { invalid } from '../../platform/http/problems';
import { RDF_MEDIA_TYPES, type RdfFormat } from '../../platform/rdf';

/**
 * What harvesters need beyond the exports themselves: content negotiation on dataset and
 * catalogue URIs (JSON for the web app and browsers, RDF for whoever asks for it), and the query
 * parameters of ckanext-dcat's paged catalogue endpoint.
 */
const JSON_TYPE = 'application/json';
const RDF_BY_TYPE: Record<string, RdfFormat> = {
  ...Object.fromEntries((Object.entries(RDF_MEDIA_TYPES) as [RdfFormat, string][]).map(([f, t]) => [t, f])),
  // Turtle is a subset of N3; ckanext-dcat offers text/n3 too.
  'text/n3': 'turtle',
};
/** JSON first: a wildcard, and browsers' `text/html` with a wildcard at lower quality, get JSON as before. */
const OFFERS = [JSON_TYPE, ...Object.keys(RDF_BY_TYPE)];

/** The RDF format the Accept header prefers to JSON, or null for JSON (also when nothing offered is acceptable). */
export function rdfWanted(accept: string | undefined): RdfFormat | null {
  if (!accept) return null;
  const best = new Negotiator({ headers: { accept } }).mediaType(OFFERS);
  return best && best !== JSON_TYPE ? RDF_BY_TYPE[best]! : null;
}

/**
 * `modified_since` as ckanext-dcat reads it: an ISO 8601 date or date-time; one without a zone is
 * UTC. Anything else is a 400 naming the parameter.
 */
export function parseModifiedSince(value: string | undefined): Date | null {
  if (value === undefined || value === '') return null;
  const m = /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?)(Z|[+-]\d{2}:?\d{2})?)?$/.exec(value);
  const wrong = () =>
    invalid([
      { pointer: '/query/modified_since', detail: 'is not an ISO 8601 date or date-time (2024-05-01T00:00:00Z)' },
    ]);
  if (!m) throw wrong();
  const [, day, time, zone] = m;
  const iso = `${day}T${time ?? '00:00'}${zone ? zone.replace(/^([+-]\d{2})(\d{2})$/, '$1:$2') : 'Z'}`;
  const at = new Date(iso);
  // Date accepts 2024-02-31 (as 2 March): require the day to survive the round trip.
  if (Number.isNaN(at.getTime()) || (zone === undefined && at.toISOString().slice(0, 10) !== day)) throw wrong();
  return at;
}

/**
 * The URL of another page of the same export: the public address of this path with the request's
 * other parameters kept and `page` set, as ckanext-dcat's `_page_url` makes them.
 */
export function pageUrlOf(publicUrl: string, path: string, query: Record<string, string | number | undefined>) {
  return (page: number) => {
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(query))
      if (k !== 'page' && v !== undefined && v !== '') params.set(k, String(v));
    params.set('page', String(page));
    return `${publicUrl.replace(/\/+$/, '')}${path}?${params.toString()}`;
  };
}
