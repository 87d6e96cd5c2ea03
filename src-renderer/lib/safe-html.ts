/**
 * Makes stored editor HTML safe to put back into the compose editor: parsed by the browser's own
 * parser (DOMParser, inert: nothing loads or runs), then only formatting elements and http(s)/
 * mailto links are kept. Anything else is unwrapped to its text; every other attribute goes.
 */
const KEEP = new Set([
  'P',
  'DIV',
  'BR',
  'B',
  'STRONG',
  'I',
  'EM',
  'U',
  'A',
  'UL',
  'OL',
  'LI',
  'SPAN',
  'H1',
  'H2',
  'H3',
  'BLOCKQUOTE',
]);
const DROP = new Set([
  'SCRIPT',
  'STYLE',
  'IFRAME',
  'OBJECT',
  'EMBED',
  'TEMPLATE',
  'svg',
  'math',
  'LINK',
  'META',
]);

function safeHref(href: string | null): string | null {
  if (!href) return null;
  try {
    const url = new URL(href);
    return url.protocol === 'http:' || url.protocol === 'https:' || url.protocol === 'mailto:'
      ? url.toString()
      : null;
  } catch {
    return null;
  }
}

function clean(node: Node, doc: Document): Node[] {
  if (node.nodeType === Node.TEXT_NODE) return [doc.createTextNode(node.textContent ?? '')];
  if (node.nodeType !== Node.ELEMENT_NODE) return [];
  const el = node as Element;
  if (DROP.has(el.tagName) || DROP.has(el.nodeName)) return [];
  const children = [...el.childNodes].flatMap((c) => clean(c, doc));
  if (!KEEP.has(el.tagName)) return children;
  const out = doc.createElement(el.tagName.toLowerCase());
  if (el.tagName === 'A') {
    const href = safeHref(el.getAttribute('href'));
    if (href) out.setAttribute('href', href);
  }
  out.append(...children);
  return [out];
}

export function safeEditorHtml(html: string): DocumentFragment {
  const parsed = new DOMParser().parseFromString(html, 'text/html');
  const frag = document.createDocumentFragment();
  for (const n of [...parsed.body.childNodes]) frag.append(...clean(n, document));
  return frag;
}
