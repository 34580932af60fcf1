import { createHash, randomUUID } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import type { XRoadService } from './config';
import { memberPath, parseXRoadMember } from './config';
import type { RegisterPerson } from './model';
import {
  MessageError,
  buildFault,
  buildPersonAnswer,
  parseEnvelope,
  readHeader,
  readPersonQuery,
  type MessageHeader,
} from './xroadMessages';

/**
 * A local stand-in for an X-Road security server in front of the population register: it
 * speaks the same protocol as production (REST path, X-Road headers, the register's SOAP
 * query — see xroadMessages.ts), serves a given population, and can be told to be slow, to fail
 * or to answer malformed. Tests start it in-process; `kov register-simulator` runs it as a
 * separate process (driven over `PUT /__simulator/behaviour`).
 */
export interface SimulatorBehaviour {
  /** Wait this long before answering. */
  delayMs?: number;
  /** http-500: the security server's JSON error; soap-fault: a Server.* SOAP fault; reset: drop the connection. */
  fail?: 'http-500' | 'soap-fault' | 'reset' | null;
  /** xml: broken XML; json: a JSON body; wrong-person: a well-formed answer about someone else; bad-fields: unusable dates and codes; no-envelope: XML that is not SOAP. */
  malformed?: 'xml' | 'json' | 'wrong-person' | 'bad-fields' | 'no-envelope' | null;
  /** Misbehave for the next N requests only, then answer normally (absent: always). */
  times?: number;
}

export interface SimulatorOptions {
  people: Iterable<RegisterPerson>;
  host?: string;
  port?: number;
  /** The service served (default EE/GOV/70008440/rr/RR434/v1). */
  service?: XRoadService;
  /** Serve HTTPS; with `ca` and `requestClientCert`, demand a client certificate signed by it. */
  tls?: { key: string | Buffer; cert: string | Buffer; ca?: string | Buffer; requestClientCert?: boolean };
  behaviour?: SimulatorBehaviour;
  log?: (line: string) => void;
}

export interface SeenRequest {
  path: string;
  headers: http.IncomingHttpHeaders;
  body: string;
  at: number;
}

export interface RunningSimulator {
  url: string;
  /** Changes how it answers from now on. */
  behave(b: SimulatorBehaviour): void;
  /** Requests to the register service so far (newest last; at most 1,000 kept). */
  readonly requests: SeenRequest[];
  /** Adds or replaces a person. */
  put(person: RegisterPerson): void;
  close(): Promise<void>;
}

export const DEFAULT_SERVICE: XRoadService = {
  instance: 'EE',
  memberClass: 'GOV',
  memberCode: '70008440',
  subsystemCode: 'rr',
  serviceCode: 'RR434',
  serviceVersion: 'v1',
};

