// Building blocks shared by every page: labelled fields with inline errors,
// buttons, alerts, copyable code, accessible tabs and a confirmation dialog.
import type { ButtonHTMLAttributes, ComponentChildren, LooseInputHTMLAttributes, LooseSelectHTMLAttributes, Ref } from 'preact';
import { useEffect, useId, useRef, useState } from 'preact/hooks';
import { api, ApiError } from '../api';
import { Check, Copy as CopyIcon } from './icons';

// Sets the document title; pages call it once with their own name.
export function usePageTitle(title: string) {
  useEffect(() => {
    document.title = title ? `${title} · DataFast` : 'DataFast';
  }, [title]);
}

// Form state for one submit: busy flag, form-level error, per-field errors
// from the server's 400 `field`.
export function useSubmit() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const run = async (fn: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    setFieldErrors({});
    try {
      await fn();
    } catch (e) {
      if (e instanceof ApiError && e.field) setFieldErrors({ [e.field]: e.message });
      else setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };
  return { busy, error, fieldErrors, run, setError, setFieldErrors };
}

interface FieldProps {
  label: string;
  hint?: ComponentChildren;
  // A server message, or one with a link in it (a provider's docs, say).
  error?: ComponentChildren;
  children: (ids: { id: string; describedBy: string | undefined; invalid: boolean }) => ComponentChildren;
  optional?: boolean;
}

export function Field({ label, hint, error, children, optional }: FieldProps) {
  const id = useId();
  const hintId = hint ? `${id}-hint` : '';
  const errorId = error ? `${id}-error` : '';
  const describedBy = [errorId, hintId].filter(Boolean).join(' ') || undefined;
  return (
    <div class={`field${error ? ' field-invalid' : ''}`}>
      <label for={id}>
        {label}
        {optional && <span class="optional"> (optional)</span>}
      </label>
      {children({ id, describedBy, invalid: !!error })}
      {error && (
        <p class="field-error" id={errorId}>
          <span aria-hidden="true">⚠ </span>
          {error}
        </p>
      )}
      {hint && (
        <div class="field-hint" id={hintId}>
          {hint}
        </div>
      )}
    </div>
  );
}

type InputProps = Omit<LooseInputHTMLAttributes<HTMLInputElement>, 'label' | 'value' | 'role' | 'type'> & {
  type?: 'text' | 'email' | 'password' | 'number' | 'url' | 'search';
  label: string;
  value: string;
  onValue: (v: string) => void;
  hint?: ComponentChildren;
  error?: ComponentChildren;
  optional?: boolean;
  inputRef?: Ref<HTMLInputElement>;
};

export function TextField({ label, value, onValue, hint, error, optional, inputRef, type = 'text', ...rest }: InputProps) {
  return (
    <Field label={label} hint={hint} error={error} optional={optional}>
      {({ id, describedBy, invalid }) => (
        <input
          id={id}
          type={type as 'text'}
          ref={inputRef}
          value={value}
          onInput={(e) => onValue(e.currentTarget.value)}
          aria-describedby={describedBy}
          aria-invalid={invalid || undefined}
          {...rest}
        />
      )}
    </Field>
  );
}

type SelectProps = Omit<LooseSelectHTMLAttributes<HTMLSelectElement>, 'label' | 'value' | 'role'> & {
  label: string;
  value: string;
  onValue: (v: string) => void;
  options: { value: string; label: string }[];
  hint?: ComponentChildren;
  error?: string | null;
};

