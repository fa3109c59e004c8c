// A response before it is written: status, JSON body, extra headers.

export interface Reply {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

const TYPES: Record<number, string> = {
  400: 'bad_parameter_format',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'record_not_found',
  409: 'already_exist',
  422: 'unprocessable_entity',
  429: 'rate_limit',
  500: 'internal_server_error',
  502: 'bad_gateway',
  503: 'service_unavailable',
  504: 'gateway_timeout',
};

/** noCRM's error body (§2.2): `{"error": status, "message": prose, "type": machine code}`. */
export function apiError(
  status: number,
  message: string,
  type = TYPES[status] ?? 'error',
  headers?: Record<string, string>,
): Reply {
  const reply: Reply = { status, body: { error: status, message, type } };
  if (headers) reply.headers = headers;
  return reply;
}

export const ok = (body: unknown, headers?: Record<string, string>): Reply =>
  headers ? { status: 200, body, headers } : { status: 200, body };

export const badParam = (message: string): Reply => apiError(400, message, 'bad_parameter_format');
