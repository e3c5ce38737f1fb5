// The client side of docs/app-api.md: the objects the server returns and one
// `request` function that every call goes through. Every request is
// same-origin with the session cookie; every non-GET request carries the
// CSRF token from login, signup or /me. Errors become `ApiError`s whose
// message is plain English fit to show the user.

export type Role = 'owner' | 'admin' | 'viewer';

export interface User {
  id: string;
  email: string;
  email_verified: boolean;
  created_at: string;
}

export interface Account {
  id: string;
  name: string;
  role: Role;
  plan: string;
}

export interface Site {
  id: string;
  account_id: string;
  domain: string;
  timezone: string;
  currency: string;
  allowed_hostnames: string[];
  retention_days: number;
  // Days before a payment in which the visitor's last non-direct visit gets
  // the credit (1 to 90).
  attribution_window_days: number;
  created_at: string;
  first_event_at: string | null;
  events_this_month: number;
  role: Role;
}

export interface Key {
  id: string;
  name: string;
  prefix: string;
  scopes: string[];
  created_at: string;
  last_used_at: string | null;
}

export type Provider = 'stripe' | 'lemonsqueezy' | 'polar' | 'shopify';

// The latest request the provider's webhook URL received, accepted or not.
export interface Delivery {
  at: string;
  event_type: string;
  ok: boolean;
  result: string;
}

// A site's link to one payment provider. Not connected: `api_key_hint`,
// `shop` and `connected_at` are empty and `last_delivery` is null; the
// webhook URL, events and docs link still say how to set it up.
export interface Connection {
  provider: Provider;
  name: string;
  connected: boolean;
  webhook_url: string;
  events: string[];
  docs_url: string;
  api_key_hint: string;
  shop: string;
  connected_at: string;
  last_delivery: Delivery | null;
  backfill: Backfill | null;
}

// An import of past payments through the provider's list API.
export interface Backfill {
  state: 'running' | 'done' | 'failed';
  since: string;
  pages: number;
  payments: number;
  error: string;
  started_at: string;
  updated_at: string;
}

// An X (Twitter) account a site posts from.
export interface XAccount {
  handle: string;
  added_at: string;
}

// A post on X the site registered. What the X API said of it (text,
// posted_at, the counts, fetched_at) is empty or zero unless the operator
// gave the server an X API token; fetch_error says why the last look-up
// failed.
export interface XPostInfo {
  post_id: string;
  url: string;
  handle: string;
  text: string;
  posted_at: string;
  likes: number;
  reposts: number;
  replies: number;
  quotes: number;
  impressions: number;
  fetched_at: string;
  fetch_error: string;
}

// GET /api/app/sites/{id}/x; posts newest registered first.
export interface XRegistry {
  api_configured: boolean;
  accounts: XAccount[];
  posts: XPostInfo[];
}

export interface ServerState {
  needs_owner: boolean;
  signup: 'open' | 'invite_only';
  email_delivery: 'smtp' | 'log';
  billing: boolean;
}

export interface Me {
  user: User;
  accounts: Account[];
  csrf_token: string;
}

export interface RecentEvent {
  type: string;
  path: string | null;
  country: string | null;
  browser: string | null;
  ts: string;
}

export interface InstallStatus {
  received: boolean;
  test_received: boolean;
  first_event_at: string | null;
  last_event_at: string | null;
  events_total: number;
  recent: RecentEvent[];
}

export interface Member {
  user_id: string;
  email: string;
  role: Role;
  joined_at: string;
}

export interface Invite {
  id: string;
  email: string;
  role: Role;
  expires_at: string;
}

export interface Usage {
  plan: { id: string; name: string; events_per_month: number | null; sites: number | null };
  period: { start: string; end: string };
  events: number;
  percent: number | null;
  warning: null | 80 | 90 | 100;
  over_limit: 'keep' | 'pause';
  paused: boolean;
  available_plans: {
    id: string;
    name: string;
    events_per_month: number | null;
    sites: number | null;
    purchasable: boolean;
  }[];
}

export interface InviteInfo {
  account_name: string;
  email: string;
  role: Role;
}

