import { describe, expect, it } from 'vitest';
import { createMetricsRegistry } from './registry.ts';
import { routeLabel } from './route-label.ts';
import { createServerMetrics } from './server-metrics.ts';

describe('createMetricsRegistry', () => {
  it('bound series add to the same series as labelled calls', async () => {
    const registry = createMetricsRegistry();
    const counter = registry.counter({ name: 'c_total', help: 'C.' });
    const histogram = registry.histogram({ name: 'h_seconds', help: 'H.', buckets: [1] });
    const bound = counter.bind({ b: '2', a: '1' });
    bound.inc();
    bound.inc(4);
    counter.inc({ a: '1', b: '2' });
    const observer = histogram.bind({ r: 'x' });
    observer.observe(0.5);
    histogram.observe({ r: 'x' }, 2);
    const text = await registry.render();
    expect(text).toContain('c_total{b="2",a="1"} 6');
    expect(text).toContain('h_seconds_bucket{r="x",le="1"} 1');
    expect(text).toContain('h_seconds_count{r="x"} 2');
    expect(text).toContain('h_seconds_sum{r="x"} 2.5');
  });

  it('renders counters, cumulative histograms and gauges in the Prometheus text format', async () => {
    const registry = createMetricsRegistry();
    const counter = registry.counter({ name: 'x_total', help: 'Things.' });
    counter.inc({ a: 'one' });
    counter.inc({ a: 'one' }, 2);
    counter.inc({ a: 'say "hi"\n' });
    const histogram = registry.histogram({ name: 'lat_seconds', help: 'Latency.', buckets: [1, 0.1] });
    histogram.observe({ r: '/' }, 0.05);
    histogram.observe({ r: '/' }, 0.5);
    histogram.observe({ r: '/' }, 3);
    registry.gauge({
      name: 'backlog',
      help: 'Backlog.',
      collect: () => [{ labels: { sink: 's' }, value: 7 }],
    });
    registry.gauge({
      name: 'broken',
      help: 'Cannot be read.',
      collect: () => {
        throw new Error('down');
      },
    });
    expect(await registry.render()).toBe(
      [
        '# HELP x_total Things.',
        '# TYPE x_total counter',
        'x_total{a="one"} 3',
        'x_total{a="say \\"hi\\"\\n"} 1',
        '# HELP lat_seconds Latency.',
        '# TYPE lat_seconds histogram',
        'lat_seconds_bucket{r="/",le="0.1"} 1',
        'lat_seconds_bucket{r="/",le="1"} 2',
        'lat_seconds_bucket{r="/",le="+Inf"} 3',
        'lat_seconds_sum{r="/"} 3.55',
        'lat_seconds_count{r="/"} 3',
        '# HELP backlog Backlog.',
        '# TYPE backlog gauge',
        'backlog{sink="s"} 7',
        '# HELP broken Cannot be read.',
        '# TYPE broken gauge',
        '',
      ].join('\n'),
    );
  });

  it('counts a label set as one series whatever the order of its names, and keeps look-alike values apart', async () => {
    const registry = createMetricsRegistry();
    const counter = registry.counter({ name: 'y_total', help: 'Things.' });
    counter.inc({ a: '1', b: '2' });
    counter.inc({ b: '2', a: '1' });
    // A value that spells out another label must not land in that label set's series.
    counter.inc({ a: '1;b=1:2' });
    counter.inc({ a: '1', b: '2;' });
    const lines = (await registry.render()).split('\n').filter((line) => line.startsWith('y_total'));
    expect(lines).toEqual(['y_total{a="1",b="2"} 2', 'y_total{a="1;b=1:2"} 1', 'y_total{a="1",b="2;"} 1']);
  });

  it('refuses invalid and duplicate names', () => {
    const registry = createMetricsRegistry();
    registry.counter({ name: 'a_total', help: '' });
    expect(() => registry.counter({ name: 'a_total', help: '' })).toThrow(/already exists/);
    expect(() => registry.counter({ name: 'a-b', help: '' })).toThrow(/invalid metric name/);
  });
});

describe('createServerMetrics', () => {
  it('exposes requests by route and status, latency, rejections and backlog', async () => {
    const metrics = createServerMetrics({
      backlog: async () => [{ sink: 'redis-stream:scim:events', events: 4 }],
    });
    metrics.observeRequest({ route: '/Users/{id}', method: 'GET', status: 404, seconds: 0.002 });
    metrics.rateLimitRejected();
    const text = await metrics.registry.render();
    expect(text).toContain('scim_http_requests_total{route="/Users/{id}",method="GET",status="404"} 1');
    expect(text).toContain(
      'scim_http_request_duration_seconds_bucket{route="/Users/{id}",method="GET",le="0.005"} 1',
    );
    expect(text).toContain('scim_rate_limit_rejections_total 1');
    expect(text).toContain('scim_event_backlog{sink="redis-stream:scim:events"} 4');
  });
});

describe('routeLabel', () => {
  it('keeps the label set bounded', () => {
    const base = '/scim/v2';
    expect(routeLabel('/scim/v2/Users', base)).toBe('/Users');
    expect(routeLabel('/scim/v2/Users/abc?x=1', base)).toBe('/Users/{id}');
    expect(routeLabel('/scim/v2/Groups/.search', base)).toBe('/Groups/.search');
    expect(routeLabel('/scim/v2/Schemas/urn:ietf:params:scim:schemas:core:2.0:User', base)).toBe(
      '/Schemas/{id}',
    );
    expect(routeLabel('/scim/v2/Users/abc/def', base)).toBe('other');
    expect(routeLabel('/scim/v2/Nope/1', base)).toBe('other');
    expect(routeLabel('/wp-login.php', base)).toBe('other');
    expect(routeLabel('/metrics', base)).toBe('/metrics');
    expect(routeLabel('/admin/api/tenants', base)).toBe('/admin');
  });
});
