// Request context and reply helpers shared by the endpoint modules.

import type { IncomingHttpHeaders } from 'node:http';
import { SfError } from './errors.js';
import type { OrgState } from './state.js';

export interface Ctx {
  state: OrgState;
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: string;
  /** API version without the `v`, e.g. `62.0`, for /services/data/vXX.X/… */
  version: string;
  /** Path below the versioned base, e.g. `/query`. */
  sub: string;
  userId: string;
  kind: string;
  /** Whether this request counted against the daily API limit. */
  counted: boolean;
}

export interface Reply {
  status: number;
  headers?: Record<string, string>;
  body?: string;
}

const JSON_TYPE = 'application/json;charset=UTF-8';

export function json(status: number, value: unknown, headers: Record<string, string> = {}): Reply {
  return { status, headers: { 'Content-Type': JSON_TYPE, ...headers }, body: JSON.stringify(value) };
}

export function csv(status: number, body: string, headers: Record<string, string> = {}): Reply {
  return { status, headers: { 'Content-Type': 'text/csv', ...headers }, body };
}

export function noContent(): Reply {
  return { status: 204 };
}

export function header(ctx: Ctx, name: string): string | undefined {
  const v = ctx.headers[name.toLowerCase()];
  return Array.isArray(v) ? v.join(',') : v;
}

export function methodNotAllowed(ctx: Ctx, allowed: string[]): SfError {
  return new SfError(
    405,
    'METHOD_NOT_ALLOWED',
    `HTTP Method '${ctx.method}' not allowed. Allowed are ${allowed.join(',')}`,
  );
}

/** Parses a JSON request body, answering 400 JSON_PARSER_ERROR like Salesforce when it is not JSON. */
export function jsonBody(ctx: Ctx): unknown {
  const type = header(ctx, 'content-type') ?? '';
  if (ctx.body.trim() === '')
    throw new SfError(
      400,
      'JSON_PARSER_ERROR',
      'The HTTP entity body is required, but this request has no entity body.',
    );
  if (!/json/i.test(type) && type !== '') {
    throw new SfError(
      415,
      'UNSUPPORTED_MEDIA_TYPE',
      `MediaType of '${type}' is not supported by this resource`,
    );
  }
  try {
    return JSON.parse(ctx.body);
  } catch {
    throw new SfError(
      400,
      'JSON_PARSER_ERROR',
      `Unexpected character in request body: ${ctx.body.slice(0, 40)}`,
    );
  }
}

/** The body of a request that carries one sObject's fields. */
export function sObjectBody(ctx: Ctx): Record<string, unknown> {
  const body = jsonBody(ctx);
  if (!isObject(body))
    throw new SfError(
      400,
      'JSON_PARSER_ERROR',
      'Cannot deserialize instance of sObject from a non-object value',
    );
  return body;
}

export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
