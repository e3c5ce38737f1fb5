// API keys and tokens: the one-time secret panel and the list with revoke.
import { useState } from 'preact/hooks';
import { api } from '../api';
import type { Key } from '../api';
import { formatAgo, formatDate } from '../format';
import { Button, CodeBlock, ConfirmDialog, LiveStatus, useSubmit } from './ui';

export function NewSecret({ secret, name, onDone }: { secret: string; name: string; onDone: () => void }) {
  return (
    <div class="secret" role="region" aria-label={`New key ${name}`}>
      <p class="secret-title">
        <strong>Copy your new key “{name}” now.</strong> For your security it is shown only this once; if you lose it, revoke it and create another.
      </p>
      <CodeBlock code={secret} label="Secret key" copyWhat="the secret key" wrap />
      <Button variant="secondary" onClick={onDone}>
        I’ve saved it
      </Button>
    </div>
  );
}

export function KeysTable({
  keys,
  readOnly,
  revokePath,
  onRevoked,
  empty,
  showScopes,
}: {
  keys: Key[];
  readOnly: boolean;
  revokePath: (k: Key) => string;
  onRevoked: () => void;
  empty: string;
  showScopes?: boolean;
}) {
  const [revoking, setRevoking] = useState<Key | null>(null);
  const [done, setDone] = useState('');
  const f = useSubmit();
  if (keys.length === 0) return <p class="muted">{empty}</p>;
  const revoke = () =>
    f.run(async () => {
      if (!revoking) return;
      await api.del(revokePath(revoking));
      setDone(`Revoked “${revoking.name}”.`);
      setRevoking(null);
      onRevoked();
    });
  return (
    <>
      <ul class="key-list">
        {keys.map((k) => (
          <li key={k.id} class="key-row">
            <div class="key-main">
              <p class="key-name">{k.name}</p>
              <p class="muted small">
                <code>{k.prefix}…</code> · created {formatDate(k.created_at)} · last used {formatAgo(k.last_used_at)}
              </p>
              {showScopes && (
                <p class="scopes">
                  {k.scopes.map((s) => (
                    <span class="tag" key={s}>
                      {s}
                    </span>
                  ))}
                </p>
              )}
            </div>
            {!readOnly && (
              <Button variant="ghost" class="btn btn-ghost btn-danger-text" onClick={() => setRevoking(k)} aria-label={`Revoke ${k.name}`}>
                Revoke
              </Button>
            )}
          </li>
        ))}
      </ul>
      <LiveStatus class="visually-hidden">{done}</LiveStatus>
      <ConfirmDialog
        open={!!revoking}
        title={`Revoke “${revoking?.name ?? ''}”?`}
        confirmLabel="Revoke key"
        busy={f.busy}
        error={f.error}
        onClose={() => setRevoking(null)}
        onConfirm={revoke}
      >
        <p>Anything using this key stops working immediately: its requests get “401 Unauthorized”. This can’t be undone.</p>
      </ConfirmDialog>
    </>
  );
}
