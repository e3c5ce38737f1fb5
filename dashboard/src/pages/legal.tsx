// /privacy, /terms, /dpa: the texts DataFast ships for a self-hosted
// server. They describe what the software really does; the organisation
// running the server fills in its own name and reviews them.
import type { ComponentChildren } from 'preact';
import { usePageTitle } from '../components/ui';
import { Link } from '../router';

function Doc({ title, children, note }: { title: string; children: ComponentChildren; note?: ComponentChildren }) {
  usePageTitle(title);
  return (
    <article class="prose card">
      <h1>{title}</h1>
      {note && <p class="prose-note">{note}</p>}
      {children}
      <nav aria-label="Other documents" class="prose-links">
        <Link href="/privacy">Privacy policy</Link> · <Link href="/terms">Terms of use</Link> · <Link href="/dpa">Data processing agreement</Link>
      </nav>
    </article>
  );
}

const kSelfHosted = (
  <>
    This DataFast server is run by the organisation that installed it (“the operator”, “we”), not by the authors of the DataFast software. The data it holds stays on the operator’s infrastructure.
  </>
);

function Privacy() {
  return (
    <Doc title="Privacy policy" note={kSelfHosted}>
      <h2>In short</h2>
      <ul>
        <li>The dashboard sets one cookie: your login session. No advertising, no tracking of you, no third-party requests.</li>
        <li>Visitors of the websites measured here are counted without storing their IP address.</li>
        <li>Every site’s data is deleted after its retention period (two years unless set otherwise), and can be erased or exported at any time.</li>
      </ul>

      <h2>1. Who is responsible</h2>
      <p>
        For your account on this server, the operator is the controller. For the visitors of a website you measure with DataFast, <strong>you</strong> (the website owner) are the controller and the operator processes that data on your behalf, under the <Link href="/dpa">data processing agreement</Link>.
      </p>

      <h2>2. The dashboard</h2>
      <h3>What we store about you</h3>
      <ul>
        <li>Your email address, and whether you confirmed it.</li>
        <li>Your password, only as a salted, slow hash; nobody can read it back.</li>
        <li>The teams you belong to and your role in each, invitations you sent, and the API keys you created (the secret itself only as a hash; we keep a short prefix so you can recognise it).</li>
        <li>Your active sessions, so you can stay logged in and we can sign them out when you change your password.</li>
      </ul>
      <h3>Cookies and storage</h3>
      <ul>
        <li>
          <code>df_session</code>: keeps you logged in. HttpOnly, SameSite=Lax, sent only to this server. It is strictly necessary and ends when you log out.
        </li>
        <li>Your browser’s local storage remembers your light or dark theme and the team you last looked at. It never leaves your browser.</li>
      </ul>
      <p>The dashboard loads nothing from other servers: no web fonts, no CDNs, no analytics of our own.</p>

      <h2>3. Visitors of the websites you measure</h2>
      <h3>What the tracking script sends</h3>
      <p>
        For each page view or goal: the page address, the referring page, campaign parameters (<code>utm_*</code>), the screen width and the browser language. The server derives browser, operating system and device type from the user agent, and country, region and city from the IP address.
      </p>
      <h3>IP addresses</h3>
      <p>The IP address is used in memory for the location lookup and, in cookieless mode, for a daily-rotating visitor hash. It is never written to disk, including logs.</p>
      <h3>Cookies set on your website</h3>
      <ul>
        <li>
          <code>datafast_visitor_id</code>: a random identifier, kept for one year, so returning visitors and purchases can be attributed to the visit that brought them.
        </li>
        <li>
          <code>datafast_session_id</code>: a random identifier that ends after 30 minutes without activity.
        </li>
      </ul>
      <p>
        Both are first-party cookies of your domain; they are not shared across websites and contain nothing about the person. If you prefer no cookies at all, use <code>script.cookieless.js</code>: it stores nothing in the browser. Depending on your jurisdiction, the cookie variant may require consent; mention DataFast in your own privacy policy either way.
      </p>
      <h3>Payments</h3>
      <p>If you connect a payment provider, we store each payment’s amount, currency, time, transaction id and the visitor it is attributed to, plus the customer’s email or name only when your integration sends them.</p>

      <h2>4. How long data is kept</h2>
      <ul>
        <li>Website events: for the site’s retention period, 730 days (two years) by default and adjustable per site, then deleted automatically.</li>
        <li>Your account: until you delete it. Deleting it also deletes every team you alone own, with its sites and data.</li>
        <li>Sessions end at log-out or expiry; password reset and confirmation links work once and expire after a short time.</li>
      </ul>

      <h2>5. Your rights</h2>
      <p>
        You can see and change your data in the dashboard, export any site’s events as CSV, erase a single visitor’s events by their visitor id, delete a site, or delete your account. For anything else (access, correction, objection, a complaint) contact the operator of this server; you may also complain to your data protection authority.
      </p>

      <h2>6. Who else sees the data</h2>
      <p>Nobody by default. If the operator configures them, these receive only what they need:</p>
      <ul>
        <li>An email provider, to deliver confirmation, password reset and invitation emails.</li>
        <li>Stripe, if billing is enabled, to take payments for a plan.</li>
      </ul>

      <h2>7. Security</h2>
      <p>Traffic is encrypted when the server runs behind TLS, as recommended. Requests that change anything need both your session and a per-session token against cross-site request forgery. Login attempts are rate-limited.</p>

      <h2>8. Changes</h2>
      <p>If this policy changes in a way that matters, the operator tells account holders by email or in the dashboard before the change applies.</p>
    </Doc>
  );
}

