import type { OfferUnit } from '../../src-shared/api';
import { energyLines, type EnergyCertificate } from '../../src-shared/energy';
import { berlinTimeDe } from '../../src-shared/i18n/prospect/berlin-time';
import { projectFacts } from '../../src-shared/project-facts';
import type { OfferFile, OfferRecipient, OfferRecord } from '../store/offers/types';
import { SCRIPT, STYLESHEET } from './assets';
import { html, type SafeHtml } from './html';
import { legalBlocks } from '../../src-shared/legal-text';
import type { LegalDocument } from '../../src-shared/api';
import type { ConfirmedItem } from '../store/offers/types';
import { agentLabel, serviceDescription, type Confirmation } from './legal';

const EUR = new Intl.NumberFormat('de-DE', { style: 'currency', currency: 'EUR', maximumFractionDigits: 0 });
const NUM = new Intl.NumberFormat('de-DE', { maximumFractionDigits: 2 });

export const formatPrice = (n: number): string => EUR.format(n);
export const formatArea = (n: number): string => `${NUM.format(n)} m²`;
export const formatNumber = (n: number): string => NUM.format(n);

function formatSize(bytes: number): string {
  if (bytes < 1024 * 1024) return `${Math.max(1, Math.round(bytes / 1024))} KB`;
  return `${NUM.format(Math.round((bytes / (1024 * 1024)) * 10) / 10)} MB`;
}

/** The whole document around a page body: one stylesheet, one script, nothing inline. */
export function layout(title: string, body: SafeHtml, opts: { script?: boolean } = {}): string {
  return html`<!doctype html>
    <html lang="de">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="robots" content="noindex, nofollow" />
        <title>${title}</title>
        <link rel="stylesheet" href="/l/assets/${STYLESHEET.name}" />
        ${opts.script ? html`<script src="/l/assets/${SCRIPT.name}" defer></script>` : ''}
      </head>
      <body>
        ${body}
      </body>
    </html> `.value;
}

export interface LandingView {
  offer: OfferRecord;
  recipient: OfferRecipient;
  base: string;
  csrf: string;
  liked: Set<string>;
  confirmations: Confirmation[];
  /** confirmations this recipient already gave, by id (with the wording hash and when) */
  confirmed: Map<string, ConfirmedItem>;
  /** the confirmation mail of the latest declaration: when it was sent, if it was */
  mail?: { sentAt: string | null } | undefined;
  legalError?: boolean;
}

/** given with exactly the wording shown now (another wording, e.g. a new version, asks again) */
export const isConfirmed = (v: Pick<LandingView, 'confirmed'>, c: Confirmation): boolean =>
  v.confirmed.get(c.id)?.wordingSha256 === c.wordingSha256;

export function legalComplete(view: Pick<LandingView, 'offer' | 'confirmations' | 'confirmed'>): boolean {
  return (
    !view.offer.property.legalForm || view.confirmations.every((c) => !c.required || isConfirmed(view, c))
  );
}

