import { Suspense, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Verdict } from '../../src-shared/events';
import { VERDICTS } from '../../src-shared/verdicts';
import type { ActivityDto, FeedItemDto, IpcArgs } from '../../src-shared/ipc';
import type { TFunction } from 'i18next';
import { exactTime, feedText, isMachine, relativeTime, verdictMarker } from '../lib/format';
import { ErrorText, tm } from '../lib/messages';
import { keepHyphenatedWords } from '../lib/nowrap';
import { useNow } from '../lib/use-now';
import { useApp } from '../store/app';
import { Bolt } from './Bolt';
import { EvidenceExport } from './EvidenceExport';
import { WhyNotAll } from './Help';
import { OfferPanel } from './lazy-views';

type OutboxAction = IpcArgs<'outbox.resolve'>['action'];

/** Which outbox resolutions make sense in which state. */
function actionsFor(a: ActivityDto): OutboxAction[] {
  switch (a.outboxState) {
    case 'uncertain':
      return ['mark_sent', 'retry', 'discard'];
    case 'failed':
      return ['retry', 'discard'];
    case 'waiting_collector':
      // an offer's landing page lives on the collector: it cannot go out untracked
      return a.kind === 'offer' ? ['retry', 'discard'] : ['send_untracked', 'retry', 'discard'];
    case 'retrying':
      return ['retry', 'discard'];
    // sent: never a second send, only the filing in Sent is tried again
    case 'not_filed':
      return ['file'];
    case 'sent':
      return a.outboxError ? ['file'] : [];
    default:
      return [];
  }
}

export function ActivityDetail() {
  const { t, i18n } = useTranslation();
  const selected = useApp((s) => s.selected);
  const feed = useApp((s) => s.feed);
  const [showHelp, setShowHelp] = useState(false);
  const now = useNow(30_000);

  if (!selected) {
    return (
      <div className="detail-empty">
        <Bolt active={false} size={36} />
        <p className="muted">{t('activities.selectHint')}</p>
      </div>
    );
  }
  const a = selected;
  const lang = i18n.language;
  // issue 19: an address a bounce named is marked where the recipients are listed
  const undelivered = new Set(
    feed?.activityId === a.id ? (feed.undelivered ?? []).map((e) => e.toLowerCase()) : [],
  );
  return (
    <article className="detail" data-testid="feed" data-activity-id={a.id}>
      <header className="detail-header">
        <h1 className="detail-subject">{a.subject || t('activities.noSubject')}</h1>
        <dl className="detail-facts">
          <div>
            <dt>{t('feed.recipients')}</dt>
            <dd>
              {a.recipients.map((r) => (
                <span key={`${r.kind}:${r.email}`} className="recipient" title={r.email}>
                  {r.kind !== 'to' ? <span className="muted">{r.kind.toUpperCase()}: </span> : null}
                  {r.name ? `${r.name} <${r.email}>` : r.email}
                  {undelivered.has(r.email.toLowerCase()) ? (
                    <span
                      className="chip chip-warn recipient-undelivered"
                      data-testid="recipient-undelivered"
                    >
                      {t('mailbox.notDelivered')}
                    </span>
                  ) : null}
                </span>
              ))}
            </dd>
          </div>
          <div>
            <dt>{t('feed.sentAt')}</dt>
            <dd>
              {a.sentAt ? (
                <time dateTime={a.sentAt}>{exactTime(a.sentAt, lang)}</time>
              ) : (
                <span>{t('activities.notSent')}</span>
              )}
              {a.recipients.length > 1 ? (
                <span className="muted">
                  {' '}
                  · {a.sentIndividually ? t('feed.individually') : t('feed.together')}
                </span>
              ) : null}
              {a.fromOtherDevice ? <span className="muted"> · {t('activities.otherDevice')}</span> : null}
            </dd>
          </div>
        </dl>
        <OutboxPanel activity={a} />
        {a.kind === 'offer' ? (
          <Suspense fallback={null}>
            <OfferPanel key={a.id} activity={a} />
          </Suspense>
        ) : (
          <EvidenceExport key={a.id} activity={a} />
        )}
      </header>

      <section className="feed" aria-labelledby="feed-title">
        <div className="feed-head">
          <h2 id="feed-title">
            <Bolt active={a.newEventCount > 0} size={18} /> {t('feed.title')}
          </h2>
          <button
            type="button"
            className="link-button"
            onClick={() => setShowHelp((v) => !v)}
            aria-expanded={showHelp}
          >
            {t('feed.help')}
          </button>
        </div>
        {showHelp ? (
          <div className="help-inline">
            <WhyNotAll headingLevel={3} />
          </div>
        ) : null}
        {feed?.summary ? (
          <p className="feed-summary" data-testid="feed-summary">
            {tm(t, feed.summary)}
          </p>
        ) : null}
        {feed?.undelivered?.length ? (
          <p className="feed-undelivered" data-testid="feed-undelivered">
            {feed.undelivered.map((email) => (
              <span key={email} className="chip chip-warn" title={email}>
                {t('mailbox.undelivered', { email })}
              </span>
            ))}
          </p>
        ) : null}
        {!a.tracked ? <p className="muted">{t('feed.untracked')}</p> : null}
        {a.tracked && feed && feed.items.length === 0 ? <p className="muted">{t('feed.empty')}</p> : null}
        {feed ? (
          <ol className="feed-items" aria-live="polite" data-testid="feed-items">
            {feed.items.map((item) => (
              <FeedItem key={item.eventId} item={item} now={now} t={t} lang={lang} />
            ))}
          </ol>
        ) : (
          <p className="muted">{t('app.loading')}</p>
        )}
      </section>
    </article>
  );
}

