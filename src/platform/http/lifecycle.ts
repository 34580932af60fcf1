import { sseConnections } from '../metrics/metrics';

/**
 * A node's way out: on SIGTERM it first says so (`/readyz` answers 503 "draining", every answer
 * closes its connection so that the proxy opens new ones to other nodes), then closes its event
 * streams with a short retry hint (browsers reconnect, through the proxy, to another node), and
 * then stops taking connections while the requests in flight finish.
 */
export interface EventStreamHandle {
  /** Ends the stream after telling the browser to reconnect in `retryMs`. */
  closeForRestart(retryMs: number): void;
}

export interface Lifecycle {
  readonly draining: boolean;
  /** Streams open now (for the gauge and the drain). */
  readonly streams: ReadonlySet<EventStreamHandle>;
  track(stream: EventStreamHandle): () => void;
  /** Starts draining and closes every open stream. */
  drain(retryMs?: number): void;
}

export function createLifecycle(): Lifecycle {
  const streams = new Set<EventStreamHandle>();
  let draining = false;
  return {
    get draining() {
      return draining;
    },
    streams,
    track(stream) {
      streams.add(stream);
      sseConnections.inc();
      return () => {
        if (streams.delete(stream)) sseConnections.dec();
      };
    },
    drain(retryMs = 1000) {
      draining = true;
      for (const s of [...streams]) s.closeForRestart(retryMs);
    },
  };
}