export function landingPage(v: LandingView): string {
  const p = v.offer.property;
  const images = v.offer.files.filter((f) => f.role === 'image');
  const documents = v.offer.files.filter((f) => f.role === 'document');
  const expose = v.offer.files.find((f) => f.role === 'expose');
  const unlocked = legalComplete(v);
  const units = p.units ?? [];
  const greeting = v.recipient.recipientName ? `Guten Tag, ${v.recipient.recipientName}` : 'Guten Tag';

  // a project's facts are ranges over its units, not the figures of one of them
  const facts: [string, string][] = units.length > 0 ? projectFacts(units) : [];
  if (units.length === 0) {
    if (p.price !== undefined) facts.push(['Preis', formatPrice(p.price)]);
    if (p.area !== undefined) facts.push(['Wohnfläche', formatArea(p.area)]);
    if (p.rooms !== undefined) facts.push(['Zimmer', formatNumber(p.rooms)]);
  }
  if (p.address) facts.push(['Adresse', p.address]);

  const body = html`
    <a class="skip" href="#inhalt">Zum Inhalt springen</a>
    <header class="top">
      <div class="in">
        <span class="brand">${p.agent.company ?? p.agent.name}</span>
        <p class="greet">
          ${greeting} – dieses Angebot wurde für Sie erstellt. <a href="#kontakt">Kontakt</a>
        </p>
      </div>
    </header>
    <div class="wrap">
      <main id="inhalt">
        <h1>${p.title}</h1>
        ${p.address ? html`<p class="addr">${p.address}</p>` : ''}
        ${images.length > 0 ? gallery(v.base, images, p.title) : ''}
        <section class="card" aria-labelledby="eckdaten">
          <h2 id="eckdaten">Eckdaten</h2>
          <dl class="facts">
            ${facts.map(
              ([k, val]) =>
                html`<div>
                  <dt>${k}</dt>
                  <dd>${val}</dd>
                </div>`,
            )}
          </dl>
        </section>
        ${p.energy ? energySection(p.energy) : ''}
        ${
          p.description
            ? html`<section class="card" aria-labelledby="beschreibung">
                <h2 id="beschreibung">Beschreibung</h2>
                <p class="desc">${p.description}</p>
              </section>`
            : ''
        }
        ${units.length > 0 ? unitsSection(v, units) : ''} ${p.legalForm ? legalSection(v, unlocked) : ''}
        ${documentsSection(v, documents, expose, unlocked)}
        ${
          p.links.length > 0
            ? html`<section class="card" aria-labelledby="links">
                <h2 id="links">Weitere Informationen</h2>
                <ul class="plain">
                  ${p.links.map(
                    (l, n) =>
                      html`<li>
                        <a href="${v.base}/link/${n}" target="_blank" rel="noopener noreferrer">${l.label}</a>
                      </li>`,
                  )}
                </ul>
              </section>`
            : ''
        }
        <section class="card" aria-labelledby="widerruf">
          <h2 id="widerruf">Widerrufsbelehrung</h2>
          <p>
            Informationen zu Ihrem Widerrufsrecht finden Sie in der
            <a href="${v.base}/widerruf">Widerrufsbelehrung (Fassung ${p.cancellationPolicy.version})</a>.
          </p>
          ${
            p.terms || p.privacy
              ? html`<ul class="plain">
                  ${p.terms ? html`<li><a href="${v.base}/agb">Allgemeine Geschäftsbedingungen (Fassung ${p.terms.version})</a></li>` : ''}
                  ${p.privacy ? html`<li><a href="${v.base}/datenschutz">Datenschutzerklärung (Fassung ${p.privacy.version})</a></li>` : ''}
                </ul>`
              : ''
          }
          ${
            p.commissionNotice
              ? html`<h3>Provisionshinweis</h3>
                  <p class="desc">${p.commissionNotice}</p>`
              : ''
          }
        </section>
      </main>
      <aside class="side" aria-labelledby="kontakt">
        <div class="card agent">
          <h2 id="kontakt">Ihr Ansprechpartner</h2>
          <dl>
            <dt>Name</dt>
            <dd>${p.agent.name}</dd>
            ${
              p.agent.company
                ? html`<dt>Firma</dt>
                    <dd>${p.agent.company}</dd>`
                : ''
            }
            <dt>E-Mail</dt>
            <dd><a href="mailto:${p.agent.email}">${p.agent.email}</a></dd>
            ${
              p.agent.phone
                ? html`<dt>Telefon</dt>
                    <dd><a href="tel:${p.agent.phone.replace(/[^0-9+]/g, '')}">${p.agent.phone}</a></dd>`
                : ''
            }
          </dl>
        </div>
      </aside>
    </div>
    <footer class="bottom">
      <p>Dieses Angebot wurde Ihnen persönlich zugesandt. Bitte leiten Sie den Link nicht weiter.</p>
    </footer>
    <p id="like-status" class="sr-only" role="status" aria-live="polite"></p>
  `;
  return layout(`${p.title} – Angebot`, body, { script: units.length > 0 });
}

/** § 87 GEG: the Energieausweis items, or why there is none (an ad must not be silent) */
function energySection(e: EnergyCertificate): SafeHtml {
  const lines = energyLines(e);
  return html`<section class="card" aria-labelledby="energie" data-energy="${e.status}">
    <h2 id="energie">Energieausweis</h2>
    ${
      e.status === 'available'
        ? html`<dl class="facts energy">
            ${lines.map(
              ([k, val]) =>
                html`<div>
                  <dt>${k}</dt>
                  <dd>${val}</dd>
                </div>`,
            )}
          </dl>`
        : html`<p>${lines[0]?.[1] ?? ''}</p>`
    }
  </section>`;
}