function Terms() {
  return (
    <Doc title="Terms of use" note={kSelfHosted}>
      <h2>1. The service</h2>
      <p>The operator provides access to this DataFast server: web analytics for your websites, revenue attribution, an API, and the dashboard. By creating an account you accept these terms.</p>

      <h2>2. Your account</h2>
      <ul>
        <li>Give a real email address and keep your password and API keys secret. You are responsible for what is done with them.</li>
        <li>Team owners decide who joins a team and with which role; owners and admins can remove members at any time.</li>
        <li>Tell the operator straight away if you suspect someone else uses your account.</li>
      </ul>

      <h2>3. Acceptable use</h2>
      <ul>
        <li>Only measure websites you own or are allowed to measure.</li>
        <li>Tell your visitors about the measurement in your privacy policy, and ask for consent where your law requires it.</li>
        <li>Don’t send special categories of personal data (health, beliefs, and the like), passwords or payment card numbers in page addresses, goal names or their parameters.</li>
        <li>Don’t overload the server, probe its security without permission, or use it to break the law.</li>
      </ul>

      <h2>4. Your data</h2>
      <p>
        The data collected for your websites belongs to you. The operator processes it only to run the service for you, as set out in the <Link href="/dpa">data processing agreement</Link>, and never sells it. You can export it at any time and delete it whenever you like.
      </p>

      <h2>5. Plans and limits</h2>
      <p>
        A plan may limit the number of websites and of events per month. You choose on the Usage page whether tracking continues or pauses once the limit is reached. Where billing is enabled, paid plans renew each period until cancelled, and you can cancel or change the plan at any time from the billing portal.
      </p>

      <h2>6. Availability and changes</h2>
      <p>The operator aims to keep the service running and the data safe, but provides it as is, without a guarantee of uninterrupted availability. Features may change; anything that removes access to your data is announced in advance so you can export it.</p>

      <h2>7. Ending</h2>
      <p>You can delete your account at any time on the Account page. The operator may suspend an account that breaks these terms, after a warning unless the harm is urgent. After an account ends, its data is deleted.</p>

      <h2>8. Liability</h2>
      <p>To the extent the law allows, the operator is not liable for indirect damages or lost profits arising from the use of the service. Nothing in these terms limits liability that cannot be limited by law.</p>

      <h2>9. Contact</h2>
      <p>Questions about these terms go to the operator of this server.</p>
    </Doc>
  );
}

