import { usePageTitle } from '../components/ui';
import { Link } from '../router';

export function NotFound() {
  usePageTitle('Page not found');
  return (
    <div class="card narrow empty">
      <h1>Page not found</h1>
      <p>There’s nothing at this address. It may have moved, or the link may be mistyped.</p>
      <Link class="btn btn-primary" href="/">
        Go to your sites
      </Link>
    </div>
  );
}
