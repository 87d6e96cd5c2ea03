import { simpleParser, type AddressObject, type Attachment, type ParsedMail } from 'mailparser';

/**
 * Issue 19: what a mail in the agent's INBOX says about a mail Blitz sent. Parsed with mailparser
 * (a real MIME parser); only the few places that have no MIME structure of their own (the copied
 * headers inside a text bounce, a status code in a diagnostic text) are read line by line.
 */
export type SignalKind = 'replied' | 'bounced' | 'auto_replied';

export interface FailedRecipient {
  email: string;
  /** RFC 3463 code, e.g. 5.1.1 (null: the bounce named none) */
  status: string | null;
  /** the server's own words (Diagnostic-Code or the text line), for „Details“ */
  diagnostic: string | null;
}

export interface ClassifiedMail {
  kind: SignalKind;
  /** Message-IDs this mail refers to, normalised `<…>`, most specific first */
  references: string[];
  /** the mail's own Message-ID (normalised), or null */
  messageId: string | null;
  from: { name: string | null; email: string | null };
  subject: string;
  date: Date | null;
  /** replies only: the first line the sender wrote (quotes and empty lines skipped) */
  firstLine: string | null;
  /** bounces only: the recipients it reports as failed */
  failed: FailedRecipient[];
}

/** the header fields the INBOX scan fetches for every mail (BODY.PEEK[HEADER.FIELDS …]) */
export const SCAN_HEADERS = [
  'message-id',
  'in-reply-to',
  'references',
  'from',
  'subject',
  'date',
  'content-type',
  'auto-submitted',
  'x-autoreply',
  'x-autorespond',
  'x-autoresponse',
  'precedence',
  'return-path',
];

const AUTO_SUBJECT =
  /^\s*(\[?auto(matic|matische)?[ -]?(reply|response|antwort)\]?|abwesenheitsnotiz|abwesenheit|out of (the )?office|automatische antwort|automatic reply|autoreply|abwesend|ich bin (nicht im büro|abwesend)|réponse automatique|respuesta automática|afwezig)\b/i;
const BOUNCE_SUBJECT =
  /(undeliver(ed|able)|returned mail|delivery (status notification|has failed|failure)|failure notice|mail delivery failed|nicht zustellbar|unzustellbar|non[- ]?remis|zustellung fehlgeschlagen|delivery report)/i;
const BOUNCE_SENDER = /^(mailer-daemon|postmaster|mail delivery (system|subsystem))$/i;

const rawHeader = (p: ParsedMail, name: string): string | null => {
  const v = p.headers.get(name);
  if (v === undefined || v === null) return null;
  if (typeof v === 'string') return v;
  if (typeof v === 'object' && 'value' in v && typeof v.value === 'string') return v.value;
  return String(v as unknown);
};

export function normaliseId(id: string): string | null {
  const bare = id.trim().replace(/^<|>$/g, '').trim();
  return bare.length > 0 && bare.length < 990 && !/\s/.test(bare) ? `<${bare}>` : null;
}

function idsOf(v: string | string[] | undefined | null): string[] {
  if (!v) return [];
  const list = Array.isArray(v) ? v : [v];
  return list.flatMap((x) => x.match(/<[^<>\s]+>/g) ?? x.split(/\s+/)).flatMap((x) => normaliseId(x) ?? []);
}

function firstAddress(a: AddressObject | AddressObject[] | undefined): {
  name: string | null;
  email: string | null;
} {
  const first = (Array.isArray(a) ? a[0] : a)?.value[0];
  return { name: first?.name?.trim() || null, email: first?.address?.toLowerCase() ?? null };
}

/** „Hallo Frau Makler, gern besichtige ich …“: the sender's first own line, at most 200 characters */
export function firstOwnLine(text: string | undefined): string | null {
  if (!text) return null;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line || line.startsWith('>')) continue;
    // the attribution line of a quote („Am … schrieb …:“ / „On … wrote:“) is not the person's words
    if (/^(am|on)\b.*(schrieb|wrote)\b.*:$/i.test(line)) return null;
    return line.length > 200 ? `${line.slice(0, 199)}…` : line;
  }
  return null;
}

