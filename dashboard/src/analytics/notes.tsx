// Notes pinned to a day ("Launched on Product Hunt", tags "launch"): listed
// for the period, flagged on the chart, added, changed and deleted by members
// who are not viewers; read-only on share links.
import { useState } from 'preact/hooks';
import { api } from '../api';
import { Button, ConfirmDialog, ErrorText, Notice, Spinner, useSubmit } from '../components/ui';
import { useDash } from './context';
import { forget, useV1 } from './data';
import type { Note } from './data';
import { todayIn } from './view';

const kMaxText = 500;
const kMaxTags = 5;
const kMaxTag = 30;

function parseTags(s: string): string[] {
  return [...new Set(s.split(',').map((t) => t.trim()).filter(Boolean))];
}

function checkNote(date: string, text: string, tags: string[]): Record<string, string> {
  const errors: Record<string, string> = {};
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) errors.date = 'Pick a day.';
  if (!text.trim()) errors.text = 'Write the note first.';
  else if (text.trim().length > kMaxText) errors.text = `Keep it under ${kMaxText} characters (now ${text.trim().length}).`;
  if (tags.length > kMaxTags) errors.tags = `At most ${kMaxTags} tags.`;
  else if (tags.some((t) => t.length > kMaxTag)) errors.tags = `Each tag is at most ${kMaxTag} characters.`;
  return errors;
}

function formatDay(day: string): string {
  const [y, m, d] = day.split('-').map(Number);
  return new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeZone: 'UTC' }).format(new Date(Date.UTC(y, m - 1, d)));
}

function NoteForm({ note, onDone, onCancel }: { note?: Note; onDone: () => void; onCancel: () => void }) {
  const { siteId, site, notesChanged } = useDash();
  const [date, setDate] = useState(note?.date ?? todayIn(site.timezone));
  const [text, setText] = useState(note?.text ?? '');
  const [tags, setTags] = useState(note?.tags.join(', ') ?? '');
  const f = useSubmit();
  const submit = (e: Event) => {
    e.preventDefault();
    f.run(async () => {
      const list = parseTags(tags);
      const errors = checkNote(date, text, list);
      if (Object.keys(errors).length) return f.setFieldErrors(errors);
      const body = { date, text: text.trim(), tags: list };
      if (note) await api.patch(`/sites/${siteId}/notes/${note.id}`, body);
      else await api.post(`/sites/${siteId}/notes`, body);
      forget('notes');
      notesChanged();
      onDone();
    });
  };
  const ids = note ? `note-${note.id}` : 'note-new';
  return (
    <form class="note-form" onSubmit={submit} noValidate aria-label={note ? 'Edit note' : 'New note'}>
      <div class="note-fields">
        <div class={`field${f.fieldErrors.date ? ' field-invalid' : ''}`}>
          <label for={`${ids}-date`}>Day</label>
          <input id={`${ids}-date`} type="date" value={date} onInput={(e) => setDate(e.currentTarget.value)} aria-invalid={!!f.fieldErrors.date || undefined} />
          {f.fieldErrors.date && <p class="field-error">{f.fieldErrors.date}</p>}
        </div>
        <div class={`field note-text${f.fieldErrors.text ? ' field-invalid' : ''}`}>
          <label for={`${ids}-text`}>Note</label>
          <input
            id={`${ids}-text`}
            type="text"
            value={text}
            maxLength={kMaxText}
            placeholder="Launched on Product Hunt"
            onInput={(e) => setText(e.currentTarget.value)}
            aria-invalid={!!f.fieldErrors.text || undefined}
            aria-describedby={f.fieldErrors.text ? `${ids}-text-error` : undefined}
            autoFocus
          />
          {f.fieldErrors.text && (
            <p class="field-error" id={`${ids}-text-error`}>
              {f.fieldErrors.text}
            </p>
          )}
        </div>
        <div class={`field${f.fieldErrors.tags ? ' field-invalid' : ''}`}>
          <label for={`${ids}-tags`}>
            Tags <span class="optional">(optional, comma-separated)</span>
          </label>
          <input id={`${ids}-tags`} type="text" value={tags} placeholder="launch, marketing" onInput={(e) => setTags(e.currentTarget.value)} aria-invalid={!!f.fieldErrors.tags || undefined} />
          {f.fieldErrors.tags && <p class="field-error">{f.fieldErrors.tags}</p>}
        </div>
      </div>
      <ErrorText error={f.error} />
      <div class="actions">
        <Button type="submit" busy={f.busy} busyLabel="Saving…">
          {note ? 'Save note' : 'Add note'}
        </Button>
        <Button variant="secondary" onClick={onCancel}>
          Cancel
        </Button>
      </div>
    </form>
  );
}

