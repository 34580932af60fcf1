import { XMLBuilder, XMLParser, XMLValidator } from 'fast-xml-parser';
import type { XRoadMember, XRoadService } from './config';
import type { RegisterPerson, Residence } from './model';

/**
 * The population register's person-and-residence query (RR434) as SOAP messages carried over
 * X-Road, built and parsed with fast-xml-parser. Shared by the X-Road adapter and the register
 * simulator so both sides speak exactly the same shape (documented in docs/register.md).
 *
 * Envelope: SOAP 1.1 with the X-Road message protocol 4.0 headers (client, service, id, userId,
 * issue, protocolVersion); body `prod:RR434` / `prod:RR434Response` in the producer namespace
 * http://rr.x-road.eu/producer; residence records as `Elukoht` elements with the register's
 * field names (MaakonnaKood, VallaKood, KylaKood, Tekst, Postiindeks, AdsAdrID, AdsOid,
 * Koodaadress, Alates, Kuni, Staatus). The flat form `Elukoht.VallaKood` is accepted too.
 */
export const NS = {
  soap: 'http://schemas.xmlsoap.org/soap/envelope/',
  xrd: 'http://x-road.eu/xsd/xroad.xsd',
  id: 'http://x-road.eu/xsd/identifiers',
  prod: 'http://rr.x-road.eu/producer',
} as const;

export const PROTOCOL_VERSION = '4.0';

const builder = new XMLBuilder({ ignoreAttributes: false, attributeNamePrefix: '@_', suppressEmptyNode: true });
const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  removeNSPrefix: true,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  processEntities: true,
  isArray: (name) => name === 'Elukoht' || name === 'Isik',
});

export interface MessageHeader {
  client: XRoadMember;
  service: XRoadService;
  id: string;
  userId: string | undefined;
  issue: string | undefined;
}

function clientXml(c: XRoadMember) {
  return {
    '@_id:objectType': 'SUBSYSTEM',
    'id:xRoadInstance': c.instance,
    'id:memberClass': c.memberClass,
    'id:memberCode': c.memberCode,
    'id:subsystemCode': c.subsystemCode,
  };
}

function serviceXml(s: XRoadService) {
  return {
    '@_id:objectType': 'SERVICE',
    'id:xRoadInstance': s.instance,
    'id:memberClass': s.memberClass,
    'id:memberCode': s.memberCode,
    'id:subsystemCode': s.subsystemCode,
    'id:serviceCode': s.serviceCode,
    ...(s.serviceVersion ? { 'id:serviceVersion': s.serviceVersion } : {}),
  };
}

function envelope(h: MessageHeader, body: Record<string, unknown>, extraHeader: Record<string, unknown> = {}): string {
  return builder.build({
    '?xml': { '@_version': '1.0', '@_encoding': 'UTF-8' },
    'soap:Envelope': {
      '@_xmlns:soap': NS.soap,
      '@_xmlns:xrd': NS.xrd,
      '@_xmlns:id': NS.id,
      '@_xmlns:prod': NS.prod,
      'soap:Header': {
        'xrd:client': clientXml(h.client),
        'xrd:service': serviceXml(h.service),
        'xrd:id': h.id,
        ...(h.userId ? { 'xrd:userId': h.userId } : {}),
        ...(h.issue ? { 'xrd:issue': h.issue } : {}),
        'xrd:protocolVersion': PROTOCOL_VERSION,
        ...extraHeader,
      },
      'soap:Body': body,
    },
  });
}

export function buildPersonQuery(h: MessageHeader, idCode: string): string {
  return envelope(h, { [`prod:${h.service.serviceCode}`]: { request: { Isikukood: idCode } } });
}

export function buildPersonAnswer(
  h: MessageHeader,
  idCode: string,
  person: RegisterPerson | undefined,
  requestHash?: string,
): string {
  const code = h.service.serviceCode;
  const response = person
    ? {
        Isik: {
          Isikukood: person.idCode,
          Eesnimi: person.givenName ?? undefined,
          Perenimi: person.familyName ?? undefined,
          Synniaeg: person.birthDate,
          Isikustaatus: 'elus',
          Elukohad: { Elukoht: person.residences.map(residenceXml) },
        },
      }
    : { Teade: 'Isikut ei leitud' };
  return envelope(
    h,
    { [`prod:${code}Response`]: { request: { Isikukood: idCode }, response } },
    requestHash
      ? { 'xrd:requestHash': { '@_algorithmId': 'http://www.w3.org/2001/04/xmlenc#sha512', '#text': requestHash } }
      : {},
  );
}