/**
 * What happens next, said only as far as it is true: an automatic retry is named with its time
 * only when the outbox has one scheduled; otherwise the text says the agent decides.
 */
function outboxExplanation(a: ActivityDto, t: TFunction, lang: string): string {
  const state = a.outboxState;
  if (!state) return '';
  if (a.outboxRetryAt) {
    const at = exactTime(a.outboxRetryAt, lang);
    if (state === 'sent') return t('outbox.explain.fileRetryAt', { time: at });
    if (state === 'retrying' || state === 'waiting_collector')
      return t('outbox.explain.retryAt', { time: at });
  }
  return t(`outbox.explain.${state}`, { defaultValue: '' });
}

function OutboxPanel({ activity: a }: { activity: ActivityDto }) {
  const { t, i18n } = useTranslation();
  const resolve = useApp((s) => s.resolveOutbox);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  if (!a.outboxState || a.outboxState === 'filed' || (a.outboxState === 'sent' && !a.outboxError)) {
    return a.outboxState ? (
      <p className="outbox-state" data-testid="outbox-state">
        <span className="chip chip-ok">{t(`outbox.${a.outboxState}`)}</span>
      </p>
    ) : null;
  }
  const actions = actionsFor(a);
  const explain = outboxExplanation(a, t, i18n.language);
  // a sent mail is sent: its chip stays the calm one even while the copy for Sent is missing
  const sent = a.outboxState === 'sent' || a.outboxState === 'not_filed';
  const warn =
    a.outboxState === 'failed' ||
    a.outboxState === 'uncertain' ||
    a.outboxState === 'waiting_collector' ||
    a.outboxState === 'not_filed';
  return (
    <div
      className={`outbox-panel${warn ? ' warn' : ''}`}
      data-testid="outbox-state"
      data-state={a.outboxState}
    >
      <div>
        <span className={`chip${sent ? ' chip-ok' : warn ? ' chip-warn' : ''}`}>
          {t(`outbox.${a.outboxState}`)}
        </span>
        {explain ? <span className="outbox-explain">{explain}</span> : null}
      </div>
      {a.outboxError ? (
        <ErrorText
          className="outbox-error"
          message={a.outboxError.message}
          cause={a.outboxError.cause}
          detail={a.outboxError.detail}
          testId="outbox-error"
        />
      ) : null}
      {error ? (
        <p className="form-error" role="alert">
          {error}
        </p>
      ) : null}
      {actions.length > 0 ? (
        <div className="button-row">
          {actions.map((action) => (
            <button
              key={action}
              type="button"
              className={action === 'discard' ? 'btn btn-quiet' : 'btn'}
              disabled={busy}
              onClick={async () => {
                setBusy(true);
                setError(null);
                const res = await resolve(a.id, action);
                setBusy(false);
                if (!res.ok) setError(tm(t, res.error.message));
              }}
            >
              {t(`outbox.action.${action}`)}
            </button>
          ))}
        </div>
      ) : null}
    </div>
  );
}

/**
 * `t` and `lang` come from the feed: a useTranslation per item cost each mounted item a copy of
 * the i18next instance and a t of its own (a feed switch mounts them all; `npm run profile:ui`).
 */
