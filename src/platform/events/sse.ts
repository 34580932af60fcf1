import type { FastifyReply, FastifyRequest } from 'fastify';

/**
 * A Server-Sent Events stream on a hijacked reply. Kept deliberately small (no per-stream
 * buffers beyond the socket's), since thousands of public viewers may hold one open.
 */
export interface SseStream {
  send(event: string, data: unknown, id?: string): void;
  /** Writes a frame made once by `sseFrame` (one serialisation for thousands of viewers). */
  sendFrame(frame: string | Buffer): void;
  onClose(fn: () => void): void;
  close(): void;
}

/**
 * One SSE frame (`event:`, `data:` as JSON, optional `id:`), to be written to many streams; as a
 * Buffer (`encoded`) so that thousands of writes do not encode the same text again each time.
 */
export function sseFrame(event: string, data: unknown, id?: string): string;
export function sseFrame(event: string, data: unknown, id: string | undefined, encoded: true): Buffer;
export function sseFrame(event: string, data: unknown, id?: string, encoded?: boolean): string | Buffer {
  const text = `${id ? `id: ${id}\n` : ''}event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
  return encoded ? Buffer.from(text, 'utf8') : text;
}

export function openSse(
  request: FastifyRequest,
  reply: FastifyReply,
  opts: { heartbeatMs?: number; retryMs?: number } = {},
): SseStream {
  reply.hijack();
  const res = reply.raw;
  res.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache, no-transform',
    connection: 'keep-alive',
    'x-accel-buffering': 'no',
    'x-request-id': String(request.id),
  });
  res.write(`retry: ${opts.retryMs ?? 2000}\n\n`);
  const closers: (() => void)[] = [];
  let closed = false;
  const heartbeat = setInterval(() => res.write(': keep-alive\n\n'), opts.heartbeatMs ?? 15_000);
  heartbeat.unref();
  // The app's lifecycle closes open streams when the node drains (absent in apps built without it).
  const untrack = request.server.lifecycle?.track({
    closeForRestart(retryMs) {
      if (closed) return;
      // A new retry interval, then an event naming why, then the end: EventSource reconnects by itself.
      res.write(`retry: ${retryMs}\n\n`);
      res.write(sseFrame('restart', { retryMs }));
      finish();
      res.end();
    },
  });
  const finish = () => {
    if (closed) return;
    closed = true;
    clearInterval(heartbeat);
    untrack?.();
    for (const fn of closers) fn();
  };
  request.raw.on('close', finish);
  return {
    send(event, data, id) {
      if (closed) return;
      res.write(sseFrame(event, data, id));
    },
    sendFrame(frame) {
      if (closed) return;
      res.write(frame);
    },
    onClose(fn) {
      closers.push(fn);
    },
    close() {
      finish();
      res.end();
    },
  };
}
