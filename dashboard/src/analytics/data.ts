// The analytics numbers, from the public v1 API (docs/api.md): as the signed-
// in user (session cookie and `websiteId`) or through a share link
// (`X-Share-Token`, plus `X-Share-Proof` once its password was given). Answers
// are kept for half a minute, so going back to a tab or a period is instant.
import { useEffect, useState } from 'preact/hooks';
import { ApiError, request } from '../api';
import type { XPostInfo } from '../api';
import type { Dimension } from './view';

export type Access =
  | { kind: 'site'; siteId: string }
  // onDenied: the link was revoked or the proof no longer holds (401, 403, 404).
  | { kind: 'share'; token: string; proof: string | null; onDenied?: () => void };

export interface Metrics {
  visitors: number;
  sessions: number;
  pageviews: number;
  views_per_session: number;
  bounce_rate: number;
  avg_session_duration: number;
  currency: string;
  revenue: number;
  payments: number;
  revenue_per_visitor: number;
  conversion_rate: number;
}

export interface Overview {
  data: Metrics[];
  period: { start: string; end: string; timezone: string };
  previous?: Metrics;
  previous_period?: { start: string; end: string };
}

export interface Bucket {
  // Absent from some answers: see bucketLabel.
  name?: string;
  timestamp: string;
  visitors: number;
  sessions: number;
  pageviews: number;
  revenue: number;
  payments: number;
  conversion_rate: number;
}

export interface Series {
  interval: string;
  timezone: string;
  currency: string;
  totals: { visitors: number; sessions: number; pageviews: number; revenue: number; payments: number; conversion_rate: number };
  data: Bucket[];
}

// `payments` counts shares under linear attribution, so it may be
// fractional (0.333333).
export type Row = { [dim: string]: string | number | undefined } & {
  visitors: number;
  pageviews: number;
  revenue: number;
  payments: number;
  revenue_per_visitor: number;
  conversion_rate: number;
  completions?: number;
  referrer_domain?: string;
  country?: string;
};

export interface Breakdown {
  data: Row[];
  pagination: { limit: number; offset: number; total: number };
}

// GET /api/v1/analytics/revenue (docs/api.md): the payments of a period,
// money in major units of the site's currency.
export interface RevenueFigures {
  revenue: number;
  new_revenue: number;
  renewal_revenue: number;
  refunds: number;
  payments: number;
  mrr: number;
  active_subscriptions: number;
  churned_mrr: number;
}

export interface RevenueTotals extends RevenueFigures {
  new_payments: number;
  renewals: number;
  refund_count: number;
  free_trials: number;
  customers: number;
  average_order_value: number;
  trialing: number;
  median_days_to_first_payment: number | null;
  unattributed_revenue: number;
}

// How a payment found its visitor: `metadata` (the visitor id at checkout),
// `identified`, `customer`, `email`, `renewal`, or `none`.
export interface AttributionShare {
  rule: string;
  revenue: number;
  payments: number;
}

// Lifetime value of the visitors first seen in one month (`cohort`,
// "2026-11"; `start`, its first instant in the site's time zone): how many
// of them paid, and what they paid per visitor, net of refunds, cumulative
// through the end of that month ([0]), the month after ([1]), and so on.
export interface LtvCohort {
  cohort: string;
  start: string;
  visitors: number;
  customers: number;
  revenue_per_visitor: number[];
}

export interface RevenueReport {
  currency: string;
  interval: string;
  period: { start: string; end: string; timezone?: string };
  totals: RevenueTotals;
  attribution: AttributionShare[];
  data: (RevenueFigures & { timestamp: string })[];
  // The twelve months of first visits up to the period's end, oldest first.
  ltv: LtvCohort[];
}

// GET /api/v1/analytics/x (docs/api.md): visits from X (t.co, x.com,
// twitter.com), split into X Ads (twclid or utm_medium=paid) and organic,
// the posts that links named (?ref=x-POST_ID, or utm_content=POST_ID on a
// visit from X) or the site registered, by revenue, then visitors, and the
// site's registered accounts with their registered posts' figures.
export interface XFigures {
  visitors: number;
  sessions: number;
  revenue: number;
  payments: number;
  revenue_per_visitor: number;
  conversion_rate: number;
}

// `handle` is empty for a post only a link named (its author unknown).
export interface XPost extends XFigures, XPostInfo {
  registered: boolean;
}

export interface XAccountFigures extends XFigures {
  handle: string;
  url: string;
  // How many of its posts the site registered.
  posts: number;
}

export interface XReport {
  currency: string;
  period: { start: string; end: string; timezone?: string };
  totals: XFigures;
  organic: XFigures;
  ads: XFigures;
  accounts: XAccountFigures[];
  posts: XPost[];
}

export interface Note {
  id: string;
  date: string;
  text: string;
  tags: string[];
  author: string;
  created_at: string;
}

// One breakdown endpoint and the dimension its rows carry.
export interface Report {
  endpoint: string;
  dim: Dimension;
  label: string;
}

