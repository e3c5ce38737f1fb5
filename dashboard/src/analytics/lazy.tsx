// The analytics view is its own chunk: the sign-in, sites and settings pages
// load without it, and it arrives while the site itself is being fetched.
import type { ComponentProps } from 'preact';
import { Notice, Spinner, useLazy } from '../components/ui';
import type { Dashboard as DashboardView } from './dashboard';

type View = typeof DashboardView;
const chunk: { current: Promise<View> | null } = { current: null };

export function Dashboard(props: ComponentProps<View>) {
  const { value: View, error } = useLazy(chunk, () => import('./dashboard').then((m) => m.Dashboard));
  if (error) return <Notice kind="error">The dashboard could not be loaded. Check your connection and reload.</Notice>;
  return View ? <View {...props} /> : <Spinner />;
}
