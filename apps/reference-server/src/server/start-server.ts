import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  createEventDispatcher,
  createMemoryRateLimiter,
  createScimServer,
  type EventSink,
  type RateLimiter,
  type ScimServer,
  toNodeListener,
} from '@scim/server';
import pino, { type Logger } from 'pino';
import type { ServerConfig, StoreConfig } from '../config/index.ts';
import { createServerMetrics, PROMETHEUS_CONTENT_TYPE, routeLabel } from '../metrics/index.ts';
import { bootstrapDefaultTenant } from './bootstrap.ts';
import { type OpenedStore, openStore as defaultOpenStore } from './open-store.ts';
import type { RedisConnection } from './redis-connection.ts';

/** A running reference server. */
export interface RunningServer {
  /** The port actually listened on. */
  port: number;
  /** The SCIM base URL, e.g. http://localhost:8080/scim/v2. */
  baseUrl: string;
  store: OpenedStore['store'];
  logger: Logger;
  /** Readiness: the store and (when configured) Redis answer. */
  readiness(): Promise<{ ready: boolean; checks: Record<string, string> }>;
  /**
   * Graceful shutdown: stops accepting connections, finishes in-flight requests (up to the
   * configured timeout), flushes event delivery, then closes Redis and the store.
   */
  close(): Promise<void>;
}

/** Inputs of {@link startServer} besides the configuration. */
export interface StartServerOptions {
  /** @default a pino logger at the configured level on stdout */
  logger?: Logger;
  openStore?: (config: StoreConfig) => Promise<OpenedStore>;
  /** Where the first-start banner (base URL and token) goes. @default process.stdout */
  print?: (text: string) => void;
  /**
   * Extra routes served before SCIM (the admin API and page mount here). Return true when handled.
   */
  routes?: (req: IncomingMessage, res: ServerResponse, server: RunningServer) => Promise<boolean> | boolean;
}

const CHECK_TIMEOUT_MS = 1000;

/** When a response's request arrived (performance.now()), for the latency metric. */
const STARTED = Symbol('scim.requestStarted');

/**
 * Starts the reference server: opens the store, bootstraps the default tenant, connects Redis when
 * configured (shared rate limit and event stream), and serves SCIM, /healthz, /readyz and /metrics.
 *
 * @example
 * const server = await startServer(loadConfig());
 * process.once('SIGTERM', () => server.close());
 */
