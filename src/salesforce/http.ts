/**
 * Every REST and Bulk 2.0 call goes through `Channel.call`. It uses jsforce's HttpApi, the class behind
 * `conn.request`, because `conn.request` hides the response headers and Bulk 2.0 query paging needs
 * `Sforce-Locator`. HttpApi keeps jsforce's auth header, 401 → refresh delegate (capped in
 * auth.ts) and error parsing; the adapter adds counting, timeouts and its own retries.
 */
import type { Connection, HttpMethods } from 'jsforce';
import { HttpApi } from 'jsforce/lib/http-api.js';
import type { ApiCallCounter, CallKind } from './calls.js';
import { mapSalesforceError, SalesforceError } from './errors.js';
import { type RetryPolicy, withRetry } from './retry.js';

export interface Tuning {
  retry: RetryPolicy;
  /** Per-request wait for response headers; jsforce's default is 30 minutes (request.ts). */
  requestTimeoutMs: number;
  /** First wait between Bulk job polls; grows ×1.5 up to maxPollIntervalMs. */
  pollIntervalMs: number;
  maxPollIntervalMs: number;
  /** How long to wait for a Bulk job. jsforce's 30 s default is far too short for real jobs (§1.5). */
  pollTimeoutMs: number;
  /** readOwners switches to Bulk 2.0 query above this many ids. */
  bulkThreshold: number;
  /** `maxRecords` per Bulk 2.0 query results page. */
  bulkQueryPageSize: number;
}

export const DEFAULT_TUNING: Omit<Tuning, 'retry'> = {
  requestTimeoutMs: 5 * 60_000,
  pollIntervalMs: 1000,
  maxPollIntervalMs: 30_000,
  pollTimeoutMs: 10 * 60_000,
  bulkThreshold: 10_000,
  // A result page of 100,000 Id/OwnerId rows is a few MB: one page for a typical run, not two.
  bulkQueryPageSize: 100_000,
};

export interface CallRequest {
  kind: CallKind;
  method: HttpMethods;
  /** `/x` is relative to the REST base, `/services/…` to the instance, or an absolute URL. */
  url: string;
  body?: string;
  headers?: Record<string, string>;
  /** Keep the response body as text (CSV), instead of jsforce's content-type based parsing. */
  text?: boolean;
  soql?: string;
  object?: string;
}

export interface CallResponse<T> {
  body: T;
  headers: Record<string, string>;
  status: number;
}

export interface ApiUsage {
  used: number;
  limit: number;
}

/**
 * The daily usage each org last reported in this process, by instance URL. The header is org-wide, and a
 * `run` plans on one connection and writes on another: the writing side checks its share without a
 * call of its own.
 */
const reportedUsage = new Map<string, { usage: ApiUsage; at: number }>();

/** What the org at `instanceUrl` reported on an answer at most `maxAgeMs` ago, in this process. */
export function recentApiUsage(instanceUrl: string, maxAgeMs: number): ApiUsage | undefined {
  const seen = reportedUsage.get(instanceUrl);
  return seen && Date.now() - seen.at <= maxAgeMs ? seen.usage : undefined;
}

export class Channel {
  /** From the latest Sforce-Limit-Info header (HttpApi skips the parsing `conn.request` does). */
  apiUsage: ApiUsage | undefined;

  constructor(
    readonly conn: Connection,
    readonly calls: ApiCallCounter,
    readonly tuning: Tuning,
    readonly redact: (text: string) => string,
    private readonly sessionHint: () => string,
  ) {}

  get baseUrl(): string {
    return `${this.conn.instanceUrl}/services/data/v${this.conn.version}`;
  }

  absoluteUrl(url: string): string {
    if (!url.startsWith('/')) return url;
    return url.startsWith('/services/') ? this.conn.instanceUrl + url : this.baseUrl + url;
  }

  /** One logical call: retried on transient failures with backoff; errors come out mapped. */
  call<T>(request: CallRequest): Promise<CallResponse<T>> {
    return withRetry(
      this.tuning.retry,
      () => this.callOnce<T>(request),
      (error) => error instanceof SalesforceError && error.transient,
    );
  }

  /**
   * One attempt, no retry: for a write whose failure leaves it unknown whether Salesforce applied it,
   * so the caller checks before sending it again.
   */
  attempt<T>(request: CallRequest): Promise<CallResponse<T>> {
    return this.callOnce<T>(request);
  }

  mapError(error: unknown, request: Pick<CallRequest, 'kind' | 'soql' | 'object'>, status?: number): Error {
    return mapSalesforceError(error, {
      ...request,
      status,
      redact: this.redact,
      sessionHint: this.sessionHint(),
    });
  }

  private noteApiUsage(header: string | undefined): void {
    const match = header ? /api-usage=(\d+)\/(\d+)/.exec(header) : null;
    if (!match) return;
    this.apiUsage = { used: Number(match[1]), limit: Number(match[2]) };
    reportedUsage.set(this.conn.instanceUrl, { usage: this.apiUsage, at: Date.now() });
  }

  private async callOnce<T>(request: CallRequest): Promise<CallResponse<T>> {
    const api = new HttpApi(this.conn, {
      responseType: request.text ? 'text/plain' : undefined,
      // No transport retries: a retried PUT re-sends a drained stream as an empty body (§1.4).
      retry: { methods: [] },
      timeout: this.tuning.requestTimeoutMs,
    });
    const url = this.absoluteUrl(request.url);
    let status: number | undefined;
    let headers: Record<string, string> = {};
    // 'request' fires once per send, including jsforce's re-send after a session refresh.
    api.on('request', () => this.calls.add(request.kind, Buffer.byteLength(url) + bodyBytes(request.body)));
    api.on('response', (response: { statusCode: number; headers: Record<string, string> }) => {
      status = response.statusCode;
      headers = response.headers ?? {};
      this.noteApiUsage(headers['sforce-limit-info']);
    });
    const contentType: Record<string, string> =
      request.body === undefined ? {} : { 'Content-Type': 'application/json' };
    try {
      const body = await api.request<T>({
        method: request.method,
        url,
        headers: { ...contentType, ...request.headers },
        ...(request.body === undefined ? {} : { body: request.body }),
      });
      return { body, headers, status: status ?? 0 };
    } catch (error) {
      throw this.mapError(error, request, status);
    }
  }
}

function bodyBytes(body: string | undefined): number {
  return body === undefined ? 0 : Buffer.byteLength(body);
}
