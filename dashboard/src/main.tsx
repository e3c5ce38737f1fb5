// Entry point: theme first (before the first paint), then the app.
import { render } from 'preact';
import { App } from './app';
import { SessionProvider } from './session';
import { applyTheme } from './theme';
import './styles.css';

applyTheme();
render(
  <SessionProvider>
    <App />
  </SessionProvider>,
  document.getElementById('app')!,
);
