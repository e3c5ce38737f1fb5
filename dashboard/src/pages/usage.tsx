// /usage: events this period against the plan's limit, what happens over
// the limit, and billing when the server has it.
import { useEffect, useState } from 'preact/hooks';
import { api } from '../api';
import type { Account, Usage } from '../api';
import { Button, ErrorText, LiveStatus, Notice, Section, Spinner, usePageTitle, useSubmit } from '../components/ui';
import { formatNumber, formatPeriod } from '../format';
import { useSession } from '../session';
import { AccountPicker } from './team';

export function UsagePage() {
  usePageTitle('Usage');
  const { account } = useSession();
  return (
    <div class="stack">
      <h1>Usage{account ? <span class="muted h-sub"> · {account.name}</span> : null}</h1>
      <AccountPicker />
      {account ? <UsageView account={account} /> : <Notice>You don’t belong to a team yet.</Notice>}
    </div>
  );
}

function UsageView({ account }: { account: Account }) {
  const { state, reloadUsage } = useSession();
  const [usage, setUsage] = useState<Usage | null>(null);
  const [error, setError] = useState<string | null>(null);
  const load = () =>
    api
      .get<Usage>(`/accounts/${account.id}/usage`)
      .then((u) => {
        setUsage(u);
        setError(null);
      })
      .catch((e: Error) => setError(e.message));
  useEffect(() => {
    setUsage(null);
    load();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [account.id]);
  if (error) return <Notice kind="error">{error}</Notice>;
  if (!usage) return <Spinner />;

  const limit = usage.plan.events_per_month;
  const percent = usage.percent ?? 0;
  const level = usage.warning === 100 ? 'over' : usage.warning ? 'warn' : 'ok';
  return (
    <>
      {usage.warning && (
        <Notice kind={usage.warning >= 100 ? 'error' : 'warning'} title={usage.paused ? 'Tracking is paused' : usage.warning >= 100 ? 'Over the limit' : `${usage.warning} % of your events used`}>
          {usage.paused
            ? 'New visits are not being recorded until the next period starts or the plan is upgraded.'
            : usage.warning >= 100
              ? usage.over_limit === 'keep'
                ? 'Tracking continues as you chose; upgrade to stay within your plan.'
                : 'Tracking pauses when the limit is reached.'
              : `The period runs ${formatPeriod(usage.period.start, usage.period.end)}. Consider upgrading before the limit is reached.`}
        </Notice>
      )}
      <Section title="Events this period">
        <p class="usage-figure">
          <strong>{formatNumber(usage.events)}</strong>
          {limit != null ? <> of {formatNumber(limit)} events</> : ' events'}
        </p>
        {limit != null ? (
          <div class="meter-wrap">
            <div
              class={`meter meter-${level}`}
              role="progressbar"
              aria-label="Events used this period"
              aria-valuemin={0}
              aria-valuemax={100}
              aria-valuenow={Math.min(100, Math.round(percent))}
              aria-valuetext={`${Math.round(percent)} % of ${formatNumber(limit)} events`}
            >
              <div class="meter-fill" style={{ width: `${Math.min(100, percent)}%` }} />
              <span class="meter-mark" style={{ left: '80%' }} aria-hidden="true" />
              <span class="meter-mark" style={{ left: '90%' }} aria-hidden="true" />
            </div>
            <p class="muted small">
              {Math.round(percent)} % used · {formatPeriod(usage.period.start, usage.period.end)} · plan: {usage.plan.name}
            </p>
          </div>
        ) : (
          <p class="muted">
            No monthly limit on the {usage.plan.name} plan. Period {formatPeriod(usage.period.start, usage.period.end)}.
          </p>
        )}
        {usage.plan.sites != null && <p class="muted small">Up to {formatNumber(usage.plan.sites)} websites on this plan.</p>}
      </Section>
      {limit != null && <OverLimit account={account} usage={usage} onSaved={(u) => { setUsage(u); reloadUsage(); }} />}
      {state?.billing && <Billing account={account} usage={usage} />}
    </>
  );
}

function OverLimit({ account, usage, onSaved }: { account: Account; usage: Usage; onSaved: (u: Usage) => void }) {
  const [choice, setChoice] = useState(usage.over_limit);
  const [saved, setSaved] = useState(false);
  const f = useSubmit();
  const readOnly = account.role === 'viewer';
  const submit = (e: Event) => {
    e.preventDefault();
    setSaved(false);
    f.run(async () => {
      await api.patch(`/accounts/${account.id}`, { over_limit: choice });
      onSaved(await api.get<Usage>(`/accounts/${account.id}/usage`));
      setSaved(true);
    });
  };
  return (
    <Section title="When the limit is reached">
      <form onSubmit={submit} class="form">
        <fieldset class="choices" disabled={readOnly}>
          <legend class="visually-hidden">When the limit is reached</legend>
          <label class={`choice${choice === 'keep' ? ' is-selected' : ''}`}>
            <input type="radio" name="over_limit" value="keep" checked={choice === 'keep'} onChange={() => setChoice('keep')} />
            <span>
              <strong>Keep tracking</strong>
              <span class="check-hint">No data is lost. You’ll be asked to upgrade.</span>
            </span>
          </label>
          <label class={`choice${choice === 'pause' ? ' is-selected' : ''}`}>
            <input type="radio" name="over_limit" value="pause" checked={choice === 'pause'} onChange={() => setChoice('pause')} />
            <span>
              <strong>Pause tracking</strong>
              <span class="check-hint">Stop recording until the next period. Never pay more than planned.</span>
            </span>
          </label>
        </fieldset>
        <ErrorText error={f.error} />
        {!readOnly && (
          <div class="actions">
            <Button type="submit" busy={f.busy} busyLabel="Saving…" disabled={choice === usage.over_limit}>
              Save choice
            </Button>
            <LiveStatus class="saved-note">{saved ? 'Saved.' : ''}</LiveStatus>
          </div>
        )}
      </form>
    </Section>
  );
}

function planText(p: Usage['available_plans'][number]): string {
  const events = p.events_per_month === null ? 'unlimited events' : `${p.events_per_month.toLocaleString()} events a month`;
  const sites = p.sites === null ? 'unlimited websites' : p.sites === 1 ? '1 website' : `up to ${p.sites} websites`;
  return `${events}, ${sites}`;
}

function Billing({ account, usage }: { account: Account; usage: Usage }) {
  const offers = usage.available_plans.filter((p) => p.purchasable && p.id !== usage.plan.id);
  const f = useSubmit();
  const canBill = account.role === 'owner';
  const go = (path: string, body?: unknown) =>
    f.run(async () => {
      const { url } = await api.post<{ url: string }>(`/accounts/${account.id}/billing/${path}`, body);
      location.assign(url);
    });
  return (
    <Section title="Plan and billing" description={canBill ? 'Payments are handled by Stripe; you’ll come back here afterwards.' : 'Only the team’s owner can change the plan.'}>
      {canBill && (
        <div class="actions wrap">
          {offers.map((p) => (
            <Button key={p.id} onClick={() => go('checkout', { plan: p.id })} busy={f.busy}>
              Switch to {p.name} <span class="btn-note">({planText(p)})</span>
            </Button>
          ))}
          <Button variant="secondary" onClick={() => go('portal')} busy={f.busy}>
            Manage billing
          </Button>
        </div>
      )}
      <ErrorText error={f.error} />
    </Section>
  );
}
