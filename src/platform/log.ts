import pino, { type Logger } from 'pino';
import { maskIdCodesIn } from './identity/personalIdCode';

/** Masks ID codes in every string of a logged object (a few levels deep; logs are small). */
function maskDeep(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return maskIdCodesIn(value);
  // Errors keep their type: the err serializer masks their message and stack.
  if (
    depth > 5 ||
    value === null ||
    typeof value !== 'object' ||
    value instanceof Date ||
    value instanceof Error ||
    Buffer.isBuffer(value)
  )
    return value;
  // Only plain objects and arrays are copied: instances (Fastify's request and reply, whose url and
  // method are getters) go to their serializers as they are, which mask what they keep.
  const proto = Object.getPrototypeOf(value);
  if (!Array.isArray(value) && proto !== Object.prototype && proto !== null) return value;
  if (Array.isArray(value)) return value.map((v) => maskDeep(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = maskDeep(v, depth + 1);
  return out;
}

/**
 * Structured logs (pino). Personal ID codes never reach a log line in clear: every string of
 * every logged message and object (request URL, error message and stack included) is masked,
 * and credentials are redacted.
 */
export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      redact: {
        paths: [
          'req.headers.cookie',
          'req.headers.authorization',
          'req.headers["x-csrf-token"]',
          'req.headers["x-api-key"]',
          'res.headers["set-cookie"]',
          '*.idCode',
          '*.id_code',
          'idCode',
          'id_code',
        ],
        censor: '[redacted]',
      },
      serializers: {
        req: (req: { id: string; method: string; url: string }) => ({
          id: req.id,
          method: req.method,
          url: maskIdCodesIn(req.url),
        }),
        err: (err: Error) => {
          const s = pino.stdSerializers.err(err);
          return { ...s, message: maskIdCodesIn(s.message ?? ''), stack: s.stack ? maskIdCodesIn(s.stack) : undefined };
        },
      },
      hooks: {
        logMethod(args, method) {
          method.apply(this, args.map((a) => (a instanceof Error ? a : maskDeep(a))) as Parameters<typeof method>);
        },
      },
    },
    destination,
  );
}
