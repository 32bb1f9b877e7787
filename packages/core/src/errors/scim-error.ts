/** The `scimType` values of RFC 7644 section 3.12, plus RFC 9865's cursor errors. */
export type ScimErrorType =
  | 'invalidFilter'
  | 'tooMany'
  | 'uniqueness'
  | 'mutability'
  | 'invalidSyntax'
  | 'invalidPath'
  | 'noTarget'
  | 'invalidValue'
  | 'invalidVers'
  | 'sensitive'
  | 'invalidCursor'
  | 'expiredCursor';

/** The schema URN of a SCIM error response. */
export const ERROR_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:Error';

/** The JSON form of a SCIM error (RFC 7644 3.12). `status` is a string, as the RFC shows. */
export interface ScimErrorJson {
  schemas: [typeof ERROR_SCHEMA];
  status: string;
  scimType?: ScimErrorType;
  detail: string;
}

/**
 * A protocol error that a client caused or must see: it carries the HTTP status, the RFC 7644
 * `scimType` where one applies, and a detail that tells the caller what to fix.
 *
 * @example
 * throw new ScimError(400, 'invalidFilter', 'Expected an operator after "userName" at position 9');
 */
export class ScimError extends Error {
  override readonly name = 'ScimError';
  readonly status: number;
  readonly scimType: ScimErrorType | undefined;
  readonly detail: string;
  /** Extra response headers the HTTP layer should send (for example `Retry-After`). */
  readonly headers: Readonly<Record<string, string>> | undefined;

  constructor(
    status: number,
    scimType: ScimErrorType | undefined,
    detail: string,
    options?: { cause?: unknown; headers?: Record<string, string> },
  ) {
    super(detail, options?.cause === undefined ? undefined : { cause: options.cause });
    this.status = status;
    this.scimType = scimType;
    this.detail = detail;
    this.headers = options?.headers;
  }

  /** The exact JSON body of RFC 7644 3.12. */
  toJSON(): ScimErrorJson {
    const body: ScimErrorJson = { schemas: [ERROR_SCHEMA], status: String(this.status), detail: this.detail };
    if (this.scimType !== undefined) body.scimType = this.scimType;
    return body;
  }
}

/** True for a `ScimError`, recognised by `name` so that copies of the package interoperate. */
export function isScimError(error: unknown): error is ScimError {
  return typeof error === 'object' && error !== null && (error as { name?: unknown }).name === 'ScimError';
}
