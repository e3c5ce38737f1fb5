// "N current visitors" (active in the last 5 minutes), polled every 10 s; a
// click opens what is happening now: where those visitors are, the latest
// events and payments.
import { useId, useState } from 'preact/hooks';
import { Modal, Spinner } from '../components/ui';
import { formatAgo } from '../format';
import { useDash } from './context';
import { usePoll } from './data';
import { count, countryName, money } from './numbers';

interface LiveMap {
  visitors: { country: string; region: string; city: string; visitors: number }[];
  recent_events: { type: string; path: string; goal: string; country: string; city: string; device: string; browser: string; timestamp: string }[];
  recent_payments: { amount: number; currency: string; country: string; timestamp: string }[];
}

const kEveryMs = 10_000;

export function Realtime() {
  const { access } = useDash();
  const [open, setOpen] = useState(false);
  const visitors = usePoll<{ data: { visitors: number }[] }>(access, 'realtime', kEveryMs)?.data[0]?.visitors ?? null;
  return (
    <>
      <button type="button" class="realtime" title="Visitors active in the last 5 minutes: see what they do" aria-haspopup="dialog" onClick={() => setOpen(true)}>
        <span class={`realtime-dot${visitors ? ' is-live' : ''}`} aria-hidden="true" />
        <span data-testid="realtime">{visitors === null ? '…' : count(visitors)}</span> current {visitors === 1 ? 'visitor' : 'visitors'}
      </button>
      {open && <LiveDialog onClose={() => setOpen(false)} />}
    </>
  );
}

function LiveDialog({ onClose }: { onClose: () => void }) {
  const { access } = useDash();
  const titleId = useId();
  const live = usePoll<{ data: LiveMap }>(access, 'realtime/map', kEveryMs)?.data ?? null;
  const place = (country: string, city: string) => [city, countryName(country)].filter((x) => x && x !== 'Unknown').join(', ') || 'Unknown';
  return (
    <Modal title="Live" onClose={onClose}>
      {!live ? (
        <Spinner />
      ) : (
        <div class="live">
          <section aria-labelledby={`${titleId}-where`}>
            <h3 id={`${titleId}-where`}>Where they are</h3>
            {live.visitors.length === 0 ? (
              <p class="muted">Nobody on the site in the last 5 minutes.</p>
            ) : (
              <ul class="live-list">
                {live.visitors.map((v, i) => (
                  <li key={i}>
                    <span>{place(v.country, v.city)}</span> <strong>{count(v.visitors)}</strong>
                  </li>
                ))}
              </ul>
            )}
          </section>
          <section aria-labelledby={`${titleId}-events`}>
            <h3 id={`${titleId}-events`}>Latest events</h3>
            {live.recent_events.length === 0 ? (
              <p class="muted">No events yet.</p>
            ) : (
              <ul class="live-list">
                {live.recent_events.map((e, i) => (
                  <li key={i}>
                    <span class="live-what">
                      <span class="tag">{e.type}</span> <span class="live-path">{e.goal || e.path}</span>
                    </span>
                    <span class="muted small">
                      {[place(e.country, e.city), e.device, e.browser].filter(Boolean).join(' · ')} · <time dateTime={e.timestamp}>{formatAgo(e.timestamp)}</time>
                    </span>
                  </li>
                ))}
              </ul>
            )}
          </section>
          {live.recent_payments.length > 0 && (
            <section aria-labelledby={`${titleId}-payments`}>
              <h3 id={`${titleId}-payments`}>Latest payments</h3>
              <ul class="live-list">
                {live.recent_payments.map((p, i) => (
                  <li key={i}>
                    <strong>{money(p.amount, p.currency)}</strong>
                    <span class="muted small">
                      {countryName(p.country)} · <time dateTime={p.timestamp}>{formatAgo(p.timestamp)}</time>
                    </span>
                  </li>
                ))}
              </ul>
            </section>
          )}
        </div>
      )}
    </Modal>
  );
}
