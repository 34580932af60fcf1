import client from 'prom-client';

/**
 * Process-wide Prometheus metrics (prom-client). Counters and histograms live in one registry per
 * process; what belongs to one app context (its pools, its queue) is read at scrape time by the
 * collectors registered with `perContextRegistry` in `routes.ts`. Names follow Prometheus
 * conventions: `kov_` prefix, base units (seconds), `_total` for counters.
 */
export const registry = new client.Registry();
client.collectDefaultMetrics({ register: registry });

export const httpRequests = new client.Counter({
  name: 'kov_http_requests_total',
  help: 'HTTP requests answered, by method, route pattern and status code',
  labelNames: ['method', 'route', 'status'] as const,
  registers: [registry],
});

export const httpDuration = new client.Histogram({
  name: 'kov_http_request_duration_seconds',
  help: 'Time to answer an HTTP request, by method and route pattern',
  labelNames: ['method', 'route'] as const,
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  registers: [registry],
});

export const httpInFlight = new client.Gauge({
  name: 'kov_http_requests_in_flight',
  help: 'HTTP requests being handled now',
  registers: [registry],
});

export const problems = new client.Counter({
  name: 'kov_http_problems_total',
  help: 'Error answers (application/problem+json) by problem type and status',
  labelNames: ['type', 'status'] as const,
  registers: [registry],
});

/** Business events counted when a route that declares `config.countAs` answers 2xx (casts, reports, …). */
export const businessEvents = new client.Counter({
  name: 'kov_business_events_total',
  help: 'Acknowledged business writes (2xx answers) by kind: ballot casts, report intake, council votes',
  labelNames: ['event'] as const,
  registers: [registry],
});

export const sseConnections = new client.Gauge({
  name: 'kov_sse_connections',
  help: 'Server-Sent Events streams open on this node',
  registers: [registry],
});

export const outboundDuration = new client.Histogram({
  name: 'kov_outbound_call_duration_seconds',
  help: 'Calls to outside systems (TARA, the population register over X-Road) by system, operation and outcome',
  labelNames: ['system', 'operation', 'outcome'] as const,
  buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
  registers: [registry],
});

/** Times a call to an outside system; the outcome is `ok` or `error`. */
export async function timeOutbound<T>(system: string, operation: string, fn: () => Promise<T>): Promise<T> {
  const end = outboundDuration.startTimer({ system, operation });
  try {
    const result = await fn();
    end({ outcome: 'ok' });
    return result;
  } catch (err) {
    end({ outcome: 'error' });
    throw err;
  }
}

export { client as promClient };
