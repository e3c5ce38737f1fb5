// First-party visitor and session ids, kept in cookies on the site's root
// domain so a checkout on a subdomain can read them and pass them on to the
// payment provider. The cookieless build never imports this file.

const kVisitor = 'datafast_visitor_id';
const kSession = 'datafast_session_id';

function randomUuid() {
  try {
    return crypto.randomUUID();
  } catch (e) {
    // randomUUID needs a secure context; getRandomValues does not.
    return '10000000-1000-4000-8000-100000000000'.replace(/[018]/g, (c) =>
      (c ^ (crypto.getRandomValues(new Uint8Array(1))[0] & (15 >> (c / 4)))).toString(16));
  }
}

// A value the server would refuse (it takes 8 to 64 of [A-Za-z0-9_-]) reads
// as no cookie, so it gets replaced.
function readCookie(name) {
  const m = document.cookie.match('(?:^|; )' + name + '=([\\w-]{8,64})(;|$)');
  return m && m[1];
}

// Returns {visitorId, sessionId}, or {} when cookies cannot be written.
// Every call renews the session cookie, so a session ends after 30 minutes
// without an event. `domain` is data-domain, or '' for a host-only cookie.
export function identity(domain) {
  try {
    const attrs = ';path=/;SameSite=Lax' + (domain ? ';domain=.' + domain : '') +
      (location.protocol == 'https:' ? ';Secure' : '');
    const ids = {};
    for (const [name, key, maxAge] of [[kVisitor, 'visitorId', 31536000], [kSession, 'sessionId', 1800]]) {
      const id = readCookie(name) || randomUuid();
      document.cookie = name + '=' + id + ';max-age=' + maxAge + attrs;
      if (readCookie(name) != id) return {};
      ids[key] = id;
    }
    return ids;
  } catch (e) {
    return {};
  }
}
