import pg from 'pg';
import { sql } from 'kysely';
import type { Logger } from 'pino';
import type { Trx } from '../db/database';

/**
 * Live events fanned out through PostgreSQL LISTEN/NOTIFY, so that a browser connected to one
 * app node sees what happened on another. One listening connection per node; payloads are small
 * (ids and states, under NOTIFY's 8,000-byte limit); subscribers re-read details if they need more.
 */
export const EVENTS_CHANNEL = 'kov_events';

export type Listener = (payload: Record<string, unknown>) => void;

export interface Events {
  /** Publishes now (outside any transaction). */
  publish(topic: string, payload: Record<string, unknown>): Promise<void>;
  /** Publishes when the transaction commits, and not at all if it rolls back. */
  publishInTx(trx: Trx, topic: string, payload: Record<string, unknown>): Promise<void>;
  subscribe(topic: string, listener: Listener): () => void;
  /**
   * Called after the listening connection was lost and is back: events published meanwhile were
   * missed, so live views should re-read their state.
   */
  onReconnect(fn: () => void): () => void;
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Local subscribers, for metrics and tests. */
  listenerCount(topic?: string): number;
}

export function createEvents(appPool: pg.Pool, listenUrl: string, log: Logger): Events {
  const topics = new Map<string, Set<Listener>>();
  let client: pg.Client | undefined;
  let stopped = false;
  let retry: NodeJS.Timeout | undefined;
  let everConnected = false;
  const reconnectListeners = new Set<() => void>();

  const dispatch = (msg: pg.Notification) => {
    if (msg.channel !== EVENTS_CHANNEL || !msg.payload) return;
    let parsed: { t: string; p: Record<string, unknown> };
    try {
      parsed = JSON.parse(msg.payload);
    } catch {
      return;
    }
    const set = topics.get(parsed.t);
    if (!set) return;
    for (const l of set) {
      try {
        l(parsed.p);
      } catch (err) {
        log.error({ err, topic: parsed.t }, 'event listener failed');
      }
    }
  };

  const connect = async (): Promise<void> => {
    const c = new pg.Client({ connectionString: listenUrl, application_name: 'kov-events' });
    c.on('notification', dispatch);
    c.on('error', (err) => {
      log.warn({ err }, 'event listener connection lost; reconnecting');
      c.end().catch(() => {});
      if (!stopped) scheduleReconnect();
    });
    await c.connect();
    await c.query(`LISTEN ${EVENTS_CHANNEL}`);
    client = c;
    if (everConnected) {
      for (const fn of reconnectListeners) {
        try {
          fn();
        } catch (err) {
          log.error({ err }, 'reconnect listener failed');
        }
      }
    }
    everConnected = true;
  };

  // Keep trying (every second) until the database answers again.
  const scheduleReconnect = () => {
    retry = setTimeout(() => {
      connect().catch(() => {
        if (!stopped) scheduleReconnect();
      });
    }, 1000);
  };

  const encode = (topic: string, payload: Record<string, unknown>) => {
    const text = JSON.stringify({ t: topic, p: payload });
    if (Buffer.byteLength(text) > 7900) throw new Error(`event ${topic} payload too large for NOTIFY`);
    return text;
  };

  return {
    async publish(topic, payload) {
      await appPool.query('SELECT pg_notify($1, $2)', [EVENTS_CHANNEL, encode(topic, payload)]);
    },
    async publishInTx(trx, topic, payload) {
      await sql`SELECT pg_notify(${EVENTS_CHANNEL}, ${encode(topic, payload)})`.execute(trx);
    },
    subscribe(topic, listener) {
      let set = topics.get(topic);
      if (!set) topics.set(topic, (set = new Set()));
      set.add(listener);
      return () => {
        set!.delete(listener);
        if (set!.size === 0) topics.delete(topic);
      };
    },
    onReconnect(fn) {
      reconnectListeners.add(fn);
      return () => reconnectListeners.delete(fn);
    },
    async start() {
      stopped = false;
      await connect();
    },
    async stop() {
      stopped = true;
      if (retry) clearTimeout(retry);
      await client?.end().catch(() => {});
      client = undefined;
    },
    listenerCount(topic) {
      if (topic) return topics.get(topic)?.size ?? 0;
      let n = 0;
      for (const s of topics.values()) n += s.size;
      return n;
    },
  };
}
