// The period a report covers, under its cards: "Oct 28 – Nov 26, 2026" in the site's time zone (the end is exclusive).
export function PeriodCaption({ period, previous }: { period: { start: string; end: string; timezone: string }; previous?: { start: string; end: string } }) {
  const fmt = (iso: string, tz: string) => {
    try {
      return new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeZone: tz }).format(new Date(iso));
    } catch {
      return iso.slice(0, 10);
    }
  };
  const range = (p: { start: string; end: string }) => {
    const last = new Date(new Date(p.end).getTime() - 1000).toISOString();
    const a = fmt(p.start, period.timezone);
    const b = fmt(last, period.timezone);
    return a === b ? a : `${a} – ${b}`;
  };
  return (
    <p class="muted small period-caption">
      {range(period)} ({period.timezone.replace(/_/g, ' ')})
      {previous && <> · compared with {range(previous)}</>}
    </p>
  );
}
