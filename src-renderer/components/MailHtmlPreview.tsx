import { createElement, useMemo, type CSSProperties, type ReactNode } from 'react';

/**
 * The offer mail's HTML as the prospect's mail client shows it, inside the app: parsed inert
 * with DOMParser and rebuilt as React elements from an allowlist (no script, no event handler,
 * no frame; links are not followable). Inline `style` attributes become React style objects,
 * which the app's CSP allows where a `style` attribute or an iframe would be refused.
 */
const TAGS = new Set([
  'div',
  'p',
  'span',
  'h1',
  'h2',
  'h3',
  'h4',
  'strong',
  'b',
  'em',
  'i',
  'u',
  'br',
  'hr',
  'ul',
  'ol',
  'li',
  'table',
  'thead',
  'tbody',
  'tr',
  'td',
  'th',
  'a',
  'blockquote',
  'small',
  'code',
  'pre',
]);
const UNSAFE_CSS = /url\s*\(|expression\s*\(|@import|position\s*:\s*fixed/i;

function styleOf(raw: string | null): CSSProperties | undefined {
  if (!raw || UNSAFE_CSS.test(raw)) return undefined;
  const out: Record<string, string> = {};
  for (const decl of raw.split(';')) {
    const i = decl.indexOf(':');
    if (i <= 0) continue;
    const prop = decl.slice(0, i).trim().toLowerCase();
    const value = decl.slice(i + 1).trim();
    if (!/^[a-z-]+$/.test(prop) || value === '') continue;
    out[prop.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase())] = value;
  }
  return out as CSSProperties;
}

function build(node: Node, key: string): ReactNode {
  if (node.nodeType === Node.TEXT_NODE) return node.textContent;
  if (node.nodeType !== Node.ELEMENT_NODE) return null;
  const el = node as Element;
  const tag = el.tagName.toLowerCase();
  const children = [...el.childNodes].map((c, i) => build(c, `${key}.${i}`));
  if (!TAGS.has(tag)) return children.length ? createElement('span', { key }, ...children) : null;
  const props: Record<string, unknown> = { key, style: styleOf(el.getAttribute('style')) };
  if (tag === 'a') {
    props.title = el.getAttribute('href') ?? undefined;
    props.role = 'link';
    props['aria-disabled'] = 'true';
  }
  if (tag === 'td' || tag === 'th') {
    const span = Number(el.getAttribute('colspan'));
    if (span > 1 && span < 50) props.colSpan = span;
  }
  if (tag === 'br' || tag === 'hr') return createElement(tag, props);
  // an <a> without href is not focusable and cannot navigate: the preview shows, it does not open
  return createElement(tag === 'a' ? 'a' : tag, props, ...children);
}

export function MailHtmlPreview({ html }: { html: string }) {
  const content = useMemo(() => {
    const doc = new DOMParser().parseFromString(html, 'text/html');
    return [...doc.body.childNodes].map((n, i) => build(n, String(i)));
  }, [html]);
  return (
    <div className="mail-html-preview" data-testid="offer-preview-html">
      {content}
    </div>
  );
}
