import { createMetricsRegistry, type MetricsRegistry } from './registry.ts';

/** Latency buckets in seconds: SCIM calls are mostly fast; bulk and large groups are not. */
const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** The reference server's metrics. */
export interface ServerMetrics {
  readonly registry: MetricsRegistry;
  /** Records one finished HTTP request. */
  observeRequest(input: { route: string; method: string; status: number; seconds: number }): void;
  /** Records one request rejected by the rate limiter. */
  rateLimitRejected(): void;
  /** Records one failed call to Redis (by what was being done). */
  redisError(operation: 'rate-limit' | 'event-stream' | 'ping'): void;
}

/**
 * Creates the registry with every metric of the reference server. `backlog` is read on each scrape:
 * the journal events each sink has not yet acknowledged.
 *
 * @example
 * const metrics = createServerMetrics({ backlog: async () => [{ sink: 'redis-stream', events: 0 }] });
 * metrics.observeRequest({ route: '/Users', method: 'GET', status: 200, seconds: 0.004 });
 */
export function createServerMetrics(options: {
  backlog?: () => Promise<Array<{ sink: string; events: number }>>;
}): ServerMetrics {
  const registry = createMetricsRegistry();
  const requests = registry.counter({
    name: 'scim_http_requests_total',
    help: 'HTTP requests by route, method and status code.',
  });
  const latency = registry.histogram({
    name: 'scim_http_request_duration_seconds',
    help: 'HTTP request latency by route and method.',
    buckets: LATENCY_BUCKETS,
  });
  const rejections = registry.counter({
    name: 'scim_rate_limit_rejections_total',
    help: 'Requests rejected with 429 by the rate limiter.',
  });
  rejections.inc({}, 0);
  const redisErrors = registry.counter({
    name: 'scim_redis_errors_total',
    help: 'Failed Redis calls by operation.',
  });
  // One pair of bound series per route, method and status: a request only does a Map lookup.
  const bound = new Map<string, { count: { inc(): void }; latency: { observe(value: number): void } }>();
  const backlog = options.backlog;
  if (backlog) {
    registry.gauge({
      name: 'scim_event_backlog',
      help: 'Journal events not yet delivered, per event sink.',
      collect: async () => (await backlog()).map((b) => ({ labels: { sink: b.sink }, value: b.events })),
    });
  }
  return {
    registry,
    observeRequest({ route, method, status, seconds }) {
      const key = `${route} ${method} ${status}`;
      let series = bound.get(key);
      if (series === undefined) {
        series = {
          count: requests.bind({ route, method, status: String(status) }),
          latency: latency.bind({ route, method }),
        };
        bound.set(key, series);
      }
      series.count.inc();
      series.latency.observe(seconds);
    },
    rateLimitRejected() {
      rejections.inc();
    },
    redisError(operation) {
      redisErrors.inc({ operation });
    },
  };
}