function gallery(base: string, images: OfferFile[], title: string): SafeHtml {
  return html`<ul class="gallery" aria-label="Bilder">
    ${images.map(
      (img, i) =>
        html`<li>
          <img
            src="${base}/img/${img.id}"
            alt="Bild ${i + 1} von ${images.length}: ${title}"
            ${i === 0 ? '' : html`loading="lazy"`}
            decoding="async"
          />
        </li>`,
    )}
  </ul>`;
}

const UNIT_STATUS: Record<OfferUnit['status'], string> = {
  available: 'frei',
  reserved: 'reserviert',
  sold: 'verkauft',
};

function unitsSection(v: LandingView, units: OfferUnit[]): SafeHtml {
  return html`<section class="card" aria-labelledby="einheiten">
    <h2 id="einheiten">Einheiten</h2>
    <p class="meta">
      Markieren Sie die Einheiten, die Sie interessieren – Ihr Ansprechpartner meldet sich dazu bei Ihnen.
    </p>
    <ul class="units">
      ${units.map((u) => {
        const liked = v.liked.has(u.id);
        const parts = [
          u.floor,
          u.rooms !== undefined ? `${formatNumber(u.rooms)} Zimmer` : undefined,
          u.area !== undefined ? formatArea(u.area) : undefined,
          u.price !== undefined ? formatPrice(u.price) : undefined,
        ].filter((x): x is string => x !== undefined && x !== '');
        return html`<li class="unit" id="einheit-${u.id}">
          <div>
            <h3>${u.number} <span class="badge ${u.status}">${UNIT_STATUS[u.status]}</span></h3>
            ${u.title ? html`<p class="unit-title">${u.title}</p>` : ''}
            <p>${parts.join(' · ')}</p>
            ${u.teaser ? html`<p class="meta unit-teaser">${u.teaser}</p>` : ''}
          </div>
          ${
            u.status === 'sold'
              ? ''
              : html`<form class="like-form" method="post" action="${v.base}/like">
                  <input type="hidden" name="csrf" value="${v.csrf}" />
                  <input type="hidden" name="unit" value="${u.id}" />
                  <input type="hidden" name="liked" value="${liked ? 'false' : 'true'}" />
                  <button
                    class="btn ${liked ? '' : 'secondary'}"
                    type="submit"
                    aria-pressed="${liked ? 'true' : 'false'}"
                    data-unit="${u.number}"
                    data-on="♥ Gemerkt"
                    data-off="♡ Gefällt mir"
                    aria-label="${u.number}: gefällt mir"
                  >
                    ${liked ? '♥ Gemerkt' : '♡ Gefällt mir'}
                  </button>
                </form>`
          }
        </li>`;
      })}
    </ul>
  </section>`;
}

const DOCUMENT_LINKS: Partial<Record<Confirmation['id'], { path: string; label: string }>> = {
  cancellation_policy_read: { path: 'widerruf', label: 'Widerrufsbelehrung und Muster-Widerrufsformular' },
  terms_accepted: { path: 'agb', label: 'Allgemeine Geschäftsbedingungen' },
  privacy_read: { path: 'datenschutz', label: 'Datenschutzerklärung' },
};

/** what „beauftragte Dienstleistung“ means here: shown wherever the form asks about it */
function serviceExplanation(v: LandingView): SafeHtml {
  const p = v.offer.property;
  return html`<div class="service">
    <h3>Was ist die „beauftragte Dienstleistung“?</h3>
    <p>
      Wenn Sie die Unterlagen anfordern, kommt ein Maklervertrag mit ${agentLabel(p)} zustande. Die
      beauftragte Dienstleistung ist der ${serviceDescription(p)}. Eine Provision wird nur fällig, wenn ein
      Kaufvertrag über das Objekt zustande kommt.
    </p>
  </div>`;
}

