import { fork } from 'node:child_process';
import path from 'node:path';
import v8 from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { BenchScenario } from '../lib';
import { percentile } from '../lib';
import { createSession } from '../../src/platform/auth/sessions';
import { makeCouncil, makeSitting } from '../../src/modules/council/testkit';
import { registerOwnAttendance } from '../../src/modules/council/attendance';
import { liveHub } from '../../src/modules/council/live';

/**
 * A 79-member council votes while 5,000 public viewers hold the sitting's SSE stream open (in a
 * separate process). Per round: the chair starts a vote, all 79 members vote over HTTP, the chair
 * closes it; we measure from the moment the close request is sent until each viewer has the
 * result. Also the server's memory per idle open stream (RSS and JS heap, after GC).
 */
const VIEWERS = Number(process.env.COUNCIL_VIEWERS ?? 5000);
const ROUNDS = Number(process.env.COUNCIL_ROUNDS ?? 20);
const SEATS = 79;

v8.setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
const settle = async () => {
  for (let i = 0; i < 3; i++) {
    gc();
    await new Promise((r) => setTimeout(r, 300));
  }
};
const now = () => performance.timeOrigin + performance.now();

export const councilScenario: BenchScenario = {
  name: 'council',
  title: `Council sitting: ${SEATS} members vote, ${VIEWERS} public viewers on SSE — close → result at the last viewer, memory per stream`,
  async run(env) {
    const { ctx } = env;
    env.log(`setting up a ${SEATS}-seat council and a sitting with ${ROUNDS} items`);
    const f = await makeCouncil(ctx, { seats: SEATS, substitutes: 0 });
    const { sittingId, itemIds } = await makeSitting(
      ctx,
      f,
      Array.from({ length: ROUNDS }, (_, i) => ({
        title: `Päevakorrapunkt ${i + 1}`,
        kind: 'decision' as const,
        majority: { kind: 'cast' as const },
      })),
    );
    for (const m of f.members) await registerOwnAttendance(ctx, m.actor, f.code, sittingId, { present: true });
    const session = async (personId: string) => {
      const s = await createSession(ctx.db, personId, { idleMinutes: 60, absoluteHours: 12 });
      return { cookie: `kov_session=${s.token}`, 'x-csrf-token': s.csrfToken, 'content-type': 'application/json' };
    };
    const chair = await session(f.chair.id);
    const members = await Promise.all(f.members.map((m) => session(m.id)));
    const base = `${env.url}/api/v1/municipalities/${f.code}/council`;

    const child = fork(path.join(import.meta.dirname, 'councilViewers.ts'), [], {
      execArgv: ['--import', 'tsx'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const ask = <T>(msg: unknown, match: (m: any) => boolean): Promise<T> =>
      new Promise((resolve) => {
        const on = (m: any) => {
          if (match(m)) {
            child.off('message', on);
            resolve(m as T);
          }
        };
        child.on('message', on);
        if (msg) child.send(msg as never);
      });
    await ask(null, (m) => m.started);
    try {
      await settle();
      const mem0 = process.memoryUsage();
      env.log(`opening ${VIEWERS} SSE streams`);
      const t0 = now();
      const opened = await ask<{ ready: number; failed: number }>(
        { open: { url: `${base}/sittings/${sittingId}/live`, count: VIEWERS } },
        (m) => m.ready !== undefined,
      );
      env.log(
        `${opened.ready} streams open (${opened.failed} failed) in ${Math.round(now() - t0)} ms; ${liveHub(ctx).viewers()} on the server`,
      );
      await settle();
      const mem1 = process.memoryUsage();
      const rssPerStream = (mem1.rss - mem0.rss) / opened.ready;
      const heapPerStream = (mem1.heapUsed + mem1.external - mem0.heapUsed - mem0.external) / opened.ready;

      const lastViewer: number[] = [];
      const perViewer: number[] = [];
      const closeRequest: number[] = [];
      const ballot: number[] = [];
      const toNotify: number[] = [];
      const toRead: number[] = [];
      const toWritten: number[] = [];
      let incomplete = 0;
      for (let round = 0; round < ROUNDS; round++) {
        const start = await fetch(`${base}/sittings/${sittingId}/votes`, {
          method: 'POST',
          headers: chair,
          body: JSON.stringify({ itemId: itemIds[round] }),
        });
        if (!start.ok) throw new Error(`start vote: ${start.status} ${await start.text()}`);
        const voteId = ((await start.json()) as { id: string }).id;
        await Promise.all(
          members.map(async (h, i) => {
            const b0 = now();
            const res = await fetch(`${base}/votes/${voteId}/ballot`, {
              method: 'POST',
              headers: h,
              body: JSON.stringify({ choice: (i + round) % 3 === 0 ? 'against' : 'for' }),
            });
            if (!res.ok) throw new Error(`ballot: ${res.status} ${await res.text()}`);
            await res.arrayBuffer();
            ballot.push(now() - b0);
          }),
        );
        await new Promise((r) => setTimeout(r, 500)); // the chair looks at the screen before closing
        const c0 = now();
        const close = await fetch(`${base}/votes/${voteId}/close`, { method: 'POST', headers: chair, body: '{}' });
        closeRequest.push(now() - c0);
        if (!close.ok) throw new Error(`close vote: ${close.status} ${await close.text()}`);
        let got: number[] = [];
        const until = Date.now() + 30_000;
        while (Date.now() < until) {
          got = (await ask<{ received: number[] }>({ report: voteId }, (m) => m.report === voteId)).received;
          if (got.length >= opened.ready) break;
          await new Promise((r) => setTimeout(r, 50));
        }
        if (got.length < opened.ready) incomplete += 1;
        const lat = got.map((t) => t - c0).sort((a, b) => a - b);
        perViewer.push(...lat);
        lastViewer.push(lat[lat.length - 1] ?? NaN);
        const tm = liveHub(ctx).resultTimings.find((x) => x.voteId === voteId);
        if (tm) {
          toNotify.push(tm.notified - c0);
          toRead.push(tm.read - tm.notified);
          toWritten.push(tm.written - tm.read);
        }
        env.log(
          `round ${round + 1}: ${got.length}/${opened.ready} viewers had the result; last after ${Math.round(lat[lat.length - 1] ?? NaN)} ms` +
            (tm
              ? ` (close → NOTIFY on the node ${Math.round(tm.notified - c0)} ms, read ${Math.round(tm.read - tm.notified)} ms, written to ${tm.streams} streams ${Math.round(tm.written - tm.read)} ms)`
              : ''),
        );
      }
      lastViewer.sort((a, b) => a - b);
      perViewer.sort((a, b) => a - b);
      closeRequest.sort((a, b) => a - b);
      ballot.sort((a, b) => a - b);
      for (const xs of [toNotify, toRead, toWritten]) xs.sort((a, b) => a - b);
      const r1 = (x: number) => Math.round(x * 10) / 10;
      return {
        metrics: {
          viewers: opened.ready,
          viewersFailed: opened.failed,
          rounds: ROUNDS,
          roundsIncomplete: incomplete,
          lastViewerP50Ms: r1(percentile(lastViewer, 0.5)),
          lastViewerP99Ms: r1(percentile(lastViewer, 0.99)),
          lastViewerMaxMs: r1(lastViewer[lastViewer.length - 1]!),
          perViewerP50Ms: r1(percentile(perViewer, 0.5)),
          perViewerP99Ms: r1(percentile(perViewer, 0.99)),
          closeRequestP50Ms: r1(percentile(closeRequest, 0.5)),
          closeToNotifyP50Ms: r1(percentile(toNotify, 0.5)),
          readResultP50Ms: r1(percentile(toRead, 0.5)),
          writeToAllStreamsP50Ms: r1(percentile(toWritten, 0.5)),
          writeToAllStreamsMaxMs: r1(toWritten[toWritten.length - 1] ?? NaN),
          ballotP50Ms: r1(percentile(ballot, 0.5)),
          ballotP99Ms: r1(percentile(ballot, 0.99)),
          kbPerIdleStreamRss: r1(rssPerStream / 1024),
          kbPerIdleStreamHeap: r1(heapPerStream / 1024),
          insertBaselinePerSecond: env.baseline?.insertsPerSecond ?? NaN,
        },
        targets: [
          { metric: 'lastViewerP99Ms', op: '<', value: 1000 },
          { metric: 'kbPerIdleStreamHeap', op: '<', value: 20 },
        ],
        notes: [
          `${opened.ready} viewers in a separate process on the same machine (${VIEWERS} asked), ${ROUNDS} votes of ${SEATS} members over HTTP`,
          'lastViewer*: per vote, from sending the close request to the last viewer receiving the result event; percentiles over the votes',
          'perViewer*: the same for every viewer and vote; memory: server process after GC, before and after opening the streams (heap = V8 heap used + external; RSS is shown but depends on pages V8 already holds)',
          'closeToNotify: close request sent → NOTIFY at the node (includes the close transaction); readResult: reading the result once; writeToAllStreams: one encoded frame written to every stream',
        ],
      };
    } finally {
      child.send({ close: true });
    }
  },
};