export function NotesPanel() {
  const { access, params, canEditNotes, siteId, notesVersion, notesChanged } = useDash();
  const res = useV1<{ data: Note[] }>(access, 'notes', params, notesVersion);
  const [adding, setAdding] = useState(false);
  const [editing, setEditing] = useState<string | null>(null);
  const [deleting, setDeleting] = useState<Note | null>(null);
  const del = useSubmit();
  const editable = canEditNotes && !!siteId;
  const notes = [...(res.data?.data ?? [])].sort((a, b) => b.date.localeCompare(a.date) || b.created_at.localeCompare(a.created_at));

  const doDelete = () =>
    del.run(async () => {
      await api.del(`/sites/${siteId}/notes/${deleting!.id}`);
      setDeleting(null);
      forget('notes');
      notesChanged();
    });

  return (
    <section class="card panel notes" aria-labelledby="notes-title">
      <div class="panel-head">
        <h2 id="notes-title">Notes</h2>
        {editable && !adding && (
          <Button variant="secondary" onClick={() => setAdding(true)}>
            Add note
          </Button>
        )}
      </div>
      {adding && <NoteForm onDone={() => setAdding(false)} onCancel={() => setAdding(false)} />}
      {res.error && !res.data ? (
        <Notice kind="error">{res.error.message}</Notice>
      ) : !res.data ? (
        <Spinner />
      ) : notes.length === 0 ? (
        <p class="panel-empty">{editable ? 'No notes in this period. Add one to mark a launch, a campaign or a price change on the chart.' : 'No notes in this period.'}</p>
      ) : (
        <ul class="note-list">
          {notes.map((n) =>
            editing === n.id ? (
              <li key={n.id} class="note">
                <NoteForm note={n} onDone={() => setEditing(null)} onCancel={() => setEditing(null)} />
              </li>
            ) : (
              <li key={n.id} class="note">
                <div class="note-main">
                  <p class="note-date">
                    <time dateTime={n.date}>{formatDay(n.date)}</time>
                  </p>
                  <p class="note-body">{n.text}</p>
                  {(n.tags.length > 0 || n.author) && (
                    <p class="note-meta">
                      {n.tags.map((t) => (
                        <span class="tag" key={t}>
                          {t}
                        </span>
                      ))}
                      {n.author && <span class="muted small"> {n.author}</span>}
                    </p>
                  )}
                </div>
                {editable && (
                  <div class="note-actions">
                    <Button variant="ghost" onClick={() => setEditing(n.id)} aria-label={`Edit note of ${formatDay(n.date)}: ${n.text}`}>
                      Edit
                    </Button>
                    <Button variant="ghost" onClick={() => setDeleting(n)} aria-label={`Delete note of ${formatDay(n.date)}: ${n.text}`}>
                      Delete
                    </Button>
                  </div>
                )}
              </li>
            ),
          )}
        </ul>
      )}
      <ConfirmDialog open={!!deleting} title="Delete this note?" confirmLabel="Delete note" busy={del.busy} error={del.error} onClose={() => setDeleting(null)} onConfirm={doDelete}>
        <p>
          “{deleting?.text}” ({deleting && formatDay(deleting.date)}) will be deleted for everyone on this site.
        </p>
      </ConfirmDialog>
    </section>
  );
}