function legalSection(v: LandingView, unlocked: boolean): SafeHtml {
  const required = v.confirmations.filter((c) => c.required);
  const optional = v.confirmations.filter((c) => !c.required && !isConfirmed(v, c));
  const given = v.confirmations.filter((c) => isConfirmed(v, c));
  const asksWiderruf = v.confirmations.some((c) => c.id === 'early_start');
  const doc = (c: Confirmation) => {
    const d = DOCUMENT_LINKS[c.id];
    return d
      ? html`<span class="doc-link"
          ><a href="${v.base}/${d.path}" target="_blank" rel="noopener">${d.label} öffnen</a></span
        >`
      : '';
  };
  const givenList =
    given.length > 0
      ? html`<ul class="confirmed" data-testid="confirmed">
          ${given.map((c) => {
            const at = v.confirmed.get(c.id)?.confirmedAt;
            return html`<li data-confirmation="${c.id}">
              <span class="when">${at ? `Bestätigt am ${berlinTimeDe(at)}` : 'Bestätigt'}</span>
              <span class="wording">${c.wording}</span>
            </li>`;
          })}
        </ul>`
      : '';
  const mailNote = v.mail
    ? html`<p class="meta" data-testid="confirmation-mail">
        ${
          v.mail.sentAt
            ? `Eine Bestätigung mit diesen Angaben${asksWiderruf ? ', der Widerrufsbelehrung und dem Muster-Widerrufsformular (PDF)' : ''} wurde Ihnen am ${berlinTimeDe(v.mail.sentAt)} per E-Mail gesendet.`
            : `Eine Bestätigung mit diesen Angaben${asksWiderruf ? ', der Widerrufsbelehrung und dem Muster-Widerrufsformular (PDF)' : ''} wird Ihnen per E-Mail gesendet.`
        }
      </p>`
    : '';
  const checkbox = (c: Confirmation) =>
    html`<div class="check${c.required ? '' : ' optional'}" data-confirmation="${c.id}">
      <input
        type="checkbox"
        id="c-${c.id}"
        name="c_${c.id}"
        value="ja"
        ${c.required ? html`required` : ''}
        ${isConfirmed(v, c) ? html`checked` : ''}
      />
      <label for="c-${c.id}"
        >${c.wording}${c.required ? '' : html` <span class="meta">(freiwillig)</span>`}</label
      >
      ${doc(c)}
    </div>`;

  if (unlocked) {
    return html`<section class="card" id="rechtliches" aria-labelledby="rechtliches-h">
      <h2 id="rechtliches-h">Ihre Bestätigung</h2>
      ${
        required.length > 0
          ? html`<p class="ok">
              Vielen Dank – Sie haben die Hinweise bestätigt. Die Unterlagen stehen Ihnen zum Download bereit.
            </p>`
          : ''
      }
      ${givenList} ${mailNote} ${asksWiderruf ? serviceExplanation(v) : ''}
      ${
        optional.length > 0
          ? html`<form class="legal" method="post" action="${v.base}/confirm">
              <input type="hidden" name="csrf" value="${v.csrf}" />
              ${optional.map(checkbox)}
              <button class="btn secondary" type="submit">Speichern</button>
            </form>`
          : ''
      }
    </section>`;
  }
  return html`<section class="card" id="rechtliches" aria-labelledby="rechtliches-h">
    <h2 id="rechtliches-h">Bevor Sie die Unterlagen erhalten</h2>
    ${v.legalError ? html`<p class="error" role="alert">Bitte bestätigen Sie alle Pflichtangaben.</p>` : ''}
    ${asksWiderruf ? serviceExplanation(v) : ''}
    <form class="legal" method="post" action="${v.base}/confirm">
      <input type="hidden" name="csrf" value="${v.csrf}" />
      <fieldset>
        <legend>Bitte bestätigen Sie:</legend>
        ${required.map(checkbox)}
      </fieldset>
      ${
        v.confirmations.some((c) => !c.required)
          ? html`<fieldset>
              <legend>Freiwillig:</legend>
              ${v.confirmations.filter((c) => !c.required).map(checkbox)}
            </fieldset>`
          : ''
      }
      <p class="meta">
        Ihre Bestätigung wird mit Zeitpunkt und IP-Adresse als Nachweis gespeichert, und Sie erhalten sie per
        E-Mail.
      </p>
      <button class="btn" type="submit">Bestätigen und Unterlagen freischalten</button>
    </form>
  </section>`;
}