export async function startRegisterSimulator(opts: SimulatorOptions): Promise<RunningSimulator> {
  const people = new Map<string, RegisterPerson>();
  for (const p of opts.people) people.set(p.idCode, p);
  const service = opts.service ?? DEFAULT_SERVICE;
  const servicePath = `/r1/${service.instance}/${service.memberClass}/${service.memberCode}/${service.subsystemCode}/${service.serviceCode}`;
  let behaviour: SimulatorBehaviour = { ...(opts.behaviour ?? {}) };
  const requests: SeenRequest[] = [];
  const timers = new Set<NodeJS.Timeout>();
  const sockets = new Set<Socket>();

  const misbehave = (): SimulatorBehaviour => {
    const b = behaviour;
    if (b.times === undefined) return b;
    if (b.times <= 0) return { delayMs: b.delayMs ?? 0 };
    behaviour = { ...b, times: b.times - 1 };
    return b;
  };

  const xroadError = (res: http.ServerResponse, status: number, type: string, message: string) => {
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'x-road-error': type });
    res.end(JSON.stringify({ type, message, detail: randomUUID() }));
  };

  const handle = async (req: http.IncomingMessage, res: http.ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    const path = (req.url ?? '').split('?')[0]!;

    if (path === '/__simulator/behaviour' && req.method === 'PUT') {
      try {
        behaviour = JSON.parse(body) as SimulatorBehaviour;
        res.writeHead(204).end();
      } catch {
        res.writeHead(400, { 'content-type': 'text/plain' }).end('behaviour must be JSON');
      }
      return;
    }
    if (path === '/__simulator/stats' && req.method === 'GET') {
      res
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify({ requests: requests.length, people: people.size, behaviour }));
      return;
    }
    if (path !== servicePath)
      return xroadError(res, 404, 'Server.ServerProxy.UnknownService', `Unknown service ${path}`);
    if (req.method !== 'POST') return xroadError(res, 405, 'Client.InvalidHttpMethod', 'The register query is POSTed');

    if (requests.length >= 1000) requests.shift();
    requests.push({ path, headers: req.headers, body, at: Date.now() });
    const b = misbehave();
    if (b.delayMs) {
      await new Promise<void>((resolve) => {
        const t = setTimeout(() => {
          timers.delete(t);
          resolve();
        }, b.delayMs);
        timers.add(t);
      });
      if (res.destroyed || req.socket.destroyed) return;
    }
    if (b.fail === 'reset') {
      req.socket.destroy();
      return;
    }
    if (b.fail === 'http-500')
      return xroadError(res, 500, 'Server.ServerProxy.ServiceFailed', 'The register did not answer');

    const clientHeader = String(req.headers['x-road-client'] ?? '');
    const client = parseXRoadMember(clientHeader);
    if (!client)
      return xroadError(
        res,
        400,
        'Client.InvalidClientIdentifier',
        'X-Road-Client must be INSTANCE/CLASS/MEMBER/SUBSYSTEM',
      );
    if (!/^(text|application)\/(soap\+)?xml\b/.test(String(req.headers['content-type'] ?? '')))
      return xroadError(res, 415, 'Client.InvalidContentType', 'The register query is a SOAP (text/xml) message');

    let header: MessageHeader;
    let idCode: string;
    try {
      const env = parseEnvelope(body);
      const h = readHeader(env.header);
      if (!h.client || memberPath(h.client) !== memberPath(client))
        throw new MessageError('SOAP client differs from X-Road-Client');
      if (
        !h.service ||
        h.service.serviceCode !== service.serviceCode ||
        h.service.memberCode !== service.memberCode ||
        h.service.subsystemCode !== service.subsystemCode
      )
        throw new MessageError('SOAP service differs from the path');
      if (!h.id) throw new MessageError('no message id');
      if (req.headers['x-road-id'] && req.headers['x-road-id'] !== h.id)
        throw new MessageError('X-Road-Id differs from the SOAP id');
      if (h.protocolVersion !== '4.0') throw new MessageError('protocolVersion must be 4.0');
      header = { client: h.client, service: h.service, id: h.id, userId: h.userId, issue: h.issue };
      idCode = readPersonQuery(env.body, service.serviceCode);
    } catch (err) {
      res.writeHead(200, { 'content-type': 'text/xml; charset=utf-8' });
      res.end(buildFault(undefined, 'Client.BadRequest', (err as Error).message));
      return;
    }
    const requestHash = createHash('sha512').update(body).digest('base64');
    const headers = {
      'content-type': 'text/xml; charset=utf-8',
      'x-road-id': header.id,
      'x-road-client': clientHeader,
      'x-road-service': `${service.instance}/${service.memberClass}/${service.memberCode}/${service.subsystemCode}/${service.serviceCode}`,
      'x-road-request-hash': requestHash,
    };
    if (b.fail === 'soap-fault') {
      res
        .writeHead(200, headers)
        .end(buildFault(header, 'Server.ServerProxy.DatabaseError', 'Register database unavailable'));
      return;
    }
    const person = people.get(idCode);
    switch (b.malformed) {
      case 'xml':
        res.writeHead(200, headers).end(buildPersonAnswer(header, idCode, person, requestHash).slice(0, -40));
        return;
      case 'json':
        res
          .writeHead(200, { ...headers, 'content-type': 'application/json' })
          .end(JSON.stringify({ Isikukood: idCode, Elukoht: { VallaKood: '0784' } }));
        return;
      case 'no-envelope':
        res.writeHead(200, headers).end(`<?xml version="1.0"?><Isik><Isikukood>${idCode}</Isikukood></Isik>`);
        return;
      case 'wrong-person': {
        const other = [...people.values()].find((p) => p.idCode !== idCode);
        const fake: RegisterPerson = other ?? {
          idCode: '38001085718',
          givenName: 'Other',
          familyName: 'Person',
          birthDate: '1980-01-08',
          residences: [],
        };
        res.writeHead(200, headers).end(buildPersonAnswer(header, idCode, fake, requestHash));
        return;
      }
      case 'bad-fields': {
        const p: RegisterPerson = person ?? {
          idCode,
          givenName: null,
          familyName: null,
          birthDate: '1980-01-01',
          residences: [],
        };
        const broken = {
          ...p,
          residences: [
            {
              municipalityCode: 'Tallinn',
              settlementCode: null,
              address: '?',
              adsAdrId: null,
              validFrom: 'yesterday',
              validUntil: null,
              status: null,
            },
          ],
        };
        res.writeHead(200, headers).end(buildPersonAnswer(header, idCode, broken as RegisterPerson, requestHash));
        return;
      }
      default:
        res.writeHead(200, headers).end(buildPersonAnswer(header, idCode, person, requestHash));
    }
  };

  const onRequest = (req: http.IncomingMessage, res: http.ServerResponse) => {
    handle(req, res).catch((err) => {
      opts.log?.(`simulator error: ${(err as Error).message}`);
      if (!res.headersSent && !res.destroyed)
        xroadError(res, 500, 'Server.ServerProxy.InternalError', 'simulator error');
    });
  };
  const server = opts.tls
    ? https.createServer(
        {
          key: opts.tls.key,
          cert: opts.tls.cert,
          ...(opts.tls.ca ? { ca: opts.tls.ca } : {}),
          requestCert: Boolean(opts.tls.requestClientCert),
          rejectUnauthorized: Boolean(opts.tls.requestClientCert),
        },
        onRequest,
      )
    : http.createServer(onRequest);
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  server.on('secureConnection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  server.on('tlsClientError', () => {});
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', () => resolve());
  });
  const addr = server.address() as AddressInfo;
  const host = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;
  const url = `${opts.tls ? 'https' : 'http'}://${host}:${addr.port}`;
  opts.log?.(`register simulator listening on ${url}${servicePath} with ${people.size} people`);
  return {
    url,
    requests,
    behave(b) {
      behaviour = { ...b };
    },
    put(p) {
      people.set(p.idCode, p);
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const t of timers) clearTimeout(t);
        timers.clear();
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
