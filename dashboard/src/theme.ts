// Light or dark: follows prefers-color-scheme until the user picks one with
// the toggle; the pick is remembered in localStorage.

export type Theme = 'light' | 'dark';
const kKey = 'datafast.theme';

function stored(): Theme | null {
  try {
    const t = localStorage.getItem(kKey);
    return t === 'light' || t === 'dark' ? t : null;
  } catch {
    return null;
  }
}

export function systemTheme(): Theme {
  return matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
}

export function currentTheme(): Theme {
  return stored() ?? systemTheme();
}

// Sets data-theme on the root, the one switch the stylesheet reads: the
// stored pick, else the system's, kept in step when the system changes.
export function applyTheme() {
  const apply = () => {
    document.documentElement.dataset.theme = currentTheme();
  };
  apply();
  matchMedia('(prefers-color-scheme: dark)').addEventListener('change', apply);
}

export function setTheme(t: Theme) {
  try {
    localStorage.setItem(kKey, t);
  } catch {
    // Private mode without storage: the choice lasts for this page only.
  }
  document.documentElement.dataset.theme = t;
}
