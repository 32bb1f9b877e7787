export {
  createMetricsRegistry,
  type Counter,
  type GaugeOptions,
  type Histogram,
  type Labels,
  type MetricsRegistry,
  PROMETHEUS_CONTENT_TYPE,
} from './registry.ts';
export { routeLabel } from './route-label.ts';
export { createServerMetrics, type ServerMetrics } from './server-metrics.ts';
