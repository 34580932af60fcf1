import pino, { type Logger } from 'pino';
import { maskIdCodesIn } from './identity/personalIdCode';

/**
 * Structured logs (pino). Personal ID codes never reach a log line in clear: every string
 * argument and the request URL are masked, and credentials are redacted.
 */
export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      redact: {
        paths: ['req.headers.cookie', 'req.headers.authorization', 'req.headers["x-csrf-token"]', 'req.headers["x-api-key"]', 'res.headers["set-cookie"]', '*.idCode', '*.id_code', 'idCode', 'id_code'],
        censor: '[redacted]',
      },
      serializers: {
        req: (req: { id: string; method: string; url: string }) => ({ id: req.id, method: req.method, url: maskIdCodesIn(req.url) }),
        err: (err: Error) => {
          const s = pino.stdSerializers.err(err);
          return { ...s, message: maskIdCodesIn(s.message ?? ''), stack: s.stack ? maskIdCodesIn(s.stack) : undefined };
        },
      },
      hooks: {
        logMethod(args, method) {
          method.apply(this, args.map((a) => (typeof a === 'string' ? maskIdCodesIn(a) : a)) as Parameters<typeof method>);
        },
      },
    },
    destination,
  );
}
