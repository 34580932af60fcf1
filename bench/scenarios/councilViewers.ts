/**
 * The public audience of the council benchmark, run as a child process: opens N Server-Sent
 * Events streams to one sitting over plain TCP sockets (so that the load generator itself stays
 * cheap next to the server on the same cores), and for every `result` event notes when each
 * stream received it (wall clock, ms). Talks to the parent over IPC:
 *   parent → { open: { url, count } }         child → { ready: n, failed }
 *   parent → { report: voteId }                child → { report: voteId, received: number[] }
 *   parent → { close: true }                   child exits
 */
import net from 'node:net';

const received = new Map<string, number[]>();
const sockets: net.Socket[] = [];
const now = () => performance.timeOrigin + performance.now();
const SNAPSHOT = Buffer.from('event: snapshot');
const RESULT = Buffer.from('event: result\ndata: {"id":"');
const END = Buffer.from('\n\n');

function openOne(target: URL): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: target.hostname, port: Number(target.port) });
    let ready = false;
    let pending: Buffer = Buffer.alloc(0);
    const fail = () => {
      if (!ready) resolve(false);
    };
    socket.on('connect', () => {
      socket.write(`GET ${target.pathname} HTTP/1.1\r\nHost: ${target.host}\r\nAccept: text/event-stream\r\n\r\n`);
    });
    socket.on('data', (chunk: Buffer) => {
      const at = now();
      const buf = pending.length ? Buffer.concat([pending, chunk]) : chunk;
      if (!ready) {
        if (buf.indexOf(SNAPSHOT) < 0) {
          // Still in the headers or the start of the stream: keep it all until the snapshot shows.
          if (buf.length >= 12 && buf.indexOf('HTTP/1.1 200') !== 0) {
            fail();
            socket.destroy();
          }
          pending = buf;
          return;
        }
        ready = true;
        resolve(true);
      }
      // Results: find each `event: result` frame and take the vote id right after `{"id":"`.
      let from = 0;
      for (;;) {
        const i = buf.indexOf(RESULT, from);
        if (i < 0) break;
        const idStart = i + RESULT.length;
        if (buf.length < idStart + 36) {
          pending = buf.subarray(i);
          return;
        }
        const id = buf.toString('latin1', idStart, idStart + 36);
        let list = received.get(id);
        if (!list) received.set(id, (list = []));
        list.push(at);
        from = idStart + 36;
      }
      // Keep only a tail that could hold the start of a frame split across chunks.
      const lastEnd = buf.lastIndexOf(END);
      const tail = buf.subarray(Math.max(from, lastEnd >= 0 ? lastEnd + 2 : 0));
      pending =
        tail.length > RESULT.length + 36 ? tail.subarray(tail.length - (RESULT.length + 36)) : Buffer.from(tail);
    });
    socket.on('error', fail);
    socket.on('close', fail);
    sockets.push(socket);
  });
}

process.on('message', async (msg: { open?: { url: string; count: number }; report?: string; close?: boolean }) => {
  if (msg.open) {
    const target = new URL(msg.open.url);
    let ok = 0;
    let failed = 0;
    const batch = 250;
    for (let i = 0; i < msg.open.count; i += batch) {
      const n = Math.min(batch, msg.open.count - i);
      const r = await Promise.all(Array.from({ length: n }, () => openOne(target)));
      ok += r.filter(Boolean).length;
      failed += r.filter((x) => !x).length;
    }
    process.send!({ ready: ok, failed });
  }
  if (msg.report) process.send!({ report: msg.report, received: received.get(msg.report) ?? [] });
  if (msg.close) {
    for (const s of sockets) s.destroy();
    process.exit(0);
  }
});
process.send!({ started: true });
