// Formatting for people: dates in the browser's locale and time zone,
// relative times, numbers.

const kDate = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' });
const kDateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const kNumber = new Intl.NumberFormat();
const kRelative = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });

export const formatNumber = (n: number) => kNumber.format(n);

export function formatDate(iso: string | null | undefined): string {
  return iso ? kDate.format(new Date(iso)) : '—';
}

export function formatDateTime(iso: string | null | undefined): string {
  return iso ? kDateTime.format(new Date(iso)) : '—';
}

// "2 minutes ago", "yesterday"; falls back to the date past a month.
export function formatAgo(iso: string | null | undefined, now = Date.now()): string {
  if (!iso) return 'never';
  const seconds = Math.round((new Date(iso).getTime() - now) / 1000);
  const abs = Math.abs(seconds);
  if (abs < 45) return 'just now';
  if (abs < 3600) return kRelative.format(Math.round(seconds / 60), 'minute');
  if (abs < 86400) return kRelative.format(Math.round(seconds / 3600), 'hour');
  if (abs < 30 * 86400) return kRelative.format(Math.round(seconds / 86400), 'day');
  return formatDate(iso);
}

// "1850000000000000001" -> "1850…0001": a post on X has a 19-digit id, and
// its ends tell posts apart.
export const shortPostId = (id: string) => (id.length > 9 ? `${id.slice(0, 4)}…${id.slice(-4)}` : id);

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${formatNumber(n)} ${n === 1 ? one : many}`;
}

const kUtcDay = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeZone: 'UTC' });

// A billing period [start, end) as "Nov 1, 2026 – Nov 30, 2026" (UTC days).
export function formatPeriod(start: string, end: string): string {
  const last = new Date(new Date(end).getTime() - 1000);
  return `${kUtcDay.format(new Date(start))} – ${kUtcDay.format(last)}`;
}
