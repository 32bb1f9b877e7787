export { createScimServer, DEFAULT_LIMITS } from './server.js';
export type {
  MeContext,
  Principal,
  ScimAuthOptions,
  ScimEventOptions,
  ScimLimits,
  ScimPolicies,
  ScimRateLimitOptions,
  ScimRequest,
  ScimRequestBody,
  ScimResponse,
  ScimServer,
  ScimServerOptions,
} from './types.js';
export { toNodeListener, type NodeAdapterOptions } from './adapters/node.js';
export { toFetchHandler, type FetchAdapterOptions } from './adapters/fetch.js';
export {
  expressMiddleware,
  type ExpressLikeMiddleware,
  type ExpressLikeRequest,
} from './adapters/express.js';
export { fastifyPlugin, type FastifyLikeInstance, type FastifyLikePlugin } from './adapters/fastify.js';
export { hashSecret, generateSecret } from './auth/secrets.js';
export { hashPassword, verifyPassword } from './passwords/hash-password.js';
export {
  issueBasicCredential,
  issueToken,
  revokeToken,
  rotateToken,
  type IssueBasicCredentialOptions,
  type IssuedToken,
  type IssueTokenOptions,
  type RotateTokenOptions,
} from './auth/tokens.js';
export type { JwtAuthOptions } from './auth/jwt.js';
export { createMemoryRateLimiter, type MemoryRateLimiterOptions } from './rate-limit/memory-rate-limiter.js';
export type { RateLimiter, RateLimitResult } from './rate-limit/types.js';
export type { EventSink } from './events/types.js';
export { callbackSink } from './events/callback-sink.js';
export {
  signWebhook,
  WEBHOOK_SIGNATURE_HEADER,
  webhookSink,
  type WebhookSinkOptions,
} from './events/webhook-sink.js';
export {
  createEventDispatcher,
  type EventDispatcher,
  type EventDispatcherOptions,
} from './events/dispatcher.js';
export { explainAccess } from './protocol/access.js';
export { errorToResponse } from './http/error-response.js';
export { REDACT_PATHS } from './logging/logger.js';
export { timeOrderedId } from './ids/time-ordered-id.js';
