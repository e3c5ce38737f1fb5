// The dashboard's copy of the server's domain normalisation, used only to
// show the user what will be stored as they type; the server has the last
// word. "https://www.Example.com/pricing" -> "example.com".

export type DomainCheck = { ok: true; domain: string } | { ok: false; reason: string };

export function normaliseDomain(input: string): DomainCheck {
  let s = input.trim().toLowerCase();
  if (!s) return { ok: false, reason: 'Enter the domain of your website, like example.com.' };
  if (/\s/.test(s)) return { ok: false, reason: 'A domain has no spaces.' };
  if (!/^[a-z][a-z0-9+.-]*:\/\//.test(s)) s = `http://${s}`;
  let host: string;
  try {
    host = new URL(s).hostname;
  } catch {
    return { ok: false, reason: 'That doesn’t look like a domain. Try something like example.com.' };
  }
  host = host.replace(/\.$/, '').replace(/^www\./, '');
  if (host === 'localhost' || /^[\d.]+$/.test(host) || host.startsWith('[')) {
    return { ok: false, reason: 'Use your site’s public domain name, not localhost or an IP address.' };
  }
  if (!host.includes('.')) return { ok: false, reason: 'Include the ending, like .com or .io.' };
  const labels = host.split('.');
  const valid = labels.every((l) => /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/.test(l)) && /[a-z]/.test(labels[labels.length - 1]);
  if (!valid || host.length > 253) {
    return { ok: false, reason: 'That doesn’t look like a domain. Try something like example.com.' };
  }
  return { ok: true, domain: host };
}
