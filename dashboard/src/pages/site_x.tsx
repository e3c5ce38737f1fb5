// The X (Twitter) part of a site's Revenue settings: the accounts the site
// posts from and the posts it follows, so that the Revenue tab lists each
// with what it brought, visited or not (docs/app-api.md, "X accounts and
// posts"). Owners and admins add and remove them; viewers see the lists.
import type { Ref } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { api, ApiError } from '../api';
import type { Site, XAccount, XPostInfo, XRegistry } from '../api';
import { Button, ErrorText, LiveStatus, Notice, Spinner, TextField, useSubmit } from '../components/ui';
import { formatDate, formatDateTime, plural, shortPostId } from '../format';

export function XAccountsAndPosts({ site, readOnly }: { site: Site; readOnly: boolean }) {
  const base = `/sites/${site.id}/x`;
  const [x, setX] = useState<XRegistry | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [done, setDone] = useState('');
  const remove = useSubmit();
  const [removing, setRemoving] = useState('');
  const handleInput = useRef<HTMLInputElement>(null);
  const urlInput = useRef<HTMLInputElement>(null);

  const load = () =>
    api.get<XRegistry>(base).then(
      (r) => {
        setX(r);
        setLoadError(null);
      },
      (e: Error) => setLoadError(e.message),
    );
  useEffect(() => {
    setX(null);
    load();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [base]);

  // The removed row's button goes with it: the focus moves to the field
  // that adds to the same list.
  const removeItem = (key: string, path: string, said: string, field: { current: HTMLInputElement | null }) =>
    remove.run(async () => {
      setDone('');
      setRemoving(key);
      try {
        await api.del(path);
      } catch (e) {
        // Already removed (in another tab, say): the list catches up.
        if (!(e instanceof ApiError && e.status === 404)) throw e;
      } finally {
        setRemoving('');
      }
      await load();
      setDone(said);
      field.current?.focus();
    });

  return (
    <div class="subsection x-settings">
      <h3>X (Twitter)</h3>
      <p class="muted">
        Add the accounts you post from and the posts you want to follow: the Revenue tab lists each with the visitors and revenue it brought, even before its first visit. A link to your site credits its post when it carries <code>?ref=x-POST_ID</code> or{' '}
        <code>utm_content=POST_ID</code>.
      </p>
      {x && !x.api_configured && (
        <p class="muted small x-api-note">
          Post text and engagement (likes, reposts, impressions) show once the server’s operator sets an X API token: <code>--x-api-token</code> or <code>DATAFAST_X_API_TOKEN</code>.
        </p>
      )}
      {!x && !loadError && <Spinner label="Loading X accounts and posts…" />}
      {!x && loadError && <Notice kind="error">Couldn’t load the X accounts and posts: {loadError}</Notice>}
      {x && (
        <>
          <h4 class="x-settings-title">Accounts</h4>
          {!readOnly && (
            <AddForm
              field="handle"
              label="Add account"
              placeholder="@yourname"
              hint="Your handle on X."
              button="Add account"
              inputRef={handleInput}
              empty="Enter a handle on X, like @yourname."
              add={async (handle) => {
                const a = await api.post<XAccount>(`${base}/accounts`, { handle });
                await load();
                setDone(`@${a.handle} added.`);
              }}
            />
          )}
          {x.accounts.length === 0 ? (
            <p class="muted">No accounts yet.</p>
          ) : (
            <ul class="key-list x-settings-list" aria-label="X accounts">
              {x.accounts.map((a) => (
                <li class="key-row" key={a.handle} data-account={a.handle}>
                  <div class="key-main">
                    <p class="key-name">
                      <a href={`https://x.com/${a.handle}`} target="_blank" rel="noopener noreferrer">
                        @{a.handle}
                        <span class="visually-hidden"> on X (opens in a new tab)</span>
                      </a>
                    </p>
                    <p class="muted small">
                      Added <time dateTime={a.added_at} title={formatDateTime(a.added_at)}>{formatDate(a.added_at)}</time>
                    </p>
                  </div>
                  {!readOnly && (
                    <div class="member-actions">
                      <Button
                        variant="secondary"
                        busy={removing === `account:${a.handle}`}
                        busyLabel="Removing…"
                        aria-label={`Remove @${a.handle}`}
                        onClick={() => removeItem(`account:${a.handle}`, `${base}/accounts/${encodeURIComponent(a.handle)}`, `@${a.handle} removed.`, handleInput)}
                      >
                        Remove
                      </Button>
                    </div>
                  )}
                </li>
              ))}
            </ul>
          )}

          <h4 class="x-settings-title">Posts</h4>
          {!readOnly && (
            <AddForm
              field="url"
              label="Add a post"
              placeholder="https://x.com/yourname/status/…"
              hint="The post’s address on X, or its id."
              button="Add post"
              inputRef={urlInput}
              empty="Paste the address of a post on X."
              add={async (url) => {
                const p = await api.post<XPostInfo>(`${base}/posts`, { url });
                await load();
                setDone(`Post ${shortPostId(p.post_id)} added.`);
              }}
            />
          )}
          {x.posts.length === 0 ? (
            <p class="muted">No posts yet.</p>
          ) : (
            <ul class="key-list x-settings-list" aria-label="X posts">
              {x.posts.map((p) => (
                <PostRow
                  key={p.post_id}
                  p={p}
                  readOnly={readOnly}
                  busy={removing === `post:${p.post_id}`}
                  onRemove={() => removeItem(`post:${p.post_id}`, `${base}/posts/${p.post_id}`, `Post ${shortPostId(p.post_id)} removed.`, urlInput)}
                />
              ))}
            </ul>
          )}
        </>
      )}
      <ErrorText error={remove.error} />
      <LiveStatus class="saved-note">{done}</LiveStatus>
    </div>
  );
}

function PostRow({ p, readOnly, busy, onRemove }: { p: XPostInfo; readOnly: boolean; busy: boolean; onRemove: () => void }) {
  const short = shortPostId(p.post_id);
  const facts = [];
  if (p.posted_at) facts.push(`Posted ${formatDate(p.posted_at)}`);
  // A failed look-up leaves zeros, which are no counts.
  if (p.fetched_at && !p.fetch_error) facts.push(plural(p.likes, 'like'), plural(p.reposts, 'repost'), plural(p.impressions, 'impression'));
  return (
    <li class="key-row" data-post={p.post_id}>
      <div class="key-main">
        <p class="key-name">
          <a href={p.url} target="_blank" rel="noopener noreferrer" title={p.post_id}>
            Post {short}
            <span class="visually-hidden"> on X (opens in a new tab)</span>
          </a>
          {p.handle && <span class="x-settings-by"> by @{p.handle}</span>}
        </p>
        {p.text && (
          <p class="x-settings-text" title={p.text}>
            {p.text}
          </p>
        )}
        {facts.length > 0 && <p class="muted small">{facts.join(' · ')}</p>}
        {p.fetch_error && (
          <p class="small x-fetch-error">
            <span class="tag tag-danger">Not fetched</span> {p.fetch_error}
          </p>
        )}
      </div>
      {!readOnly && (
        <div class="member-actions">
          <Button variant="secondary" busy={busy} busyLabel="Removing…" aria-label={`Remove post ${short}`} onClick={onRemove}>
            Remove
          </Button>
        </div>
      )}
    </li>
  );
}

// One field and its button; the server's 400 for `field` shows under the
// field, and the field empties once added.
function AddForm({
  field,
  label,
  placeholder,
  hint,
  button,
  inputRef,
  empty,
  add,
}: {
  field: string;
  label: string;
  placeholder: string;
  hint: string;
  button: string;
  inputRef: Ref<HTMLInputElement>;
  empty: string;
  add: (value: string) => Promise<void>;
}) {
  const [value, setValue] = useState('');
  const f = useSubmit();
  const submit = (e: Event) => {
    e.preventDefault();
    f.run(async () => {
      if (!value.trim()) return f.setFieldErrors({ [field]: empty });
      await add(value.trim());
      setValue('');
    });
  };
  // An error on a field this form doesn't have is shown under it instead.
  const other = Object.entries(f.fieldErrors).find(([k]) => k !== field);
  return (
    <>
      <form class="inline-form x-add-form" onSubmit={submit} noValidate>
        <TextField
          label={label}
          inputRef={inputRef}
          value={value}
          onValue={setValue}
          placeholder={placeholder}
          spellcheck={false}
          autoCapitalize="none"
          autoComplete="off"
          error={f.fieldErrors[field]}
          hint={hint}
        />
        <Button type="submit" variant="secondary" busy={f.busy} busyLabel="Adding…">
          {button}
        </Button>
      </form>
      <ErrorText error={f.error ?? other?.[1]} />
    </>
  );
}