function FeedItem({ item, now, t, lang }: { item: FeedItemDto; now: number; t: TFunction; lang: string }) {
  const correct = useApp((s) => s.correctVerdict);
  const [editing, setEditing] = useState(false);
  const [choice, setChoice] = useState<Verdict>(item.verdict);
  const [error, setError] = useState<string | null>(null);
  const marker = verdictMarker(item, t);
  const machine = isMachine(item);
  // issue 19: a reply, bounce or out-of-office answer was read in the agent's INBOX, not a request
  // a verdict could be wrong about: no „Das war ich“, no correction
  const fromMailbox = item.type.startsWith('mail.');
  return (
    <li
      className={`feed-item${machine || item.type === 'mail.auto_replied' ? ' machine' : ''}${item.type === 'mail.bounced' ? ' mail-failed' : ''}${item.isNew ? ' is-new' : ''}`}
      data-testid="feed-item"
      data-type={item.type}
    >
      <span className="feed-dot" aria-hidden="true" />
      <div className="feed-body">
        <div className="feed-text">
          {keepHyphenatedWords(feedText(item, t))}
          {item.isNew ? <span className="new-pill">{t('feed.new')}</span> : null}
        </div>
        {fromMailbox ? <MailboxDetail item={item} /> : null}
        <div className="feed-meta">
          <time dateTime={item.occurredAt} title={exactTime(item.occurredAt, lang)}>
            {relativeTime(item.occurredAt, lang, now)}
          </time>
          <span aria-hidden="true"> · </span>
          <span>{exactTime(item.occurredAt, lang)}</span>
          {marker ? (
            <>
              <span aria-hidden="true"> · </span>
              <span className="verdict-marker" data-testid="verdict-marker">
                {marker}
              </span>
            </>
          ) : null}
          {item.corrected ? <span className="muted"> ({t('feed.corrected')})</span> : null}
          {item.checking ? (
            <>
              <span aria-hidden="true"> · </span>
              <span className="checking-marker" data-testid="checking-marker" title={t('hold.checkingTitle')}>
                {t('hold.checking')}
              </span>
            </>
          ) : null}
          {!fromMailbox && !editing && item.verdict !== 'self' ? (
            <button
              type="button"
              className="link-button small"
              title={t('firstHour.feed.itWasMeHint')}
              onClick={async () => {
                const res = await correct(item.eventId, 'self');
                setError(res.ok ? null : tm(t, res.error.message));
              }}
              data-testid="it-was-me"
            >
              {t('firstHour.feed.itWasMe')}
            </button>
          ) : null}
          {!fromMailbox && !editing ? (
            <button type="button" className="link-button small" onClick={() => setEditing(true)}>
              {t('feed.correct')}
            </button>
          ) : null}
          {!editing && error ? <span className="form-error"> {error}</span> : null}
        </div>
        {editing ? (
          <form
            className="correct-form"
            onSubmit={async (e) => {
              e.preventDefault();
              const res = await correct(item.eventId, choice);
              if (!res.ok) return setError(tm(t, res.error.message));
              setEditing(false);
            }}
          >
            <label>
              <span>{t('feed.correctLabel')}</span>
              <select value={choice} onChange={(e) => setChoice(e.target.value as Verdict)}>
                {VERDICTS.map((v) => (
                  <option key={v} value={v}>
                    {t(`feed.verdict.${v}`)}
                  </option>
                ))}
              </select>
            </label>
            <button type="submit" className="btn btn-small">
              {t('feed.correctSave')}
            </button>
            <button type="button" className="btn btn-small btn-quiet" onClick={() => setEditing(false)}>
              {t('feed.correctCancel')}
            </button>
            {error ? <span className="form-error">{error}</span> : null}
          </form>
        ) : null}
      </div>
    </li>
  );
}

/** issue 19: what this computer read in the mail (first line of a reply, a bounce's reason) */
function MailboxDetail({ item }: { item: FeedItemDto }) {
  const { t } = useTranslation();
  const m = item.mail;
  if (!m) return null;
  if (item.type === 'mail.replied' && m.firstLine)
    return (
      <blockquote className="feed-mail-line" data-testid="mail-first-line">
        {m.firstLine}
      </blockquote>
    );
  if (item.type !== 'mail.bounced') return null;
  return (
    <div className="feed-mail-bounce" data-testid="mail-bounce">
      {m.reason ? <p>{tm(t, m.reason)}</p> : null}
      {m.status || m.diagnostic ? (
        <details>
          <summary>{t('mailbox.details')}</summary>
          <code>{[m.status, m.diagnostic].filter(Boolean).join(' – ')}</code>
        </details>
      ) : null}
    </div>
  );
}
