/**
 * STAC-style error bodies: `{"code": "BadRequest", "description": "..."}` (the STAC API / OGC exception
 * shape), plus Explorer's `name` field ("Bad Request"), so clients written against either can read them.
 * Never an HTML page, and bad input is never a 500.
 */
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { GeoCropError, isGeoCropError } from '../../../shared/contract/errors';

/** The body of every error response. */
export interface StacErrorBody {
  code: string;
  name: string;
  description: string;
}

const NAMES: Record<number, [code: string, name: string]> = {
  400: ['BadRequest', 'Bad Request'],
  404: ['NotFound', 'Not Found'],
  405: ['MethodNotAllowed', 'Method Not Allowed'],
  500: ['InternalServerError', 'Internal Server Error'],
};

/** A 400 for a bad request parameter; the message says what is wrong and what is accepted. */
export function badRequest(description: string, details?: Record<string, unknown>): GeoCropError {
  return new GeoCropError('STAC_BAD_PARAMETER', description, details);
}

/** A 404 for an unknown collection or item. */
export function notFound(description: string): GeoCropError {
  return new GeoCropError('STAC_NOT_FOUND', description);
}

/** The JSON error response for a status and description. */
export function errorResponse(c: Context, status: number, description: string): Response {
  const [code, name] = NAMES[status] ?? (status >= 500 ? NAMES[500] : NAMES[400]);
  const body: StacErrorBody = { code, name, description };
  return c.json(body, status as ContentfulStatusCode);
}

/** Hono `onError` for the STAC API: known errors keep their status, anything else is a logged 500. */
export function onStacError(err: Error, c: Context): Response {
  if (isGeoCropError(err)) return errorResponse(c, err.status, err.message);
  if (err instanceof HTTPException) return errorResponse(c, err.status, err.message || 'Request failed');
  console.error('[stac-api] unexpected error', err);
  return errorResponse(c, 500, 'Internal error in the demo STAC API');
}