/** RFC 3464 message/delivery-status: the per-recipient blocks after the per-message one */
export function parseDeliveryStatus(text: string): FailedRecipient[] {
  const blocks = text.replace(/\r\n/g, '\n').split(/\n\s*\n/);
  const out: FailedRecipient[] = [];
  for (const block of blocks.slice(1)) {
    const fields = new Map<string, string>();
    // header-style fields, folded lines continue with whitespace
    for (const line of block.replace(/\n[ \t]+/g, ' ').split('\n')) {
      const m = /^([A-Za-z-]+):\s*(.*)$/.exec(line);
      if (m) fields.set(m[1]!.toLowerCase(), m[2]!.trim());
    }
    const action = fields.get('action')?.toLowerCase();
    if (action !== 'failed') continue;
    const rcpt = (fields.get('final-recipient') ?? fields.get('original-recipient') ?? '').replace(
      /^[^;]*;\s*/,
      '',
    );
    const email = rcpt.replace(/^<|>$/g, '').toLowerCase();
    if (!email.includes('@')) continue;
    const status = /([245]\.\d{1,3}\.\d{1,3})/.exec(fields.get('status') ?? '')?.[1] ?? null;
    const diag = fields.get('diagnostic-code')?.replace(/^[^;]*;\s*/, '') ?? null;
    out.push({ email, status, diagnostic: diag ? diag.slice(0, 1000) : null });
  }
  return out;
}

async function attachedHeaders(a: Attachment): Promise<string[]> {
  // message/rfc822 or text/rfc822-headers: the returned mail's own headers
  const inner = await simpleParser(a.content, {
    skipHtmlToText: true,
    skipTextToHtml: true,
    skipImageLinks: true,
  });
  return idsOf(inner.messageId);
}

/**
 * A bounce whose parts are not RFC 3464 (Exim, qmail, older Exchange, many providers): the
 * returned mail's headers are copied into the text, and each failed address stands on a line
 * of its own with the server's answer next to it.
 */
function textBounce(text: string): { refs: string[]; failed: FailedRecipient[] } {
  const refs = [...text.matchAll(/^\s*Message-ID:\s*(<[^<>\s]+>)/gim)].flatMap(
    (m) => normaliseId(m[1]!) ?? [],
  );
  const failed: FailedRecipient[] = [];
  const lines = text.replace(/\r\n/g, '\n').split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    // stop at the copied mail: its To/From lines are no failed recipients
    if (
      /^\s*(-{2,}.*(original message|copy of the message|undelivered message)|Return-Path:|Received:)/i.test(
        line,
      )
    )
      break;
    const m = /^\s*<?([^\s<>@"]+@[^\s<>@"]+\.[a-z]{2,})>?:?\s*(.*)$/i.exec(line);
    if (!m) continue;
    const email = m[1]!.toLowerCase();
    if (failed.some((f) => f.email === email)) continue;
    const context = [m[2] ?? '', lines[i + 1] ?? '', lines[i + 2] ?? ''].join(' ').trim();
    const status = /\b([45]\.\d{1,3}\.\d{1,3})\b/.exec(context)?.[1] ?? null;
    failed.push({ email, status, diagnostic: context ? context.replace(/\s+/g, ' ').slice(0, 1000) : null });
  }
  return { refs, failed };
}

function looksAutomatic(p: ParsedMail): boolean {
  const auto = rawHeader(p, 'auto-submitted')?.trim().toLowerCase();
  if (auto && auto !== 'no') return true;
  if (p.headers.has('x-autoreply') || p.headers.has('x-autorespond') || p.headers.has('x-autoresponse'))
    return true;
  const prec = rawHeader(p, 'precedence')?.trim().toLowerCase();
  if (prec === 'auto_reply') return true;
  return AUTO_SUBJECT.test(p.subject ?? '');
}