export async function startServer(
  config: ServerConfig,
  options: StartServerOptions = {},
): Promise<RunningServer> {
  const logger =
    options.logger ??
    pino(
      { level: config.logLevel, base: { service: 'scim-reference-server' } },
      // Synchronous writes: pino's default asynchronous stdout flushes synchronously at exit and
      // retries a broken pipe forever there, so `pnpm start | pino-pretty` stopped with Ctrl-C never
      // exited. Synchronously, a broken pipe is noticed at once and later lines are dropped.
      pino.destination({ dest: 1, sync: true }),
    );
  const print = options.print ?? ((text: string) => process.stdout.write(`${text}\n`));
  const opened = await (options.openStore ?? defaultOpenStore)(config.store);
  const { store } = opened;
  logger.info({ store: opened.description }, 'store opened');

  let redis: RedisConnection | undefined;
  const sinks: EventSink[] = [];
  const metrics = createServerMetrics({
    backlog: async () => {
      const counts = await dispatcher.backlog();
      return Object.entries(counts).map(([sink, events]) => ({ sink, events }));
    },
  });

  let limiter: RateLimiter | undefined;
  // Loaded only when configured: a deployment without Redis never loads ioredis (memory, start-up).
  let redisModule: typeof import('@scim/redis') | undefined;
  if (config.redisUrl) {
    const [{ connectRedis }, loaded] = await Promise.all([
      import('./redis-connection.ts'),
      import('@scim/redis'),
    ]);
    redisModule = loaded;
    redis = connectRedis(config.redisUrl, logger);
    const { redisStreamSink } = loaded;
    sinks.push(redisStreamSink({ client: redis.client, stream: config.eventStream, maxLen: 1_000_000 }));
  }
  if (config.rateLimit !== false) {
    const { limit, windowMs } = config.rateLimit;
    const inner =
      redis && redisModule
        ? redisModule.createRedisRateLimiter({
            client: redis.client,
            limit,
            windowMs,
            failMode: config.rateLimitFail,
            onError: () => metrics.redisError('rate-limit'),
          })
        : createMemoryRateLimiter({ limit, windowMs });
    limiter = {
      async consume(key) {
        const result = await inner.consume(key);
        if (!result.allowed) metrics.rateLimitRejected();
        return result;
      },
    };
  }

  const dispatcher = createEventDispatcher({ store, sinks, logger, pollIntervalMs: 500 });
  if (sinks.length > 0) dispatcher.start();

  let scim: ScimServer | undefined;
  let listener: ((req: IncomingMessage, res: ServerResponse) => void) | undefined;
  let shuttingDown = false;
  let running: RunningServer | undefined;

  const readiness = async () => {
    const checks: Record<string, string> = {};
    const check = async (name: string, fn: () => Promise<void>) => {
      let timer: NodeJS.Timeout | undefined;
      try {
        await Promise.race([
          fn(),
          new Promise((_, reject) => {
            timer = setTimeout(
              () => reject(new Error(`no answer within ${CHECK_TIMEOUT_MS} ms`)),
              CHECK_TIMEOUT_MS,
            );
          }),
        ]);
        checks[name] = 'ok';
      } catch (error) {
        checks[name] = `unavailable: ${(error as Error).message}`;
      } finally {
        clearTimeout(timer);
      }
    };
    await Promise.all([
      check('store', () => store.ping()),
      ...(redis ? [check('redis', () => redis!.ping(CHECK_TIMEOUT_MS))] : []),
    ]);
    // Not ready until start-up has finished (the default tenant and SCIM_BOOTSTRAP_TOKEN exist), so a
    // script that waits for /readyz can use the bootstrap token at once.
    if (!running) checks.server = 'starting';
    if (shuttingDown) checks.server = 'shutting down';
    return {
      ready: running !== undefined && !shuttingDown && Object.values(checks).every((v) => v === 'ok'),
      checks,
    };
  };

  const json = (res: ServerResponse, status: number, body: unknown) => {
    const text = JSON.stringify(body);
    res.writeHead(status, {
      'content-type': 'application/json; charset=utf-8',
      'content-length': Buffer.byteLength(text),
    });
    res.end(text);
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    if (req.method === 'GET' && path === '/healthz') return json(res, 200, { status: 'ok' });
    if (req.method === 'GET' && path === '/readyz') {
      const result = await readiness();
      return json(res, result.ready ? 200 : 503, {
        status: result.ready ? 'ready' : 'not ready',
        checks: result.checks,
      });
    }
    if (req.method === 'GET' && path === '/metrics') {
      const text = await metrics.registry.render();
      res.writeHead(200, { 'content-type': PROMETHEUS_CONTENT_TYPE });
      return void res.end(text);
    }
    if (options.routes && running) {
      const handled = options.routes(req, res, running);
      if (handled === true || (handled !== false && (await handled))) return;
    }
    if (listener && (path === config.basePath || path.startsWith(`${config.basePath}/`)))
      return listener(req, res);
    json(res, 404, { status: 404, detail: `Nothing here. The SCIM API is at ${config.basePath}` });
  };

  // One handler for every response (a response finishes once): no closure and no `once` wrapper
  // per request. The start time rides on the response.
  function observeFinished(this: ServerResponse & { [STARTED]?: number }) {
    const req = this.req;
    metrics.observeRequest({
      route: routeLabel(req.url ?? '/', config.basePath),
      method: req.method ?? 'GET',
      status: this.statusCode,
      seconds: (performance.now() - (this[STARTED] ?? performance.now())) / 1000,
    });
  }

  const http: Server = createServer((req, res: ServerResponse & { [STARTED]?: number }) => {
    res[STARTED] = performance.now();
    res.on('finish', observeFinished);
    if (shuttingDown) res.setHeader('connection', 'close');
    handle(req, res).catch((error: unknown) => {
      logger.error({ err: error, url: req.url }, 'request failed');
      if (!res.headersSent) json(res, 500, { status: 500, detail: 'Internal server error' });
      else res.destroy();
    });
  });

  try {
    await new Promise<void>((resolve, reject) => {
      http.once('error', reject);
      http.listen(config.port, config.host, () => {
        http.off('error', reject);
        resolve();
      });
    });
  } catch (error) {
    await redis?.close();
    await opened.close();
    throw error;
  }
  const port = (http.address() as AddressInfo).port;
  const baseUrl = `${config.publicUrl ?? `http://localhost:${port}`}${config.basePath}`;

  scim = createScimServer({
    store,
    baseUrl,
    logger,
    rateLimit: limiter ? { limiter } : false,
    // Delivery runs in our dispatcher (so /metrics can show its backlog); each commit nudges it.
    // onCommit reads nothing back: an onEvent callback would make the SCIM server run a second
    // dispatcher that re-reads the journal and writes a sink position after every commit.
    events: { onCommit: () => dispatcher.nudge() },
    // A group PATCH answers 204 (RFC 7644 3.5.2 allows it; Okta and Entra ID accept it): a 200 would
    // carry every member, so one member added to a 100k-member group would cost a full read.
    policies: {
      userDelete: config.userDelete,
      jitLink: config.jitLink,
      groupPatchResponse: 'no-content',
      passwords: config.passwords,
    },
  });
  listener = toNodeListener(scim, { basePath: config.basePath });

  const boot = await bootstrapDefaultTenant(store, {
    tenantId: config.defaultTenant,
    ...(config.bootstrapToken ? { bootstrapToken: config.bootstrapToken } : {}),
  });
  if (boot.createdTenant || boot.bootstrapTokenAdded) {
    print(`SCIM base URL: ${baseUrl}`);
    if (boot.printToken) {
      print(
        `Bearer token for tenant '${config.defaultTenant}' (shown once, stored only as a hash):\n\n  ${boot.printToken}\n`,
      );
    } else if (boot.bootstrapTokenAdded) {
      print(`Tenant '${config.defaultTenant}' accepts the token from SCIM_BOOTSTRAP_TOKEN.`);
    }
  }
  logger.info(
    {
      port,
      baseUrl,
      redis: Boolean(redis),
      rateLimit: config.rateLimit,
      rateLimitFail: config.rateLimitFail,
    },
    'SCIM server listening',
  );

  let closing: Promise<void> | undefined;
  running = {
    port,
    baseUrl,
    store,
    logger,
    readiness,
    close() {
      closing ??= (async () => {
        shuttingDown = true;
        logger.info('shutting down: finishing in-flight requests');
        const closed = new Promise<void>((resolve) => http.close(() => resolve()));
        http.closeIdleConnections();
        let timer: NodeJS.Timeout | undefined;
        const timedOut = new Promise<'timeout'>((resolve) => {
          timer = setTimeout(() => resolve('timeout'), config.shutdownTimeoutMs);
        });
        if ((await Promise.race([closed, timedOut])) === 'timeout') {
          logger.warn(
            { timeoutMs: config.shutdownTimeoutMs },
            'in-flight requests did not finish in time; closing connections',
          );
          http.closeAllConnections();
          await closed;
        }
        clearTimeout(timer);
        await scim?.close();
        await dispatcher.stop();
        await redis?.close();
        await opened.close();
        logger.info('stopped');
      })();
      return closing;
    },
  };
  return running;
}
