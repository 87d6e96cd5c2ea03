import { useEffect, useId, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { LongTextPreviewDto } from '../../src-shared/long-text';
import { call } from '../store/app';

/**
 * A long text (the Widerrufsbelehrung) edited beside its rendered preview. The preview comes from
 * the core's renderer of the text (what the mail, the PDF and the landing page show) as blocks;
 * React makes elements from them, so nothing typed is ever interpreted as HTML. Side by side on
 * a wide window, as two tabs on a narrow one.
 */
export function LongTextEditor({
  value,
  onChange,
  fill,
  label,
  testId,
}: {
  value: string;
  onChange: (text: string) => void;
  fill: 'widerruf' | 'none';
  label: string;
  testId: string;
}) {
  const { t } = useTranslation();
  const id = useId();
  const [tab, setTab] = useState<'edit' | 'preview'>('edit');
  const [preview, setPreview] = useState<LongTextPreviewDto | null>(null);

  useEffect(() => {
    let stale = false;
    const timer = setTimeout(async () => {
      const res = await call('longText.preview', { text: value, fill });
      if (!stale && res.ok) setPreview(res.value);
    }, 200);
    return () => {
      stale = true;
      clearTimeout(timer);
    };
  }, [value, fill]);

  return (
    <div className="long-text-wrap">
      <div className="segmented long-text-tabs" role="tablist" aria-label={label}>
        {(['edit', 'preview'] as const).map((k) => (
          <button
            key={k}
            type="button"
            role="tab"
            aria-selected={tab === k}
            className={tab === k ? 'seg active' : 'seg'}
            onClick={() => setTab(k)}
            data-testid={`${testId}-tab-${k}`}
          >
            {t(`firstHour.longText.${k}`)}
          </button>
        ))}
      </div>
      <div className="long-text" data-tab={tab}>
        <div className="long-text-source">
          <label htmlFor={`${id}-src`} className="visually-hidden">
            {label}
          </label>
          <textarea
            id={`${id}-src`}
            value={value}
            onChange={(e) => onChange(e.target.value)}
            spellCheck
            lang="de"
            data-testid={testId}
          />
          <p className="muted small">{t('firstHour.longText.hint')}</p>
        </div>
        <div
          className="long-text-preview"
          role="region"
          aria-label={t('firstHour.longText.previewLabel')}
          data-testid={`${testId}-preview`}
        >
          {preview?.blocks.map((b, i) => {
            const content = highlightMissing(b.text, preview.missing);
            if (b.kind === 'h1') return <h2 key={i}>{content}</h2>;
            if (b.kind === 'h2') return <h3 key={i}>{content}</h3>;
            return <p key={i}>{content}</p>;
          })}
        </div>
      </div>
    </div>
  );
}

/** „[Anschrift des Maklers]“ left open by a missing profile value stands out in the preview */
function highlightMissing(text: string, missing: readonly string[]): ReactNode {
  if (missing.length === 0) return text;
  const marks = missing.map((m) => `[${m}]`);
  const out: ReactNode[] = [];
  let rest = text;
  let key = 0;
  for (;;) {
    let at = -1;
    let mark = '';
    for (const m of marks) {
      const i = rest.indexOf(m);
      if (i !== -1 && (at === -1 || i < at)) {
        at = i;
        mark = m;
      }
    }
    if (at === -1) break;
    if (at > 0) out.push(rest.slice(0, at));
    out.push(
      <mark key={key++} className="missing">
        {mark}
      </mark>,
    );
    rest = rest.slice(at + mark.length);
  }
  if (rest) out.push(rest);
  return out;
}
