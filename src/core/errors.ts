/** The closed set of error codes the HTTP API and the CLI report. */
export type ErrorCode =
  | 'bad_request'
  | 'invalid_json'
  | 'invalid_payload'
  | 'invalid_parameter'
  | 'unauthorized'
  | 'invalid_signature'
  | 'missing_signature'
  | 'invalid_token'
  | 'not_found'
  | 'unknown_metric'
  | 'conflict'
  | 'unknown_source'
  | 'unsupported_media_type'
  | 'payload_too_large'
  | 'method_not_allowed'
  | 'database_unavailable'
  | 'internal';

export interface ApiError {
  code: ErrorCode;
  message: string;
}

/** An expected failure carried to the edge (HTTP status + code + message). */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'HttpError';
  }

  toBody(): { error: ApiError } {
    return { error: { code: this.code, message: this.message } };
  }
}

/** Every unknown `catch` goes through here: whatever was thrown becomes an Error. */
export function coerceError(thrown: unknown): Error {
  if (thrown instanceof Error) return thrown;
  if (typeof thrown === 'string') return new Error(thrown);
  try {
    return new Error(JSON.stringify(thrown));
  } catch {
    return new Error(String(thrown));
  }
}
