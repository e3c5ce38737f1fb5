// What every part of the analytics view needs: how to reach the data, the
// site, the current view and how to change it, and what the viewer may do.
import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { Access } from './data';
import type { View } from './view';

export interface SiteInfo {
  domain: string;
  timezone: string;
  currency: string;
  // Days before a payment whose visits can be credited; a share link's
  // site does not say.
  attributionWindowDays?: number;
}

export interface Dash {
  access: Access;
  site: SiteInfo;
  // The app's site id: notes are changed through /api/app/sites/{id}/notes.
  siteId: string | null;
  view: View;
  // The view's API parameters (period and filters), shared by every request.
  params: URLSearchParams;
  setView: (v: View) => void;
  // Notes can be added, changed and deleted (members who are not viewers).
  canEditNotes: boolean;
  // Bumped when notes change, so their readers reload.
  notesVersion: number;
  notesChanged: () => void;
}

export const DashCtx = createContext<Dash | null>(null);

export function useDash(): Dash {
  const d = useContext(DashCtx);
  if (!d) throw new Error('useDash outside the analytics view');
  return d;
}
