/** Label names and values of one series. */
export type Labels = Record<string, string>;

/** A monotonically increasing count, per label set. */
export interface Counter {
  inc(labels?: Labels, by?: number): void;
  /** The series of one label set, to increment without looking it up again (for hot paths). */
  bind(labels: Labels): { inc(by?: number): void };
}

/** A distribution over fixed buckets, per label set. */
export interface Histogram {
  observe(labels: Labels, value: number): void;
  /** The series of one label set, to observe without looking it up again (for hot paths). */
  bind(labels: Labels): { observe(value: number): void };
}

/** A value read when the metrics are scraped. */
export interface GaugeOptions {
  name: string;
  help: string;
  /** Returns the current series; called on every scrape, failures leave the gauge out. */
  collect: () =>
    | Promise<Array<{ labels?: Labels; value: number }>>
    | Array<{ labels?: Labels; value: number }>;
}

/** A set of metrics rendered in the Prometheus text exposition format (version 0.0.4). */
export interface MetricsRegistry {
  counter(options: { name: string; help: string }): Counter;
  histogram(options: { name: string; help: string; buckets: number[] }): Histogram;
  gauge(options: GaugeOptions): void;
  /** The exposition text, ending with a newline. */
  render(): Promise<string>;
}

/** The content type of {@link MetricsRegistry.render}'s output. */
export const PROMETHEUS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

interface Family {
  name: string;
  help: string;
  type: 'counter' | 'histogram' | 'gauge';
  lines(): Promise<string[]> | string[];
}

/**
 * A small metrics registry with no dependency: counters, histograms and scrape-time gauges,
 * rendered by hand in the Prometheus text format.
 *
 * @example
 * const registry = createMetricsRegistry();
 * const requests = registry.counter({ name: 'app_requests_total', help: 'Requests.' });
 * requests.inc({ status: '200' });
 * console.log(await registry.render());
 */
export function createMetricsRegistry(): MetricsRegistry {
  const families: Family[] = [];
  const register = (family: Family) => {
    if (!/^[a-zA-Z_:][a-zA-Z0-9_:]*$/.test(family.name))
      throw new TypeError(`invalid metric name ${family.name}`);
    if (families.some((f) => f.name === family.name))
      throw new TypeError(`metric ${family.name} already exists`);
    families.push(family);
  };

  return {
    counter({ name, help }) {
      const series = new Map<string, { labels: Labels; value: number }>();
      register({
        name,
        help,
        type: 'counter',
        lines: () =>
          [...series.values()].map((s) => `${name}${formatLabels(s.labels)} ${formatNumber(s.value)}`),
      });
      const entryOf = (labels: Labels) => {
        const key = labelKey(labels);
        let entry = series.get(key);
        if (!entry) {
          entry = { labels, value: 0 };
          series.set(key, entry);
        }
        return entry;
      };
      return {
        inc(labels = {}, by = 1) {
          entryOf(labels).value += by;
        },
        bind(labels) {
          const entry = entryOf(labels);
          return {
            inc(by = 1) {
              entry.value += by;
            },
          };
        },
      };
    },

    histogram({ name, help, buckets }) {
      const bounds = [...buckets].sort((a, b) => a - b);
      const series = new Map<string, { labels: Labels; counts: number[]; sum: number; count: number }>();
      register({
        name,
        help,
        type: 'histogram',
        lines: () =>
          [...series.values()].flatMap((s) => [
            ...bounds.map(
              (bound, i) =>
                `${name}_bucket${formatLabels({ ...s.labels, le: formatNumber(bound) })} ${s.counts[i]}`,
            ),
            `${name}_bucket${formatLabels({ ...s.labels, le: '+Inf' })} ${s.count}`,
            `${name}_sum${formatLabels(s.labels)} ${formatNumber(s.sum)}`,
            `${name}_count${formatLabels(s.labels)} ${s.count}`,
          ]),
      });
      const entryOf = (labels: Labels) => {
        const key = labelKey(labels);
        let entry = series.get(key);
        if (!entry) {
          entry = { labels, counts: bounds.map(() => 0), sum: 0, count: 0 };
          series.set(key, entry);
        }
        return entry;
      };
      const record = (entry: { counts: number[]; sum: number; count: number }, value: number) => {
        // Buckets are cumulative: a value counts in every bucket whose bound is >= value.
        for (let i = 0; i < bounds.length; i++) if (value <= bounds[i]!) entry.counts[i]! += 1;
        entry.sum += value;
        entry.count += 1;
      };
      return {
        observe(labels, value) {
          record(entryOf(labels), value);
        },
        bind(labels) {
          const entry = entryOf(labels);
          return {
            observe(value) {
              record(entry, value);
            },
          };
        },
      };
    },

    gauge({ name, help, collect }) {
      register({
        name,
        help,
        type: 'gauge',
        async lines() {
          try {
            const values = await collect();
            return values.map((v) => `${name}${formatLabels(v.labels ?? {})} ${formatNumber(v.value)}`);
          } catch {
            // A gauge that cannot be read now (store down) is left out rather than failing the scrape.
            return [];
          }
        },
      });
    },

    async render() {
      const out: string[] = [];
      for (const family of families) {
        out.push(`# HELP ${family.name} ${family.help.replace(/\\/g, '\\\\').replace(/\n/g, '\\n')}`);
        out.push(`# TYPE ${family.name} ${family.type}`);
        out.push(...(await family.lines()));
      }
      return `${out.join('\n')}\n`;
    },
  };
}

/**
 * The series key of a label set: names in code-unit order, each value length-prefixed so no value
 * can imitate another label. Runs on every request, so it avoids JSON and locale comparison.
 */
function labelKey(labels: Labels): string {
  const names = Object.keys(labels);
  if (names.length > 1) names.sort();
  let key = '';
  for (const name of names) {
    const value = labels[name]!;
    key += `${name}=${value.length}:${value};`;
  }
  return key;
}

function formatLabels(labels: Labels): string {
  const entries = Object.entries(labels);
  if (entries.length === 0) return '';
  const body = entries
    .map(([k, v]) => `${k}="${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`)
    .join(',');
  return `{${body}}`;
}

function formatNumber(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Number.POSITIVE_INFINITY) return '+Inf';
  if (value === Number.NEGATIVE_INFINITY) return '-Inf';
  return String(value);
}
