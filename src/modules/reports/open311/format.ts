/**
 * Open311 GeoReport v2 output: the same documents as JSON (arrays of objects) and XML (a root
 * element holding one element per object, e.g. <service_requests><request>…</request></service_requests>),
 * and the spec's error list in both.
 */
export type Format = 'json' | 'xml';
export type Value = string | number | boolean | null | undefined | Value[] | { [k: string]: Value };

const INVALID_XML_CHARS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g;

export function escapeXml(s: string): string {
  return s
    .replace(INVALID_XML_CHARS, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

/**
 * Serialises a value under `name`. Arrays become repeated child elements named by `itemNames`
 * (e.g. attributes → attribute); null and undefined become empty elements.
 */
export function xmlElement(name: string, value: Value, itemNames: Record<string, string>, indent = ''): string {
  if (value === null || value === undefined || value === '') return `${indent}<${name}></${name}>`;
  if (Array.isArray(value)) {
    const item = itemNames[name] ?? 'item';
    if (!value.length) return `${indent}<${name}></${name}>`;
    return `${indent}<${name}>\n${value.map((v) => xmlElement(item, v, itemNames, indent + '  ')).join('\n')}\n${indent}</${name}>`;
  }
  if (typeof value === 'object') {
    const inner = Object.entries(value).map(([k, v]) => xmlElement(k, v, itemNames, indent + '  '));
    return `${indent}<${name}>\n${inner.join('\n')}\n${indent}</${name}>`;
  }
  return `${indent}<${name}>${escapeXml(String(value))}</${name}>`;
}

export const ITEM_NAMES: Record<string, string> = {
  services: 'service',
  service_requests: 'request',
  service_request_updates: 'request_update',
  attributes: 'attribute',
  values: 'value',
  errors: 'error',
  endpoints: 'endpoint',
  formats: 'format',
};

/** A document: `root` holding a list (XML) or the list itself (JSON). */
export function render(format: Format, root: string, list: Value[]): { body: string; type: string } {
  if (format === 'json') return { body: JSON.stringify(list), type: 'application/json; charset=utf-8' };
  return {
    body: `<?xml version="1.0" encoding="utf-8"?>\n${xmlElement(root, list, ITEM_NAMES)}\n`,
    type: 'text/xml; charset=utf-8',
  };
}

/** A single object document (discovery, service_definition): the object itself in JSON. */
export function renderObject(
  format: Format,
  root: string,
  obj: { [k: string]: Value },
): { body: string; type: string } {
  if (format === 'json') return { body: JSON.stringify(obj), type: 'application/json; charset=utf-8' };
  return {
    body: `<?xml version="1.0" encoding="utf-8"?>\n${xmlElement(root, obj, ITEM_NAMES)}\n`,
    type: 'text/xml; charset=utf-8',
  };
}

export function renderErrors(format: Format, errors: { code: number; description: string }[]) {
  return render(format, 'errors', errors as unknown as Value[]);
}

/** W3C date-time in Estonian local time with its offset, e.g. 2026-05-04T09:30:00+03:00. */
export function w3cDateTime(d: Date | null | undefined): string | null {
  if (!d) return null;
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-GB', {
      timeZone: 'Europe/Tallinn',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
    })
      .formatToParts(d)
      .map((p) => [p.type, p.value]),
  );
  const local = Date.UTC(
    Number(parts.year),
    Number(parts.month) - 1,
    Number(parts.day),
    Number(parts.hour),
    Number(parts.minute),
    Number(parts.second),
  );
  const offsetMin = Math.round((local - Math.floor(d.getTime() / 1000) * 1000) / 60_000);
  const sign = offsetMin >= 0 ? '+' : '-';
  const abs = Math.abs(offsetMin);
  return `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}:${parts.second}${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}
