import { Problem, defineProblem } from '../http/problems';
import { fromLest97, plausibleLest97, toLest97 } from './lest97';

/**
 * Official addresses from the Land Board's address data system through its In-ADS gazetteer
 * (the service behind the In-ADS address component):
 *
 *   GET {KOV_INADS_URL}?address=Riia+45+Tartu&results=8&appartment=0&unik=0&ihist=0   search
 *   GET {KOV_INADS_URL}?x=659234.5&y=6474321.8&results=1&appartment=0&unik=0           reverse (L-EST97)
 *
 * answered with `{ "addresses": [ { "pikkaadress": "Tartu maakond, Tartu linn, Tartu linn, Riia
 * tn 45", "aadresstekst": "Riia tn 45", "ads_oid": "ME01234567", "liikVal": "EHITISHOONE",
 * "viitepunkt_x": "659234.50", "viitepunkt_y": "6474321.80", … } ] }` (no `addresses`, or an
 * empty list, when nothing matches). The reference point is read from `viitepunkt_x`/`_y`
 * (L-EST97, converted with proj4): the WGS84 fields beside them are not relied on.
 *
 * The same client talks to the real service (production, default
 * https://inaadress.maaamet.ee/inaadress/gazetteer) and to the platform's stand-in
 * (`landBoardStandIn.ts`, demo and tests). A slow, failing or garbled answer is a 503
 * `address-service-unavailable`: the resident can still put the pin on the map.
 */
export const P_ADDRESS = {
  unavailable: defineProblem(
    'address-service-unavailable',
    503,
    'The address service is not available',
    "The Land Board's address service (In-ADS) did not answer in time or answered something unreadable. Try again later, or mark the place on the map.",
  ),
};

export interface AddressHit {
  /** The address itself, e.g. "Riia tn 45" or "Tamme-12". */
  address: string;
  /** County, municipality, settlement unit and address, as the register writes it. */
  fullAddress: string;
  /** The address object's ADS id (stable key), if given. */
  adsOid: string | null;
  /** What the object is: EHITISHOONE (building), KATASTRIYKSUS (parcel), TANAV (street), … */
  kind: string | null;
  lat: number;
  lon: number;
}

export interface Gazetteer {
  search(query: string, limit?: number): Promise<AddressHit[]>;
  /** The nearest official address to a point, or null where there is none nearby. */
  reverse(lat: number, lon: number): Promise<AddressHit | null>;
}

interface RawAddress {
  pikkaadress?: unknown;
  taisaadress?: unknown;
  aadresstekst?: unknown;
  ads_oid?: unknown;
  liikVal?: unknown;
  viitepunkt_x?: unknown;
  viitepunkt_y?: unknown;
}

const MAX_BODY = 2 * 1024 * 1024;

/** Turns one In-ADS answer into hits; items without a plausible reference point are skipped. */
export function parseGazetteerAnswer(body: unknown): AddressHit[] {
  if (!body || typeof body !== 'object' || Array.isArray(body)) throw new Error('the answer is not a JSON object');
  const list = (body as { addresses?: unknown }).addresses;
  if (list === undefined) {
    if ('error' in body)
      throw new Error(`the service reported an error: ${String((body as { error: unknown }).error)}`);
    return [];
  }
  if (!Array.isArray(list)) throw new Error('"addresses" is not a list');
  const out: AddressHit[] = [];
  for (const raw of list as RawAddress[]) {
    if (!raw || typeof raw !== 'object') continue;
    const x = Number(raw.viitepunkt_x);
    const y = Number(raw.viitepunkt_y);
    if (!Number.isFinite(x) || !Number.isFinite(y) || !plausibleLest97(x, y)) continue;
    const full = String(raw.pikkaadress ?? raw.taisaadress ?? '').trim();
    const short = String(raw.aadresstekst ?? '').trim() || full.split(',').at(-1)?.trim() || '';
    if (!short && !full) continue;
    const { lat, lon } = fromLest97(x, y);
    out.push({
      address: short || full,
      fullAddress: full || short,
      adsOid: typeof raw.ads_oid === 'string' && raw.ads_oid ? raw.ads_oid : null,
      kind: typeof raw.liikVal === 'string' && raw.liikVal ? raw.liikVal : null,
      lat: Math.round(lat * 1e6) / 1e6,
      lon: Math.round(lon * 1e6) / 1e6,
    });
  }
  return out;
}

export class InAdsGazetteer implements Gazetteer {
  private readonly cache = new Map<string, { at: number; hits: AddressHit[] }>();

  constructor(
    private readonly url: string,
    private readonly opts: { timeoutMs: number; cacheSeconds?: number; now?: () => number } = { timeoutMs: 4000 },
  ) {}

  async search(query: string, limit = 8): Promise<AddressHit[]> {
    const q = query.trim().replace(/\s+/g, ' ');
    if (!q) return [];
    return this.ask({ address: q, results: String(limit), appartment: '0', unik: '0', ihist: '0' });
  }

  async reverse(lat: number, lon: number): Promise<AddressHit | null> {
    const { x, y } = toLest97(lat, lon);
    const hits = await this.ask({ x: x.toFixed(2), y: y.toFixed(2), results: '1', appartment: '0', unik: '0' });
    return hits[0] ?? null;
  }

  private async ask(params: Record<string, string>): Promise<AddressHit[]> {
    const url = `${this.url}?${new URLSearchParams(params)}`;
    const now = this.opts.now?.() ?? performance.now();
    const cached = this.cache.get(url);
    if (cached && now - cached.at < (this.opts.cacheSeconds ?? 600) * 1000) return cached.hits;
    let hits: AddressHit[];
    try {
      const res = await fetch(url, {
        headers: { accept: 'application/json', 'user-agent': 'KOV-platvorm (ELVL)' },
        signal: AbortSignal.timeout(this.opts.timeoutMs),
        redirect: 'follow',
      });
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      const text = await readLimited(res, MAX_BODY);
      // The service also answers JSONP when asked; a stray wrapper is tolerated.
      const json = text.trim().replace(/^[\w$.]+\(([\s\S]*)\);?$/, '$1');
      hits = parseGazetteerAnswer(JSON.parse(json));
    } catch (err) {
      throw new Problem(
        P_ADDRESS.unavailable,
        `The address service did not give a usable answer (${(err as Error).name === 'TimeoutError' ? 'no answer in time' : (err as Error).message})`,
      );
    }
    if (this.cache.size > 1000) this.cache.delete(this.cache.keys().next().value!);
    this.cache.set(url, { at: now, hits });
    return hits;
  }
}

async function readLimited(res: Response, max: number): Promise<string> {
  const reader = res.body?.getReader();
  if (!reader) return '';
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.length;
    if (size > max) {
      await reader.cancel();
      throw new Error(`the answer is larger than ${max} bytes`);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}
