// The tracking snippet for a site, and the install guides the setup screen
// shows for each platform. Steps are plain text where `backticks` mark code;
// a {code} step is a block with its own copy button.

export interface SnippetSite {
  id: string;
  domain: string;
}

export function snippet(site: SnippetSite, origin: string): string {
  return `<script defer data-website-id="${site.id}" data-domain="${site.domain}" src="${origin}/js/script.js"></script>`;
}

export type Step = string | { code: string; label: string };

export interface Guide {
  id: string;
  label: string;
  steps: Step[];
}

export function guides(site: SnippetSite, origin: string): Guide[] {
  const tag = snippet(site, origin);
  const host = safeHost(origin);
  return [
    {
      id: 'html',
      label: 'HTML',
      steps: [
        'Paste the snippet inside the `<head>` of every page of your site, or once in the layout or template that all pages share.',
        { label: 'index.html', code: `<head>\n  …\n  ${tag}\n</head>` },
        'Publish the change and open your site in a browser. The check below turns green within a few seconds.',
      ],
    },
    {
      id: 'next-app',
      label: 'Next.js (App Router)',
      steps: [
        'Add the script to your root layout with `next/script`, so it loads on every route. Client-side navigations are tracked automatically.',
        {
          label: 'app/layout.tsx',
          code: `import Script from 'next/script';

export default function RootLayout({ children }: { children: React.ReactNode }) {
  return (
    <html lang="en">
      <head>
        <Script
          defer
          data-website-id="${site.id}"
          data-domain="${site.domain}"
          src="${origin}/js/script.js"
          strategy="afterInteractive"
        />
      </head>
      <body>{children}</body>
    </html>
  );
}`,
        },
        'Deploy, then visit your site.',
      ],
    },
    {
      id: 'next-pages',
      label: 'Next.js (Pages Router)',
      steps: [
        'Add the script to `pages/_document.tsx` (create the file if you don’t have one).',
        {
          label: 'pages/_document.tsx',
          code: `import { Html, Head, Main, NextScript } from 'next/document';

export default function Document() {
  return (
    <Html lang="en">
      <Head>
        <script
          defer
          data-website-id="${site.id}"
          data-domain="${site.domain}"
          src="${origin}/js/script.js"
        />
      </Head>
      <body>
        <Main />
        <NextScript />
      </body>
    </Html>
  );
}`,
        },
        'Prefer `pages/_app.tsx`? Render `<Script defer data-website-id="…" data-domain="…" src="…" strategy="afterInteractive" />` from `next/script` next to `<Component {...pageProps} />` instead. Use one of the two, not both.',
      ],
    },
    {
      id: 'wordpress',
      label: 'WordPress',
      steps: [
        'Easiest: install a header-scripts plugin such as “WPCode” or “Insert Headers and Footers” (Plugins → Add New), open its settings and paste the snippet into the Header box. Save.',
        'Without a plugin: in Appearance → Theme File Editor, open `header.php` of your (child) theme and paste the snippet just before `</head>`. Use a child theme, or a theme update will remove it.',
        { label: 'header.php', code: `  ${tag}\n</head>` },
        'Caching plugin? Clear its cache so visitors get the new pages.',
      ],
    },
    {
      id: 'gtm',
      label: 'Google Tag Manager',
      steps: [
        'In your container, go to Tags → New → Tag Configuration → Custom HTML.',
        'Paste the snippet into the HTML box.',
        { label: 'Custom HTML tag', code: tag },
        'Under Triggering choose “All Pages” (Initialization or Page View). Save the tag, then Submit and Publish the container.',
        'Some ad blockers block Tag Manager itself; the first-party proxy recipe avoids that if it matters to you.',
      ],
    },
    {
      id: 'webflow',
      label: 'Webflow',
      steps: [
        'Open your project’s Site settings → Custom code.',
        'Paste the snippet into “Head code” and save.',
        'Publish the site: custom code only runs on the published site, not in the Designer.',
      ],
    },
    {
      id: 'shopify',
      label: 'Shopify',
      steps: [
        'In your Shopify admin go to Online Store → Themes, open the “…” menu of your live theme and choose Edit code.',
        'Open `layout/theme.liquid` and paste the snippet just before `</head>`. Save.',
        { label: 'layout/theme.liquid', code: `  ${tag}\n</head>` },
      ],
    },
    {
      id: 'proxy',
      label: 'First-party proxy',
      steps: [
        `Ad blockers skip requests to analytics hosts. Serve the script and the events endpoint from ${site.domain} itself: add these to the nginx server block of your site.`,
        {
          label: 'nginx',
          code: `location = /js/script.js {
  proxy_pass ${origin}/js/script.js;
  proxy_set_header Host ${host};
}
location = /api/events {
  proxy_pass ${origin}/api/events;
  proxy_set_header Host ${host};
  proxy_set_header x-datafast-real-ip $remote_addr;
}`,
        },
        'Then use this snippet instead, with `data-api-url` pointing at your own domain:',
        {
          label: 'Snippet through the proxy',
          code: `<script defer data-website-id="${site.id}" data-domain="${site.domain}" data-api-url="/api/events" src="/js/script.js"></script>`,
        },
        'Finally, list the proxy’s address in `--trusted-proxies` of your DataFast server, or every visitor will appear to come from the proxy.',
      ],
    },
  ];
}

function safeHost(origin: string): string {
  try {
    return new URL(origin).host;
  } catch {
    return origin;
  }
}
