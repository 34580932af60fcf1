/**
 * The public audience of the council benchmark, run as a child process: opens N Server-Sent
 * Events streams to one sitting, and for every `result` event notes when each stream received
 * it (wall clock, ms). Talks to the parent over IPC:
 *   parent → { open: { url, count } }         child → { ready: n, failed }
 *   parent → { report: voteId }                child → { report: voteId, received: number[] }
 *   parent → { close: true }                   child exits
 */
import http from 'node:http';

const agent = new http.Agent({ keepAlive: false, maxSockets: Infinity });
const received = new Map<string, number[]>();
const sockets: http.ClientRequest[] = [];
const now = () => performance.timeOrigin + performance.now();

function openOne(url: string): Promise<boolean> {
  return new Promise((resolve) => {
    const req = http.get(url, { agent, headers: { accept: 'text/event-stream' } }, (res) => {
      if (res.statusCode !== 200) {
        res.resume();
        resolve(false);
        return;
      }
      res.setEncoding('utf8');
      let buf = '';
      let ready = false;
      res.on('data', (chunk: string) => {
        buf += chunk;
        let i: number;
        while ((i = buf.indexOf('\n\n')) >= 0) {
          const block = buf.slice(0, i);
          buf = buf.slice(i + 2);
          if (!ready && block.includes('event: snapshot')) {
            ready = true;
            resolve(true);
          } else if (block.startsWith('event: result')) {
            const t = now();
            const m = /"id":"([0-9a-f-]{36})"/.exec(block);
            if (m) {
              let list = received.get(m[1]!);
              if (!list) received.set(m[1]!, (list = []));
              list.push(t);
            }
          }
        }
      });
      res.on('error', () => resolve(false));
    });
    req.on('error', () => resolve(false));
    sockets.push(req);
  });
}

process.on('message', async (msg: { open?: { url: string; count: number }; report?: string; close?: boolean }) => {
  if (msg.open) {
    let ok = 0;
    let failed = 0;
    const batch = 250;
    for (let i = 0; i < msg.open.count; i += batch) {
      const n = Math.min(batch, msg.open.count - i);
      const r = await Promise.all(Array.from({ length: n }, () => openOne(msg.open!.url)));
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