function residenceXml(r: Residence) {
  return {
    MaakonnaKood: undefined,
    VallaKood: r.municipalityCode,
    KylaKood: r.settlementCode ?? undefined,
    Tekst: r.address,
    AdsAdrID: r.adsAdrId ?? undefined,
    Alates: r.validFrom,
    Kuni: r.validUntil ?? undefined,
    Staatus: r.status ?? (r.validUntil ? 'E' : 'K'),
  };
}

export function buildFault(h: MessageHeader | undefined, faultCode: string, faultString: string): string {
  const body = { 'soap:Fault': { faultcode: faultCode, faultstring: faultString } };
  if (!h) {
    return builder.build({
      '?xml': { '@_version': '1.0', '@_encoding': 'UTF-8' },
      'soap:Envelope': { '@_xmlns:soap': NS.soap, 'soap:Body': body },
    });
  }
  return envelope(h, body);
}

export class MessageError extends Error {}

type Node = Record<string, unknown>;
const isNode = (v: unknown): v is Node => typeof v === 'object' && v !== null && !Array.isArray(v);
const text = (v: unknown): string | undefined => {
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return String(v);
  if (isNode(v) && typeof v['#text'] === 'string') return v['#text'];
  if (isNode(v) && Object.keys(v).every((k) => k.startsWith('@_'))) return '';
  throw new MessageError('expected a text value');
};

/** Parses and checks an XML document: well-formed, no DOCTYPE (no entity tricks), a SOAP envelope. */
export function parseEnvelope(xml: string): { header: Node; body: Node } {
  if (/<!DOCTYPE/i.test(xml)) throw new MessageError('DOCTYPE is not allowed');
  const valid = XMLValidator.validate(xml);
  if (valid !== true) throw new MessageError(`not well-formed XML: ${valid.err.msg} (line ${valid.err.line})`);
  const doc = parser.parse(xml) as Node;
  const env = doc.Envelope;
  if (!isNode(env)) throw new MessageError('no SOAP Envelope');
  const body = env.Body;
  if (!isNode(body)) throw new MessageError('no SOAP Body');
  return { header: isNode(env.Header) ? env.Header : {}, body };
}

function memberFrom(n: unknown): XRoadMember | undefined {
  if (!isNode(n)) return undefined;
  const instance = text(n.xRoadInstance);
  const memberClass = text(n.memberClass);
  const memberCode = text(n.memberCode);
  const subsystemCode = text(n.subsystemCode);
  if (!instance || !memberClass || !memberCode || !subsystemCode) return undefined;
  return { instance, memberClass, memberCode, subsystemCode };
}

export function readHeader(header: Node): Partial<MessageHeader> & { protocolVersion?: string; requestHash?: string } {
  const client = memberFrom(header.client);
  const s = header.service;
  const base = memberFrom(s);
  const service =
    base && isNode(s) && text(s.serviceCode)
      ? { ...base, serviceCode: text(s.serviceCode)!, serviceVersion: text(s.serviceVersion) || undefined }
      : undefined;
  return {
    client,
    service,
    id: text(header.id),
    userId: text(header.userId),
    issue: text(header.issue),
    protocolVersion: text(header.protocolVersion),
    requestHash: text(header.requestHash),
  };
}

/** The ID code asked in a person query (simulator side). */
export function readPersonQuery(body: Node, serviceCode: string): string {
  const q = body[serviceCode];
  if (!isNode(q) || !isNode(q.request)) throw new MessageError(`no ${serviceCode}/request in the body`);
  const code = text(q.request.Isikukood);
  if (!code) throw new MessageError('no Isikukood in the request');
  return code;
}

export type PersonAnswer =
  { kind: 'person'; person: RegisterPerson } | { kind: 'not-found' } | { kind: 'fault'; code: string; message: string };