function looksLikeBounce(p: ParsedMail): boolean {
  const ct = p.headers.get('content-type');
  const report =
    typeof ct === 'object' &&
    ct !== null &&
    'value' in ct &&
    ct.value === 'multipart/report' &&
    'params' in ct &&
    String((ct.params as Record<string, string>)['report-type'] ?? '').toLowerCase() === 'delivery-status';
  if (report) return true;
  const from = firstAddress(p.from);
  const local = from.email?.split('@')[0] ?? '';
  const senderIsDaemon = BOUNCE_SENDER.test(local) || BOUNCE_SENDER.test(from.name ?? '');
  return senderIsDaemon && BOUNCE_SUBJECT.test(p.subject ?? '');
}

/**
 * Reads one mail. A bounce (RFC 3464, or a daemon's text bounce) before an automatic answer
 * (bounces carry Auto-Submitted too), an automatic answer before a reply; a mail that refers to
 * nothing and is no bounce or automatic answer is no signal (null).
 */
export async function classifyMail(source: Buffer): Promise<ClassifiedMail | null> {
  const p = await simpleParser(source, {
    skipHtmlToText: false,
    skipTextToHtml: true,
    skipImageLinks: true,
    skipTextLinks: true,
  });
  const base = {
    messageId: idsOf(p.messageId)[0] ?? null,
    from: firstAddress(p.from),
    subject: p.subject ?? '',
    date: p.date ?? null,
  };
  const ownRefs = [...idsOf(p.inReplyTo), ...idsOf(p.references).reverse()];
  if (looksLikeBounce(p)) {
    let failed: FailedRecipient[] = [];
    const refs: string[] = [];
    for (const a of p.attachments) {
      const type = a.contentType.toLowerCase();
      if (type === 'message/delivery-status' || type === 'message/global-delivery-status')
        failed.push(...parseDeliveryStatus(a.content.toString('utf8')));
      else if (
        type === 'message/rfc822' ||
        type === 'text/rfc822-headers' ||
        type === 'message/rfc822-headers'
      )
        refs.push(...(await attachedHeaders(a)));
    }
    const text = textBounce(p.text ?? '');
    // mailparser gives a message/delivery-status part as text, not as an attachment (Postfix's
    // bounces): its fields are then in p.text, after the human part, in blocks of their own
    if (failed.length === 0) failed = parseDeliveryStatus(p.text ?? '');
    if (failed.length === 0) failed = text.failed;
    refs.push(...text.refs);
    return { ...base, kind: 'bounced', references: unique([...refs, ...ownRefs]), firstLine: null, failed };
  }
  if (looksAutomatic(p))
    return { ...base, kind: 'auto_replied', references: unique(ownRefs), firstLine: null, failed: [] };
  if (ownRefs.length === 0) return null;
  return {
    ...base,
    kind: 'replied',
    references: unique(ownRefs),
    firstLine: firstOwnLine(p.text),
    failed: [],
  };
}

/**
 * Decides from the scanned header fields alone whether a mail is worth fetching whole: it refers
 * to a Message-ID (`isKnown` says whether Blitz sent it), or it may be a bounce or an automatic
 * answer (those name the sent mail inside their body, or not at all).
 */
export function worthFetching(
  headers: string,
  /** the decoded subject (the envelope's): encoded words would hide „Abwesenheitsnotiz“ */
  subject: string,
  isKnown: (messageId: string) => boolean,
): boolean {
  const unfolded = headers.replace(/\r?\n[ \t]+/g, ' ');
  const field = (name: string): string => new RegExp(`^${name}:\\s*(.*)$`, 'im').exec(unfolded)?.[1] ?? '';
  const refs = idsOf(`${field('in-reply-to')} ${field('references')}`);
  if (refs.some(isKnown)) return true;
  if (/multipart\/report/i.test(field('content-type'))) return true;
  const from = field('from');
  if (/mailer-daemon|postmaster|mail delivery/i.test(from)) return true;
  if (field('auto-submitted') && !/^\s*no\b/i.test(field('auto-submitted'))) return true;
  if (/^(x-autoreply|x-autorespond|x-autoresponse):/im.test(unfolded)) return true;
  if (/auto_reply/i.test(field('precedence'))) return true;
  return AUTO_SUBJECT.test(subject) || BOUNCE_SUBJECT.test(subject);
}

function unique(ids: string[]): string[] {
  return [...new Set(ids)];
}
