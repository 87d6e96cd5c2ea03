/**
 * A tiny HTML renderer where escaping is the default: every value interpolated into `html`…``
 * is escaped unless it is itself the result of `html` (or `raw`, for constants we wrote).
 */
export class SafeHtml {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

// bidi overrides/isolates and C0 controls let agent text disguise itself (e.g. "gpj.exe")
// eslint-disable-next-line no-control-regex -- stripping control characters is the point
const INVISIBLE = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\u202a-\u202e\u2066-\u2069]/g;
const ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
  '`': '&#96;',
};

/** Text → HTML text or attribute value (always quote attributes). */
export function escapeHtml(value: string): string {
  return value.replace(INVISIBLE, '').replace(/[&<>"'`]/g, (c) => ENTITIES[c] ?? c);
}

type Value = SafeHtml | string | number | null | undefined | false | readonly Value[];

function render(v: Value): string {
  if (v === null || v === undefined || v === false) return '';
  if (v instanceof SafeHtml) return v.value;
  if (Array.isArray(v)) return v.map(render).join('');
  return escapeHtml(String(v));
}

export function html(strings: TemplateStringsArray, ...values: Value[]): SafeHtml {
  let out = strings[0] ?? '';
  values.forEach((v, i) => {
    out += render(v) + (strings[i + 1] ?? '');
  });
  return new SafeHtml(out);
}

/** Only for markup written in this module, never for data. */
export function raw(markup: string): SafeHtml {
  return new SafeHtml(markup);
}