function documentsSection(
  v: LandingView,
  documents: OfferFile[],
  expose: OfferFile | undefined,
  unlocked: boolean,
): SafeHtml | '' {
  if (documents.length === 0 && !expose) return '';
  const item = (href: string, f: OfferFile, label: string): SafeHtml =>
    unlocked
      ? html`<li><a href="${href}">${label}</a> <span class="meta">(PDF, ${formatSize(f.size)})</span></li>`
      : html`<li class="locked">
          ${label} <span class="meta">(PDF, ${formatSize(f.size)}) – nach Ihrer Bestätigung verfügbar</span>
        </li>`;
  return html`<section class="card" aria-labelledby="unterlagen">
    <h2 id="unterlagen">Unterlagen</h2>
    <ul class="plain">
      ${expose ? item(`${v.base}/expose`, expose, `Exposé: ${expose.name}`) : ''}
      ${documents.map((d) => item(`${v.base}/doc/${d.id}`, d, d.name))}
    </ul>
  </section>`;
}

/** a legal text as a page with real headings: the page's h1, the text's sections as h2 */
function legalTextBody(text: string, title: string): SafeHtml {
  const blocks = legalBlocks(text);
  return html`${blocks.map((b, i) =>
    b.kind === 'p'
      ? html`<p>${b.text}</p>`
      : // the text's own title is the page's h1 already
        i === 0 && b.kind === 'h1' && b.text === title
        ? ''
        : html`<h2>${b.text}</h2>`,
  )}`;
}

export function legalDocumentPage(
  offer: OfferRecord,
  base: string,
  title: string,
  doc: LegalDocument,
): string {
  const p = offer.property;
  return layout(
    `${title} – ${p.title}`,
    html`<main class="narrow" id="inhalt">
      <p><a href="${base}">← Zurück zum Angebot</a></p>
      <h1>${title}</h1>
      <p class="meta">Fassung ${doc.version} · ${agentLabel(p)}</p>
      <div class="card policy">${legalTextBody(doc.text, title)}</div>
      <p><a href="${base}">← Zurück zum Angebot</a></p>
    </main>`,
  );
}

export function policyPage(offer: OfferRecord, base: string): string {
  return legalDocumentPage(offer, base, 'Widerrufsbelehrung', offer.property.cancellationPolicy);
}

export function messagePage(title: string, text: string, back?: string): string {
  return layout(
    title,
    html`<main class="narrow" id="inhalt">
      <h1>${title}</h1>
      <p>${text}</p>
      ${back ? html`<p><a href="${back}">← Zurück zum Angebot</a></p>` : ''}
    </main>`,
  );
}

export function gonePage(offer: OfferRecord): string {
  const p = offer.property;
  const sold = offer.status === 'sold';
  const project = (p.units ?? []).length > 1;
  const heading = sold
    ? project
      ? 'Alle Einheiten dieses Projekts sind vergeben'
      : 'Diese Immobilie ist bereits verkauft'
    : 'Dieses Angebot ist nicht mehr verfügbar';
  const reason = sold
    ? project
      ? 'Für dieses Projekt sind keine Einheiten mehr verfügbar.'
      : 'Die Immobilie hat inzwischen einen neuen Eigentümer gefunden.'
    : 'Der Anbieter hat das Angebot zurückgezogen.';
  return layout(
    sold ? (project ? 'Alle Einheiten vergeben' : 'Bereits verkauft') : 'Angebot nicht mehr verfügbar',
    html`<main class="narrow" id="inhalt">
      <h1>${heading}</h1>
      <p>Vielen Dank für Ihr Interesse an ${p.title}. ${reason}</p>
      <p>
        Gerne informiert Sie ${p.agent.name} über ähnliche Objekte:
        <a href="mailto:${p.agent.email}">${p.agent.email}</a
        >${p.agent.phone ? html`, Telefon ${p.agent.phone}` : ''}.
      </p>
    </main>`,
  );
}

/**
 * A landing page the agent locked (property status, „alle Landing Pages sperren“, archived
 * contact, Absage): polite, and nothing about the property, not even its title. Only whom to ask.
 */
export function lockedPage(offer: OfferRecord): string {
  const a = offer.property.agent;
  return layout(
    'Angebot derzeit nicht verfügbar',
    html`<main class="narrow" id="inhalt">
      <h1>Dieses Angebot ist derzeit nicht verfügbar</h1>
      <p>
        Vielen Dank für Ihr Interesse. Die Angebotsseite, zu der dieser Link führt, ist im Moment nicht
        abrufbar.
      </p>
      <p>
        Bei Fragen wenden Sie sich bitte an ${a.name}${a.company ? ` (${a.company})` : ''}:
        <a href="mailto:${a.email}">${a.email}</a>${a.phone ? html`, Telefon ${a.phone}` : ''}.
      </p>
    </main>`,
  );
}