export const kReports: Record<string, Report> = Object.fromEntries(
  (
    [
      ['channels', 'channel', 'Channel'],
      ['referrers', 'referrer', 'Referrer'],
      ['utm-sources', 'utm_source', 'UTM source'],
      ['utm-mediums', 'utm_medium', 'UTM medium'],
      ['utm-campaigns', 'utm_campaign', 'UTM campaign'],
      ['utm-terms', 'utm_term', 'UTM term'],
      ['utm-contents', 'utm_content', 'UTM content'],
      ['refs', 'ref', 'Ref'],
      ['sources', 'source', 'Source'],
      ['vias', 'via', 'Via'],
      ['pages', 'page', 'Page'],
      ['entry-pages', 'entry_page', 'Entry page'],
      ['exit-pages', 'exit_page', 'Exit page'],
      ['hostnames', 'hostname', 'Hostname'],
      ['countries', 'country', 'Country'],
      ['regions', 'region', 'Region'],
      ['cities', 'city', 'City'],
      ['devices', 'device', 'Device'],
      ['browsers', 'browser', 'Browser'],
      ['operating-systems', 'os', 'OS'],
      ['goals', 'goal', 'Goal'],
    ] as const
  ).map(([endpoint, dim, label]) => [endpoint, { endpoint, dim, label }]),
);

// The most rows the API returns at once, and so what a panel can sort,
// page through and export.
export const kMaxRows = 1000;

function accessKey(a: Access): string {
  return a.kind === 'site' ? `site:${a.siteId}` : `share:${a.token}:${a.proof ?? ''}`;
}

export function v1<T>(access: Access, path: string, params: URLSearchParams, signal?: AbortSignal): Promise<T> {
  const p = new URLSearchParams(params);
  if (access.kind === 'site') {
    p.set('websiteId', access.siteId);
    return request<T>('GET', `/api/v1/analytics/${path}?${p}`, undefined, { signal });
  }
  const headers: Record<string, string> = { 'X-Share-Token': access.token };
  if (access.proof) headers['X-Share-Proof'] = access.proof;
  return request<T>('GET', `/api/v1/analytics/${path}?${p}`, undefined, { headers, sessionless: true, signal }).catch((e) => {
    if (e instanceof ApiError && [401, 403, 404].includes(e.status)) access.onDenied?.();
    throw e;
  });
}

const kTtlMs = 30_000;
const cache = new Map<string, { at: number; value: Promise<unknown> }>();

// The cached answer for a GET, fetched when missing or older than kTtlMs.
export function cachedV1<T>(access: Access, path: string, params: URLSearchParams): Promise<T> {
  const key = `${accessKey(access)} ${path}?${params}`;
  const hit = cache.get(key);
  if (hit && Date.now() - hit.at < kTtlMs) return hit.value as Promise<T>;
  const value = v1<T>(access, path, params);
  cache.set(key, { at: Date.now(), value });
  value.catch(() => cache.delete(key));
  if (cache.size > 300) cache.delete(cache.keys().next().value!);
  return value;
}

// Forgets cached answers of one path (after a change, e.g. a new note).
export function forget(path: string) {
  for (const key of [...cache.keys()]) if (key.includes(` ${path}?`)) cache.delete(key);
}

export interface Loaded<T> {
  data: T | null;
  error: ApiError | null;
  loading: boolean;
}

// Loads `path` with `params` (nothing while path is null). The last answer
// stays shown while the next one loads, so panels don't flash empty.
export function useV1<T>(access: Access, path: string | null, params: URLSearchParams, version = 0): Loaded<T> {
  const [state, setState] = useState<Loaded<T>>({ data: null, error: null, loading: !!path });
  const key = `${accessKey(access)} ${path}?${params} ${version}`;
  useEffect(() => {
    if (!path) return;
    let live = true;
    setState((s) => ({ ...s, loading: true }));
    cachedV1<T>(access, path, params).then(
      (data) => live && setState({ data, error: null, loading: false }),
      (e) => live && setState({ data: null, error: e instanceof ApiError ? e : new ApiError(String(e), 0), loading: false }),
    );
    return () => {
      live = false;
    };
    // The key says everything the request depends on.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key]);
  return state;
}

// Polls `path` every `everyMs` while `active` and the page is visible, and
// at once when it comes back into view. A failed poll keeps the last answer.
export function usePoll<T>(access: Access, path: string, everyMs: number, active = true): T | null {
  const [data, setData] = useState<T | null>(null);
  const who = accessKey(access);
  useEffect(() => {
    if (!active) return;
    let live = true;
    const poll = () => {
      if (document.visibilityState !== 'visible') return;
      v1<T>(access, path, new URLSearchParams()).then(
        (r) => live && setData(r),
        () => undefined,
      );
    };
    poll();
    const id = window.setInterval(poll, everyMs);
    document.addEventListener('visibilitychange', poll);
    return () => {
      live = false;
      clearInterval(id);
      document.removeEventListener('visibilitychange', poll);
    };
    // `who` stands for `access`.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [who, path, everyMs, active]);
  return data;
}