const DATE_ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[T ].*)?$/;
const DATE_EE = /^(\d{2})\.(\d{2})\.(\d{4})$/;
function date(v: unknown, field: string, required: boolean): string | null {
  const s = text(v);
  if (!s) {
    if (required) throw new MessageError(`${field} is missing`);
    return null;
  }
  let m = DATE_ISO.exec(s);
  if (m) return `${m[1]}-${m[2]}-${m[3]}`;
  m = DATE_EE.exec(s);
  if (m) return `${m[3]}-${m[2]}-${m[1]}`;
  throw new MessageError(`${field} is not a date: "${s.slice(0, 20)}"`);
}

function code4(v: unknown, field: string, required: boolean): string | null {
  const s = text(v);
  if (!s) {
    if (required) throw new MessageError(`${field} is missing`);
    return null;
  }
  if (!/^[0-9]{4}$/.test(s)) throw new MessageError(`${field} is not an EHAK code: "${s.slice(0, 20)}"`);
  return s;
}

/** Reads one residence record from either the nested (`Elukoht/VallaKood`) or flat (`Elukoht.VallaKood`) form. */
function residenceFrom(get: (field: string) => unknown): Residence {
  const ads = text(get('AdsAdrID'));
  if (ads && !/^[0-9]{1,15}$/.test(ads))
    throw new MessageError(`Elukoht.AdsAdrID is not a number: "${ads.slice(0, 20)}"`);
  const validFrom = date(get('Alates'), 'Elukoht.Alates', true)!;
  const validUntil = date(get('Kuni'), 'Elukoht.Kuni', false);
  if (validUntil && validUntil < validFrom) throw new MessageError('Elukoht.Kuni is before Elukoht.Alates');
  return {
    municipalityCode: code4(get('VallaKood'), 'Elukoht.VallaKood', true)!,
    settlementCode: code4(get('KylaKood'), 'Elukoht.KylaKood', false),
    address: text(get('Tekst')) ?? '',
    adsAdrId: ads ? Number(ads) : null,
    validFrom,
    validUntil,
    status: text(get('Staatus')) || null,
  };
}

/** Reads the answer to a person query; throws MessageError when it is not a usable answer. */
export function readPersonAnswer(body: Node, serviceCode: string, askedIdCode: string): PersonAnswer {
  const fault = body.Fault;
  if (isNode(fault))
    return { kind: 'fault', code: text(fault.faultcode) ?? 'unknown', message: text(fault.faultstring) ?? '' };
  const r = body[`${serviceCode}Response`];
  if (!isNode(r)) throw new MessageError(`no ${serviceCode}Response in the body`);
  const response = r.response;
  if (response === '' || response === undefined) throw new MessageError('no response element');
  if (!isNode(response)) {
    throw new MessageError('response is not an element');
  }
  const faultCode = text(response.faultCode);
  if (faultCode) return { kind: 'fault', code: faultCode, message: text(response.faultString) ?? '' };
  const people = response.Isik;
  if (people === undefined) return { kind: 'not-found' };
  if (!Array.isArray(people) || people.length !== 1 || !isNode(people[0]))
    throw new MessageError('expected exactly one Isik');
  const p = people[0];
  const idCode = text(p.Isikukood);
  if (idCode !== askedIdCode) throw new MessageError('the answer is about another person than the one asked');
  const birthDate = date(p.Synniaeg, 'Synniaeg', true)!;
  const residences: Residence[] = [];
  const nested = isNode(p.Elukohad) ? p.Elukohad.Elukoht : p.Elukoht;
  if (nested !== undefined && nested !== '') {
    if (!Array.isArray(nested)) throw new MessageError('Elukoht is not a list');
    for (const e of nested) {
      if (!isNode(e)) throw new MessageError('Elukoht is not an element');
      residences.push(residenceFrom((f) => e[f]));
    }
  }
  if (p['Elukoht.VallaKood'] !== undefined) residences.push(residenceFrom((f) => p[`Elukoht.${f}`]));
  return {
    kind: 'person',
    person: { idCode, givenName: text(p.Eesnimi) || null, familyName: text(p.Perenimi) || null, birthDate, residences },
  };
}
