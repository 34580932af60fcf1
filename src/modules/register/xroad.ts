import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type { RegisterConfig, XRoadMember } from './config';
import { memberPath } from './config';
import type { LookupResult } from './model';
import { RegisterError } from './problems';
import { readEhak } from '../../platform/places/ehak';
import { timeOutbound } from '../../platform/metrics/metrics';
import type { PopulationRegister, RegisterQuery } from './port';
import {
  MessageError,
  buildPersonQuery,
  parseEnvelope,
  readHeader,
  readPersonAnswer,
  type MessageHeader,
} from './xroadMessages';

/**
 * The production adapter: asks the population register for a person and their residences
 * through the municipality's X-Road security server.
 *
 *   POST {securityServer}/r1/{INSTANCE}/{CLASS}/{MEMBER}/{SUBSYSTEM}/{SERVICE}
 *   X-Road-Client: INSTANCE/CLASS/MEMBER/SUBSYSTEM   (the municipality's subsystem)
 *   X-Road-Id: <unique message id>   X-Road-UserId: EE<asker's ID code>   X-Road-Issue: <purpose>
 *   Content-Type: text/xml; body: the register's SOAP query (see xroadMessages.ts)
 *
 * Each attempt has a timeout; timeouts, network errors, 5xx answers and Server.* faults are
 * retried with exponential back-off (±25 % jitter). Anything that is not a well-formed answer
 * about the person asked is a failure — never a guess.
 */
export class XRoadPopulationRegister implements PopulationRegister {
  readonly source = 'xroad' as const;
  readonly service: string;
  private readonly agent: http.Agent;
  private readonly base: URL;

  constructor(private readonly config: RegisterConfig['xroad']) {
    this.service = config.service.serviceCode;
    this.base = new URL(config.securityServer);
    const { tls } = config;
    this.agent =
      this.base.protocol === 'https:'
        ? new https.Agent({
            keepAlive: true,
            maxSockets: 64,
            ...(tls.certFile ? { cert: readFileSync(tls.certFile) } : {}),
            ...(tls.keyFile ? { key: readFileSync(tls.keyFile) } : {}),
            ...(tls.caFile ? { ca: readFileSync(tls.caFile) } : {}),
            ...(tls.passphrase ? { passphrase: tls.passphrase } : {}),
            rejectUnauthorized: tls.rejectUnauthorized,
          })
        : new http.Agent({ keepAlive: true, maxSockets: 64 });
  }

  clientFor(municipalityCode: string): XRoadMember {
    const c = this.config.clients[municipalityCode] ?? this.config.client;
    if (!c)
      throw new RegisterError('error', `no X-Road client subsystem configured for municipality ${municipalityCode}`);
    return c;
  }

  async lookup(q: RegisterQuery): Promise<{ result: LookupResult; messageId: string }> {
    const client = this.clientFor(q.municipalityCode);
    const s = this.config.service;
    const messageId = randomUUID();
    const header: MessageHeader = {
      client,
      service: s,
      id: messageId,
      userId: q.askedByIdCode ? `EE${q.askedByIdCode}` : undefined,
      issue: [q.purpose, q.reference].filter(Boolean).join(' ').slice(0, 200) || undefined,
    };
    const body = buildPersonQuery(header, q.idCode);
    const url = new URL(
      `${this.base.pathname.replace(/\/$/, '')}/r1/${s.instance}/${s.memberClass}/${s.memberCode}/${s.subsystemCode}/${s.serviceCode}`,
      this.base,
    );
    const headers: Record<string, string> = {
      'content-type': 'text/xml; charset=utf-8',
      accept: 'text/xml',
      'x-road-client': memberPath(client),
      'x-road-id': messageId,
      ...(header.userId ? { 'x-road-userid': header.userId } : {}),
      ...(header.issue ? { 'x-road-issue': encodeURIComponent(header.issue) } : {}),
    };
    let lastError: RegisterError | undefined;
    for (let attempt = 0; attempt <= this.config.retries; attempt++) {
      if (attempt > 0) {
        const base = this.config.backoffMs * 2 ** (attempt - 1);
        await sleep(base * (0.75 + Math.random() * 0.5));
      }
      try {
        const res = await timeOutbound('register', 'xroad-person-query', () => this.post(url, headers, body));
        return { result: this.interpret(res, header, q.idCode), messageId };
      } catch (err) {
        if (!(err instanceof AttemptError)) throw err;
        lastError = new RegisterError(err.failure, err.message, messageId);
        if (!err.retryable) break;
      }
    }
    throw lastError ?? new RegisterError('error', 'no attempt made', messageId);
  }