export function SelectField({ label, value, onValue, options, hint, error, ...rest }: SelectProps) {
  return (
    <Field label={label} hint={hint} error={error}>
      {({ id, describedBy, invalid }) => (
        <select
          id={id}
          value={value}
          onChange={(e) => onValue(e.currentTarget.value)}
          aria-describedby={describedBy}
          aria-invalid={invalid || undefined}
          {...rest}
        >
          {options.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </select>
      )}
    </Field>
  );
}

type ButtonProps = Omit<ButtonHTMLAttributes<HTMLButtonElement>, 'type'> & {
  variant?: 'primary' | 'secondary' | 'danger' | 'ghost';
  busy?: boolean;
  busyLabel?: string;
  type?: 'button' | 'submit';
  disabled?: boolean;
};

export function Button({ variant = 'primary', busy, busyLabel, children, type = 'button', disabled, ...rest }: ButtonProps) {
  return (
    <button
      type={type}
      class={`btn btn-${variant}`}
      disabled={disabled || busy}
      aria-busy={busy || undefined}
      {...rest}
    >
      {busy && <span class="spinner" aria-hidden="true" />}
      {busy && busyLabel ? busyLabel : children}
    </button>
  );
}

// A form-level error, announced when it appears.
export function ErrorText({ error }: { error: ComponentChildren }) {
  return (
    <div role="alert" class={error ? 'alert alert-error' : 'visually-hidden'}>
      {error}
    </div>
  );
}

export function Notice({ kind = 'info', children, title }: { kind?: 'info' | 'success' | 'warning' | 'error'; children: ComponentChildren; title?: string }) {
  return (
    <div class={`alert alert-${kind}`}>
      {title && <strong class="alert-title">{title}</strong>}
      <div>{children}</div>
    </div>
  );
}

// A polite live region whose text changes are read out once.
export function LiveStatus({ children, class: cls }: { children: ComponentChildren; class?: string }) {
  return (
    <div role="status" aria-live="polite" class={cls}>
      {children}
    </div>
  );
}

export function Spinner({ label = 'Loading…' }: { label?: string }) {
  return (
    <p class="loading" role="status">
      <span class="spinner" aria-hidden="true" /> {label}
    </p>
  );
}

// Copies `text`; falls back to selecting `fallbackTarget`'s text (and
// execCommand) where the async clipboard is missing (plain-HTTP servers).
async function copyText(text: string, fallbackTarget: HTMLElement | null): Promise<'copied' | 'selected'> {
  try {
    if (navigator.clipboard && window.isSecureContext) {
      await navigator.clipboard.writeText(text);
      return 'copied';
    }
  } catch {
    // Permission refused: fall through to selecting the text.
  }
  if (fallbackTarget) {
    const range = document.createRange();
    range.selectNodeContents(fallbackTarget);
    const sel = window.getSelection();
    sel?.removeAllRanges();
    sel?.addRange(range);
    try {
      if (document.execCommand('copy')) return 'copied';
    } catch {
      // Some browsers refuse execCommand outright.
    }
  }
  return 'selected';
}

export function CopyButton({ text, target, label = 'Copy', what }: { text: string; target?: () => HTMLElement | null; label?: string; what?: string }) {
  const [state, setState] = useState<'idle' | 'copied' | 'selected'>('idle');
  const timer = useRef<number | undefined>(undefined);
  useEffect(() => () => clearTimeout(timer.current), []);
  const copy = async () => {
    setState(await copyText(text, target ? target() : null));
    clearTimeout(timer.current);
    timer.current = window.setTimeout(() => setState('idle'), 2500);
  };
  return (
    <>
      <button type="button" class={`btn btn-secondary btn-copy${state === 'copied' ? ' is-copied' : ''}`} onClick={copy} aria-label={what ? `${label} ${what}` : undefined}>
        {state === 'copied' ? <Check width={15} height={15} /> : <CopyIcon />} {state === 'copied' ? 'Copied' : label}
      </button>
      <span class="visually-hidden" role="status" aria-live="polite">
        {state === 'copied' ? 'Copied' : state === 'selected' ? 'Selected: press Control C or Command C to copy' : ''}
      </span>
      {state === 'selected' && <span class="copy-fallback">Selected — press Ctrl+C (⌘C) to copy.</span>}
    </>
  );
}

export function CodeBlock({ code, label, copyWhat, wrap }: { code: string; label?: string; copyWhat?: string; wrap?: boolean }) {
  const ref = useRef<HTMLElement>(null);
  return (
    <figure class="code">
      <div class="code-bar">
        <figcaption>{label}</figcaption>
        <CopyButton text={code} target={() => ref.current} what={copyWhat ?? label} />
      </div>
      <pre class={wrap ? 'wrap' : undefined} tabIndex={0}>
        <code ref={ref}>{code}</code>
      </pre>
    </figure>
  );
}

// Text with `backticks` rendered as inline code.
export function Rich({ text }: { text: string }) {
  const parts = text.split('`');
  return <>{parts.map((p, i) => (i % 2 ? <code key={i}>{p}</code> : p))}</>;
}

// A WAI-ARIA tab list: arrow keys, Home and End move between tabs (and
// select them); Tab goes on to the panel, `${base}-panel`.
export function TabList({ tabs, active, onSelect, label, base, class: cls = 'tablist' }: { tabs: { id: string; label: string }[]; active: string; onSelect: (id: string) => void; label: string; base: string; class?: string }) {
  const refs = useRef<Record<string, HTMLButtonElement | null>>({});
  const onKey = (e: KeyboardEvent) => {
    const i = tabs.findIndex((t) => t.id === active);
    let next = -1;
    if (e.key === 'ArrowRight' || e.key === 'ArrowDown') next = (i + 1) % tabs.length;
    else if (e.key === 'ArrowLeft' || e.key === 'ArrowUp') next = (i - 1 + tabs.length) % tabs.length;
    else if (e.key === 'Home') next = 0;
    else if (e.key === 'End') next = tabs.length - 1;
    if (next < 0) return;
    e.preventDefault();
    onSelect(tabs[next].id);
    refs.current[tabs[next].id]?.focus();
  };
  return (
    <div role="tablist" aria-label={label} class={cls} onKeyDown={onKey}>
      {tabs.map((t) => (
        <button
          key={t.id}
          ref={(el) => {
            refs.current[t.id] = el;
          }}
          type="button"
          role="tab"
          id={`${base}-tab-${t.id}`}
          aria-selected={t.id === active}
          aria-controls={`${base}-panel`}
          tabIndex={t.id === active ? 0 : -1}
          onClick={() => onSelect(t.id)}
        >
          {t.label}
        </button>
      ))}
    </div>
  );
}

// Tabs with their panels.
export function Tabs({ tabs, label }: { tabs: { id: string; label: string; content: () => ComponentChildren }[]; label: string }) {
  const [active, setActive] = useState(tabs[0].id);
  const base = useId();
  const current = tabs.find((t) => t.id === active) ?? tabs[0];
  return (
    <div class="tabs">
      <TabList tabs={tabs} active={current.id} onSelect={setActive} label={label} base={base} />
      <div role="tabpanel" id={`${base}-panel`} aria-labelledby={`${base}-tab-${current.id}`} class="tabpanel">
        {current.content()}
      </div>
    </div>
  );
}

// A list loaded from the app API when `path` changes, with `reload` for
// after a change and the load error in plain words.
export function useAppList<T>(path: string, pick: (body: never) => T[]): { items: T[] | null; error: string | null; reload: () => Promise<void> } {
  const [items, setItems] = useState<T[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const reload = () =>
    api
      .get<never>(path)
      .then((body) => {
        setItems(pick(body));
        setError(null);
      })
      .catch((e: Error) => setError(e.message));
  useEffect(() => {
    setItems(null);
    reload();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [path]);
  return { items, error, reload };
}

// A part of a page loaded on demand (its own chunk): null until it's there.
export function useLazy<T>(cache: { current: Promise<T> | null }, load: () => Promise<T>): { value: T | null; error: boolean } {
  const [value, setValue] = useState<T | null>(null);
  const [error, setError] = useState(false);
  useEffect(() => {
    cache.current ??= load();
    cache.current.then(
      (v) => setValue(() => v),
      () => {
        cache.current = null;
        setError(true);
      },
    );
    // Loaded once per mount; `cache` keeps it for the next.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);
  return { value, error };
}

// A modal <dialog>, open while mounted, with a title and a close button;
// Escape closes it too. `onClose` should unmount it.
export function Modal({ title, onClose, children }: { title: string; onClose: () => void; children: ComponentChildren }) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  useEffect(() => {
    ref.current?.showModal();
  }, []);
  return (
    <dialog ref={ref} class="dialog dialog-wide" aria-labelledby={titleId} onClose={onClose}>
      <div class="dialog-head">
        <h2 id={titleId}>{title}</h2>
        <button type="button" class="icon-btn" aria-label="Close" onClick={() => ref.current?.close()}>
          <span aria-hidden="true">×</span>
        </button>
      </div>
      {children}
    </dialog>
  );
}

// A modal confirmation on <dialog>: the browser traps focus and Escape closes it.
export function ConfirmDialog({
  open,
  title,
  children,
  confirmLabel,
  onConfirm,
  onClose,
  busy,
  canConfirm = true,
  error,
}: {
  open: boolean;
  title: string;
  children: ComponentChildren;
  confirmLabel: string;
  onConfirm: () => void;
  onClose: () => void;
  busy?: boolean;
  canConfirm?: boolean;
  error?: string | null;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    if (open && !d.open) d.showModal();
    if (!open && d.open) d.close();
  }, [open]);
  return (
    <dialog ref={ref} class="dialog" aria-labelledby={titleId} onClose={onClose} onCancel={onClose}>
      <form
        method="dialog"
        onSubmit={(e) => {
          e.preventDefault();
          if (canConfirm && !busy) onConfirm();
        }}
      >
        <h2 id={titleId}>{title}</h2>
        <div class="dialog-body">{children}</div>
        <ErrorText error={error} />
        <div class="actions">
          <Button variant="secondary" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit" variant="danger" busy={busy} disabled={!canConfirm}>
            {confirmLabel}
          </Button>
        </div>
      </form>
    </dialog>
  );
}

export function Section({ title, description, children, id }: { title: string; description?: ComponentChildren; children: ComponentChildren; id?: string }) {
  const headingId = useId();
  return (
    <section class="card" aria-labelledby={headingId} id={id}>
      <h2 id={headingId}>{title}</h2>
      {description && <p class="muted">{description}</p>}
      {children}
    </section>
  );
}

export function roleLabel(role: string): string {
  return role === 'owner' ? 'Owner' : role === 'admin' ? 'Admin' : role === 'viewer' ? 'Viewer' : role;
}
