import { createHmac } from 'node:crypto';
import type { EventSink } from './types.js';

/** Options of `webhookSink`. */
export interface WebhookSinkOptions {
  name: string;
  url: string;
  /** Key of the HMAC-SHA256 signature. */
  secret: string;
  /** @default 10000 */
  timeoutMs?: number;
  /** @default globalThis.fetch */
  fetch?: typeof fetch;
  /** @default () => new Date() */
  now?: () => Date;
}

/** The header carrying `t=<unix seconds>,v1=<hex hmac>`. */
export const WEBHOOK_SIGNATURE_HEADER = 'x-scim-signature';

/** Computes the signature of a webhook body: HMAC-SHA256 over `<timestamp>.<body>`. */
export function signWebhook(secret: string, timestamp: number, body: string): string {
  return createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
}

/**
 * A sink that POSTs each batch as JSON `{ "events": [...] }` to a URL, signed with
 * `x-scim-signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">`. Any non-2xx answer
 * or network error makes the batch be offered again.
 *
 * @example
 * const sink = webhookSink({ name: 'audit', url: 'https://hooks.example.com/scim', secret: process.env.HOOK_SECRET! });
 */
export function webhookSink(options: WebhookSinkOptions): EventSink {
  const doFetch = options.fetch ?? globalThis.fetch;
  const now = options.now ?? (() => new Date());
  return {
    name: options.name,
    async deliver(events) {
      const body = JSON.stringify({ events });
      const timestamp = Math.floor(now().getTime() / 1000);
      const signature = signWebhook(options.secret, timestamp, body);
      const response = await doFetch(options.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          [WEBHOOK_SIGNATURE_HEADER]: `t=${timestamp},v1=${signature}`,
        },
        body,
        signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
      });
      await response.arrayBuffer().catch(() => undefined);
      if (!response.ok) throw new Error(`Webhook ${options.name} answered ${response.status}`);
    },
  };
}