  private interpret(
    res: { status: number; headers: http.IncomingHttpHeaders; body: string },
    sent: MessageHeader,
    idCode: string,
  ): LookupResult {
    if (res.status >= 500) {
      const xrErr = res.headers['x-road-error'];
      throw new AttemptError(
        'error',
        `security server answered ${res.status}${xrErr ? ` (${String(xrErr)})` : ''}`,
        true,
      );
    }
    if (res.status !== 200) throw new AttemptError('error', `security server answered ${res.status}`, false);
    const type = String(res.headers['content-type'] ?? '');
    if (!/^(text|application)\/(soap\+)?xml\b/i.test(type))
      throw new AttemptError('malformed', `expected an XML answer, got "${type.slice(0, 60)}"`, false);
    const echoedId = res.headers['x-road-id'];
    if (echoedId !== undefined && echoedId !== sent.id)
      throw new AttemptError('malformed', 'the answer carries another message id', false);
    try {
      const { header, body } = parseEnvelope(res.body);
      const h = readHeader(header);
      const answer = readPersonAnswer(body, sent.service.serviceCode, idCode);
      if (answer.kind === 'fault') {
        throw new AttemptError(
          'error',
          `register fault ${answer.code}: ${answer.message.slice(0, 200)}`,
          /^Server\./.test(answer.code),
        );
      }
      if (h.id !== sent.id) throw new MessageError('the answer carries another message id');
      if (h.service?.serviceCode !== sent.service.serviceCode)
        throw new MessageError('the answer is for another service');
      if (answer.kind === 'not-found') return { found: false };
      // The current residence must name EHAK units the platform knows (older records may name
      // units abolished since, which is fine for history).
      for (const r of answer.person.residences) {
        if (r.validUntil !== null) continue;
        if (!knownMunicipalities().has(r.municipalityCode))
          throw new MessageError(`unknown EHAK municipality ${r.municipalityCode}`);
        if (r.settlementCode && knownSettlements().get(r.settlementCode) !== r.municipalityCode)
          throw new MessageError(`settlement unit ${r.settlementCode} is not in municipality ${r.municipalityCode}`);
      }
      return { found: true, person: answer.person };
    } catch (err) {
      if (err instanceof MessageError) throw new AttemptError('malformed', err.message, false);
      throw err;
    }
  }

  private post(
    url: URL,
    headers: Record<string, string>,
    body: string,
  ): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
    const lib = url.protocol === 'https:' ? https : http;
    const timeoutMs = this.config.timeoutMs;
    return new Promise((resolve, reject) => {
      let settled = false;
      const fail = (e: AttemptError) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        req.destroy();
        reject(e);
      };
      const req = lib.request(
        url,
        {
          method: 'POST',
          headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
          agent: this.agent,
        },
        (res) => {
          const chunks: Buffer[] = [];
          let size = 0;
          res.on('data', (c: Buffer) => {
            size += c.length;
            if (size > 4 * 1024 * 1024) fail(new AttemptError('malformed', 'answer larger than 4 MB', false));
            else chunks.push(c);
          });
          res.on('end', () => {
            if (settled) return;
            settled = true;
            clearTimeout(timer);
            resolve({
              status: res.statusCode ?? 0,
              headers: res.headers,
              body: Buffer.concat(chunks).toString('utf8'),
            });
          });
          res.on('error', (e) => fail(new AttemptError('error', `connection broke: ${e.message}`, true)));
        },
      );
      // The whole exchange (connect, send, wait, read) must fit in the timeout.
      const timer = setTimeout(
        () => fail(new AttemptError('timeout', `no complete answer within ${timeoutMs} ms`, true)),
        timeoutMs,
      );
      req.on('error', (e: NodeJS.ErrnoException) => {
        const tls = /certificate|SSL|TLS|alert/i.test(`${e.code ?? ''} ${e.message}`);
        fail(new AttemptError('error', `${tls ? 'TLS' : 'network'} error: ${e.code ?? ''} ${e.message}`.trim(), !tls));
      });
      req.end(body);
    });
  }

  close() {
    this.agent.destroy();
  }
}

class AttemptError extends Error {
  constructor(
    public readonly failure: 'timeout' | 'error' | 'malformed',
    message: string,
    public readonly retryable: boolean,
  ) {
    super(message);
  }
}

let municipalities: Set<string> | undefined;
let settlements: Map<string, string | null> | undefined;
const knownMunicipalities = () =>
  (municipalities ??= new Set(
    readEhak()
      .filter((u) => u.level === 'municipality')
      .map((u) => u.code),
  ));
const knownSettlements = () =>
  (settlements ??= new Map(
    readEhak()
      .filter((u) => u.level === 'settlement')
      .map((u) => [u.code, u.parent]),
  ));

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