export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly field?: string,
  ) {
    super(message);
  }
}

let csrfToken = '';
let onUnauthorized: (() => void) | null = null;

export function setCsrfToken(token: string) {
  csrfToken = token;
}

// Called when a request made with a session answers 401 (the session expired
// or was revoked elsewhere), so the app can send the user to the login page.
export function setUnauthorizedHandler(fn: () => void) {
  onUnauthorized = fn;
}

// "wrong email or password" -> "Wrong email or password."
function sentence(text: string): string {
  const t = text.trim();
  if (!t) return t;
  const s = t[0].toUpperCase() + t.slice(1);
  return /[.!?]$/.test(s) ? s : `${s}.`;
}

function minutes(retryAfter: string | null): string {
  const seconds = Number(retryAfter);
  if (!Number.isFinite(seconds) || seconds <= 0) return 'a few minutes';
  const m = Math.ceil(seconds / 60);
  return m <= 1 ? 'a minute' : `${m} minutes`;
}

async function errorFrom(res: Response): Promise<ApiError> {
  let message = '';
  let field: string | undefined;
  try {
    const body = await res.json();
    message = body?.error?.message ?? '';
    field = body?.error?.field ?? undefined;
  } catch {
    // Not JSON (a proxy's error page, say): fall back to the status below.
  }
  if (res.status === 429) {
    return new ApiError(`Too many attempts. Try again in ${minutes(res.headers.get('Retry-After'))}.`, 429);
  }
  if (res.status >= 500 && !message) {
    message = `the server ran into a problem (${res.status}); try again in a moment`;
  }
  if (!message) message = `the request failed (${res.status} ${res.statusText})`;
  return new ApiError(sentence(message), res.status, field);
}

export interface RequestOptions {
  // Sent as well as the defaults (the share page's X-Share-Token, say).
  headers?: Record<string, string>;
  // A 401 here says nothing about the session (a share link's password
  // proof, say): don't sign the user out for it.
  sessionless?: boolean;
  signal?: AbortSignal;
}

export async function request<T = void>(method: string, path: string, body?: unknown, options: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json', ...options.headers };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET' && csrfToken) headers['X-CSRF-Token'] = csrfToken;
  let res: Response;
  try {
    res = await fetch(path, {
      method,
      headers,
      credentials: options.sessionless ? 'omit' : 'same-origin',
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: options.signal,
    });
  } catch (e) {
    if (options.signal?.aborted) throw e;
    throw new ApiError("Can't reach the DataFast server. Check your connection and try again.", 0);
  }
  if (!res.ok) {
    const error = await errorFrom(res);
    if (res.status === 401 && csrfToken && onUnauthorized && !options.sessionless) onUnauthorized();
    throw error;
  }
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

export const api = {
  get: <T>(path: string) => request<T>('GET', `/api/app${path}`),
  post: <T = void>(path: string, body?: unknown) => request<T>('POST', `/api/app${path}`, body ?? {}),
  patch: <T = void>(path: string, body: unknown) => request<T>('PATCH', `/api/app${path}`, body),
  put: <T = void>(path: string, body: unknown) => request<T>('PUT', `/api/app${path}`, body),
  del: <T = void>(path: string, body?: unknown) => request<T>('DELETE', `/api/app${path}`, body),
};

// Posts one pageview to the ingestion endpoint exactly as the tracker does
// (text/plain, so no CORS preflight), for the setup screen's test visit.
export async function sendTestVisit(site: Site): Promise<void> {
  const body = {
    websiteId: site.id,
    domain: site.domain,
    type: 'pageview',
    href: `https://${site.domain}/__datafast/test-visit`,
    referrer: null,
    screenWidth: window.innerWidth,
    language: navigator.language,
  };
  let res: Response;
  try {
    res = await fetch('/api/events', {
      method: 'POST',
      headers: { 'Content-Type': 'text/plain;charset=UTF-8' },
      credentials: 'same-origin',
      body: JSON.stringify(body),
    });
  } catch {
    throw new ApiError("Can't reach the DataFast server. Check your connection and try again.", 0);
  }
  if (!res.ok) throw await errorFrom(res);
}
