// Numbers for people: money in the site's currency, rates, durations, changes
// against the comparison period, and the names of the values in breakdowns.

const kLocale = undefined;

const moneyFormats = new Map<string, Intl.NumberFormat>();
const kMoneyStyles = {
  full: {},
  compact: { notation: 'compact', maximumFractionDigits: 1 },
  whole: { minimumFractionDigits: 0, maximumFractionDigits: 0 },
} as const;
function moneyFormat(currency: string, style: keyof typeof kMoneyStyles): Intl.NumberFormat {
  const key = `${currency}:${style}`;
  let f = moneyFormats.get(key);
  if (!f) {
    try {
      f = new Intl.NumberFormat(kLocale, { style: 'currency', currency, ...kMoneyStyles[style] });
    } catch {
      f = new Intl.NumberFormat(kLocale, { maximumFractionDigits: 2, minimumFractionDigits: 2 });
    }
    moneyFormats.set(key, f);
  }
  return f;
}

// compact: "€12.3K" from ten thousand on; whole: no cents (chart axes).
export function money(amount: number, currency: string, { compact = false, whole = false } = {}): string {
  if (whole && Math.abs(amount) < 10_000) return moneyFormat(currency || 'USD', 'whole').format(amount);
  return moneyFormat(currency || 'USD', compact && Math.abs(amount) >= 10_000 ? 'compact' : 'full').format(amount);
}

const kInteger = new Intl.NumberFormat(kLocale);
const kCompact = new Intl.NumberFormat(kLocale, { notation: 'compact', maximumFractionDigits: 1 });
const kOneDecimal = new Intl.NumberFormat(kLocale, { maximumFractionDigits: 1, minimumFractionDigits: 0 });
const kTwoDecimals = new Intl.NumberFormat(kLocale, { maximumFractionDigits: 2, minimumFractionDigits: 2 });
const kShares = new Intl.NumberFormat(kLocale, { maximumFractionDigits: 2 });

export const count = (n: number) => kInteger.format(n);
export const compact = (n: number) => (Math.abs(n) >= 10_000 ? kCompact.format(n) : kInteger.format(n));
export const percent = (n: number) => `${kOneDecimal.format(n)}%`;
export const decimal = (n: number) => kTwoDecimals.format(n);
// Payments, which linear attribution shares out among sources: 2 -> "2",
// 2.333333 -> "2.33", 1.999999 -> "2".
export const paymentCount = (n: number) => kShares.format(n);

// 245678.4 ms -> "4m 6s"; under a minute "42s"; over an hour "1h 5m".
export function duration(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ${s % 60}s`;
  return `${Math.floor(m / 60)}h ${m % 60}m`;
}

// Relative change in percent, or null when there is nothing to compare with.
export function change(current: number, previous: number | undefined): number | null {
  if (previous === undefined || !Number.isFinite(previous)) return null;
  if (previous === 0) return current === 0 ? 0 : null;
  return ((current - previous) / Math.abs(previous)) * 100;
}

let regionNames: Intl.DisplayNames | null | undefined;

// "FR" -> "France"; "" -> "Unknown".
export function countryName(code: string): string {
  if (!code) return 'Unknown';
  if (regionNames === undefined) {
    try {
      regionNames = new Intl.DisplayNames(kLocale, { type: 'region' });
    } catch {
      regionNames = null;
    }
  }
  try {
    return regionNames?.of(code.toUpperCase()) ?? code;
  } catch {
    return code;
  }
}

const kChannels: Record<string, string> = {
  direct: 'Direct',
  organic_search: 'Organic search',
  social: 'Social',
  email: 'Email',
  paid: 'Paid',
  referral: 'Referral',
};

// How a breakdown value reads in a row, a chip or a tooltip.
export function valueLabel(dim: string, value: string): string {
  if (dim === 'country') return countryName(value);
  if (value === '') return 'Unknown';
  if (dim === 'channel') return kChannels[value] ?? value.charAt(0).toUpperCase() + value.slice(1).replace(/_/g, ' ');
  if (dim === 'device') return value.charAt(0).toUpperCase() + value.slice(1);
  return value;
}

// A time-series bucket's name: the server's, else made from its timestamp,
// whose first characters are the site's local date and time. Hours always
// carry their day ("2026-11-20T13:00:00+01:00" -> "Nov 20, 13:00").
export function bucketLabel(b: { name?: string; timestamp: string }, interval: string): string {
  if (b.name && interval !== 'hour') return b.name;
  const [y, m, d] = b.timestamp.slice(0, 10).split('-').map(Number);
  const day = new Date(Date.UTC(y, m - 1, d));
  const fmt = (o: Intl.DateTimeFormatOptions) => new Intl.DateTimeFormat(kLocale, { ...o, timeZone: 'UTC' }).format(day);
  if (interval === 'hour') return `${fmt({ month: 'short', day: 'numeric' })}, ${b.timestamp.slice(11, 16)}`;
  if (interval === 'month') return fmt({ month: 'short', year: 'numeric' });
  return fmt({ month: 'short', day: 'numeric' });
}