function Dpa() {
  return (
    <Doc
      title="Data processing agreement"
      note={
        <>
          A template under Article 28 GDPR for the operator of this server and each customer whose websites it measures. Replace the text in [square brackets] before signing.
        </>
      }
    >
      <h2>Parties</h2>
      <p>
        <strong>Controller:</strong> [Customer company name], [address], [registration number] (“the Customer”).
        <br />
        <strong>Processor:</strong> [Operator company name], [address], [registration number], operator of the DataFast server at [https://analytics.example.com] (“the Operator”).
      </p>

      <h2>1. Subject matter and duration</h2>
      <p>The Operator processes personal data on behalf of the Customer to provide web analytics and revenue attribution for the Customer’s websites. This agreement lasts as long as the Customer has an account on the server.</p>

      <h2>2. Nature and purpose</h2>
      <p>Collecting, storing, aggregating and displaying website visits, goals and payments; answering API requests; deleting data at the end of the retention period or on request.</p>

      <h2>3. Personal data and data subjects</h2>
      <ul>
        <li>
          <strong>Data subjects:</strong> visitors of the Customer’s websites; the Customer’s customers where payments are attributed.
        </li>
        <li>
          <strong>Data:</strong> random visitor and session identifiers; pages viewed, referrers and campaign parameters; browser, operating system, device type, screen width and language; approximate location (country, region, city) derived from the IP address, which is not stored; goals and their parameters; payment amount, currency, transaction id and, where the Customer sends them, customer email, name or id.
        </li>
        <li>
          <strong>Special categories:</strong> none. The Customer does not send any.
        </li>
      </ul>

      <h2>4. Obligations of the Operator</h2>
      <ol>
        <li>Process the data only on the Customer’s documented instructions, which are this agreement and the Customer’s settings in the dashboard, unless the law requires otherwise; tell the Customer if an instruction seems unlawful.</li>
        <li>Ensure that everyone with access to the data is bound to confidentiality.</li>
        <li>Take the technical and organisational measures in the annex.</li>
        <li>Engage sub-processors only with the Customer’s prior general authorisation, listed below, informing the Customer of changes [30] days ahead so it can object.</li>
        <li>Help the Customer answer data subjects’ requests; the dashboard’s export and visitor erasure cover most of them.</li>
        <li>Notify the Customer without undue delay, and within [48] hours, after becoming aware of a personal data breach, with the information the Customer needs to meet its own duties.</li>
        <li>Help the Customer with data protection impact assessments and consultations with authorities where relevant.</li>
        <li>At the end of the service, delete all personal data of the Customer within [30] days, after letting the Customer export it, unless the law requires keeping it.</li>
        <li>Make available the information needed to demonstrate compliance, and allow audits by the Customer or an auditor it mandates, on [30] days’ notice and at most once a year unless there was a breach.</li>
      </ol>

      <h2>5. Obligations of the Customer</h2>
      <p>The Customer has a lawful basis for the measurement, informs its visitors, obtains consent where required, and sets a retention period appropriate to its purposes.</p>

      <h2>6. Sub-processors</h2>
      <ul>
        <li>[Hosting provider], [location]: server infrastructure.</li>
        <li>[Email provider], [location]: account emails only; no visitor data. Delete if not used.</li>
        <li>[Stripe Payments Europe Ltd., Ireland]: billing for the Customer’s plan; no visitor data. Delete if not used.</li>
      </ul>

      <h2>7. Transfers outside the EEA</h2>
      <p>The data is stored in [country]. Any transfer outside the EEA happens only under an adequacy decision or the EU Standard Contractual Clauses.</p>

      <h2>8. Liability and precedence</h2>
      <p>Liability follows [the main agreement between the parties / Article 82 GDPR]. Where this agreement conflicts with other agreements between the parties on data protection, this agreement prevails.</p>

      <h2>Annex: technical and organisational measures</h2>
      <ul>
        <li>IP addresses are processed in memory only and never stored or logged.</li>
        <li>Visitor identifiers are random; the cookieless mode uses a salted hash that rotates daily.</li>
        <li>Automatic deletion of events after the retention period set per site (default 730 days).</li>
        <li>Access to the dashboard only with an account; roles (owner, admin, viewer) per team; passwords stored as slow salted hashes; login rate limiting; CSRF protection on every change.</li>
        <li>API keys stored as hashes, scoped to a site or to chosen permissions, revocable at once.</li>
        <li>Encryption in transit with TLS; [encryption at rest of the data volume].</li>
        <li>Acknowledged events are committed to disk before the server answers, so a crash loses none; [daily backups, kept for N days, encrypted].</li>
        <li>[Physical security, staff access control and patch management of the hosting environment.]</li>
      </ul>

      <h2>Signatures</h2>
      <p>
        For the Customer: [name, title, date]
        <br />
        For the Operator: [name, title, date]
      </p>
    </Doc>
  );
}

export default function Legal({ doc }: { doc: 'privacy' | 'terms' | 'dpa' }) {
  return doc === 'privacy' ? <Privacy /> : doc === 'terms' ? <Terms /> : <Dpa />;
}
