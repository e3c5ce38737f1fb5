// The DataFast browser tracker. One source, built three ways by build.mjs
// through esbuild `define` flags:
//   COOKIELESS  no cookie, nothing in storage, no ids (the server derives them)
//   HASH        the page path includes location.hash; hash changes are pageviews
// It defines one global, window.datafast, and never throws into the host page:
// every entry point (load, history, events, observers) runs inside safe().
/* global COOKIELESS, HASH */
import { identity } from './identity.js';

function start() {
  const w = window;
  const d = document;
  const loc = location;
  const nav = navigator;
  const script = d.currentScript || d.querySelector('script[data-website-id]');
  const attr = (name) => script.getAttribute('data-' + name);
  const flag = (name) => attr(name) == 'true';

  const quiet = flag('disable-console');
  const debug = flag('debug');
  const say = (level, ...args) => quiet || console[level]('[DataFast]', ...args);

  const websiteId = attr('website-id');
  const domain = (attr('domain') || '').toLowerCase();
  const host = loc.hostname;
  const allowed = (attr('allowed-hostnames') || '').split(',').map((h) => h.trim().toLowerCase());
  const onDomain = host == domain || host.endsWith('.' + domain);
  const endpoint = attr('api-url') || new URL(script.src).origin + '/api/events';

  // Why nothing may be sent from this page, or false when tracking is allowed.
  const blocked =
    !websiteId || !domain ? 'no data-website-id or data-domain'
    : nav.webdriver === true || w._phantom || w.__nightmare || w.Cypress ? 'bot'
    : /^localhost$|^127\.|^\[::1\]$|\.localhost$/.test(host) ? !flag('allow-localhost') && 'localhost'
    : loc.protocol == 'file:' ? !flag('allow-file-protocol') && 'file:'
    : !onDomain && !allowed.includes(host) && 'hostname ' + host;

  function safe(fn) {
    return function () {
      try {
        return fn.apply(this, arguments);
      } catch (e) {}
    };
  }

  function send(type, extra) {
    if (blocked) return say('log', 'ignored ' + type + ': ' + blocked);
    const event = {
      websiteId,
      domain,
      type,
      href: loc.href,
      referrer: d.referrer || null,
      screenWidth: w.innerWidth,
      language: nav.language,
      ...(COOKIELESS || identity(onDomain && domain)),
      ...extra,
    };
    if (HASH) event.hash = true;
    debug && say('log', type, event);
    const body = JSON.stringify(event);
    // Both ways send text/plain, a CORS simple request: no preflight. A string
    // beacon body goes out as text/plain;charset=UTF-8, like a text/plain Blob
    // but smaller, and its body stays visible to the browser tests.
    let queued = false;
    try {
      queued = nav.sendBeacon(endpoint, body);
    } catch (e) {}
    if (!queued) {
      fetch(endpoint, {
        method: 'POST',
        body,
        keepalive: true,
        headers: { 'Content-Type': 'text/plain' },
        credentials: 'omit',
      }).catch(() => {});
    }
  }

  // window.datafast(name, params): a custom goal.
  function goal(name, params) {
    if (typeof name != 'string' || !/^[a-z0-9_-]{1,64}$/.test(name)) {
      return say('warn', 'invalid goal name', name);
    }
    let clean; // stays undefined, so JSON leaves it out, when there are no params
    const entries = Object.entries(Object(params)).filter(([key, value]) => key && key.length <= 64 && value != null);
    for (const [key, value] of entries.slice(0, 10)) (clean = clean || {})[key] = String(value).slice(0, 255);
    send('goal', { name, params: clean });
  }

  // data-fast-goal-product-id="x" with prefix "data-fast-goal-" -> {product_id: "x"}
  function attrParams(el, prefix) {
    const params = {};
    for (const a of el.attributes) {
      if (a.name.startsWith(prefix)) params[a.name.slice(prefix.length).replace(/-/g, '_')] = a.value;
    }
    return params;
  }

  const pagePath = () => (HASH ? loc.pathname + loc.hash : loc.pathname);
  let lastPath;

  function pageview() {
    if (pagePath() == lastPath) return;
    lastPath = pagePath();
    send('pageview');
    watchScrollGoals();
  }

  // data-fast-scroll="name": the goal fires once per pageview, when half the
  // element is in view. Observing an element twice is a no-op, so every
  // pageview can rescan the page for elements an SPA added.
  let observer;
  function watchScrollGoals() {
    if (!w.IntersectionObserver) return;
    observer = observer || new IntersectionObserver(safe((entries) => {
      for (const e of entries) {
        if (e.intersectionRatio < 0.5) continue;
        observer.unobserve(e.target);
        goal(e.target.getAttribute('data-fast-scroll'), attrParams(e.target, 'data-fast-scroll-'));
      }
    }), { threshold: 0.5 });
    for (const el of d.querySelectorAll('[data-fast-scroll]')) observer.observe(el);
  }

  // Clicks (and middle clicks) on goal elements and on links to other hosts.
  function onClick(e) {
    if (e.type == 'auxclick' && e.button != 1) return;
    const goalEl = e.target.closest('[data-fast-goal]');
    if (goalEl) goal(goalEl.getAttribute('data-fast-goal'), attrParams(goalEl, 'data-fast-goal-'));
    const link = e.target.closest('a[href]');
    if (link && /^http/.test(link.protocol) && link.host != loc.host) send('outbound', { url: link.href });
  }

  // ?session_id=cs_… (Stripe Checkout), ?order_id= (Lemon Squeezy), ?checkout_id= (Polar).
  function detectPayment() {
    const query = new URLSearchParams(loc.search);
    for (const [key, provider] of [['session_id', 'stripe'], ['order_id', 'lemonsqueezy'], ['checkout_id', 'polar']]) {
      const id = query.get(key);
      if (id && (provider != 'stripe' || id.startsWith('cs_'))) {
        return send('payment', { provider, transactionId: id });
      }
    }
  }

  // Start: replace the queue stub, hook navigation and clicks, send the pageview.
  const queue = (w.datafast && w.datafast.q) || [];
  w.datafast = safe(goal);

  const onNavigate = safe(pageview);
  for (const method of ['pushState', 'replaceState']) {
    const original = history[method];
    history[method] = function () {
      const result = original.apply(this, arguments);
      onNavigate();
      return result;
    };
  }
  w.addEventListener('popstate', onNavigate);
  HASH && w.addEventListener('hashchange', onNavigate);
  const click = safe(onClick);
  d.addEventListener('click', click, true);
  d.addEventListener('auxclick', click, true);

  pageview();
  flag('disable-payments') || detectPayment();
  for (const args of queue) w.datafast.apply(null, args);
}

try {
  start();
} catch (e) {
  // Never throw into the host page.
}
