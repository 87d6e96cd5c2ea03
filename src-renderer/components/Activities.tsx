import { memo, useEffect, useRef, type KeyboardEvent } from 'react';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import type { ActivityDto } from '../../src-shared/ipc';
import { exactTime, recipientSummary, shortTime } from '../lib/format';
import { useNow } from '../lib/use-now';
import { findLoaded, rowAt, useApp, type ActivityFilter } from '../store/app';
import { Bolt } from './Bolt';
import { ActivityDetail } from './Feed';
import { TryItSteps } from './Welcome';
import { useRowWindow } from '../lib/use-row-window';

const FILTERS: ActivityFilter[] = ['all', 'tracked', 'with_events', 'unseen', 'pending'];
const ROW_HEIGHT = 68;
const PENDING_STATES = new Set([
  'queued',
  'registered',
  'sending',
  'waiting_collector',
  'retrying',
  'failed',
  'uncertain',
]);

export function ActivitiesView() {
  return (
    <div className="split">
      <ActivityList />
      <section className="detail-pane" aria-label="Blitz">
        <ActivityDetail />
      </section>
    </div>
  );
}

function ActivityList() {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const pages = useApp((s) => s.activityPages);
  const total = useApp((s) => s.activityTotal);
  const counted = useApp((s) => s.totalCounted);
  const listQuery = useApp((s) => s.listQuery);
  const showRows = useApp((s) => s.showRows);
  const loaded = useApp((s) => s.activitiesLoaded);
  const filter = useApp((s) => s.filter);
  // a boolean, not the query: a keystroke re-renders the search box alone, the list when its answer is in
  const filtered = useApp((s) => s.query !== '' || s.filter !== 'all');
  const setFilter = useApp((s) => s.setFilter);
  const selectedId = useApp((s) => s.selectedId);
  const select = useApp((s) => s.select);
  const scrollRef = useRef<HTMLDivElement>(null);
  const now = useNow(60_000);
  const localTestMode = useApp((s) => s.settings?.localTestMode ?? false);
  const listNotice = useApp((s) => s.listNotice);

  const rows = useRowWindow(scrollRef, total, ROW_HEIGHT);
  const { first, last, scrollToIndex } = rows;

  // the rows on screen are loaded page by page (store/app.ts), not the whole list
  useEffect(() => {
    showRows(first, Math.max(first, last));
  }, [first, last, pages, showRows]);

  // a selection made elsewhere (after a send, from a notification) is scrolled into view
  const selectedIndex = selectedId ? (findLoaded(pages, selectedId)?.index ?? -1) : -1;
  useEffect(() => {
    if (selectedIndex >= 0) scrollToIndex(selectedIndex);
  }, [selectedIndex, scrollToIndex]);

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    if (e.key !== 'ArrowDown' && e.key !== 'ArrowUp') return;
    e.preventDefault();
    const idx = selectedId ? (findLoaded(pages, selectedId)?.index ?? -1) : -1;
    const next = e.key === 'ArrowDown' ? Math.min(total - 1, idx + 1) : Math.max(0, idx - 1);
    const a = rowAt(pages, next);
    if (a) {
      select(a.id);
      scrollToIndex(next);
    }
  };

  return (
    <section className="list-pane" aria-label={t('app.nav.activities')}>
      <div className="list-tools">
        <SearchBox />
        <div className="segmented" role="group" aria-label={t('activities.filterLabel')}>
          {FILTERS.map((f) => (
            <button
              key={f}
              type="button"
              aria-pressed={filter === f}
              className={filter === f ? 'seg active' : 'seg'}
              onClick={() => setFilter(f)}
              data-testid={`filter-${f}`}
            >
              {t(`activities.filter.${f}`)}
            </button>
          ))}
        </div>
        <div
          className="list-count muted"
          aria-live="polite"
          aria-busy={!counted}
          data-testid="activity-count"
          data-counted={counted}
        >
          {counted ? t('activities.count', { count: total }) : t('listCount.atLeast', { count: total })}
        </div>
      </div>
      {listNotice ? (
        <p className="list-notice" role="status" data-testid="list-notice">
          {t(listNotice)}
        </p>
      ) : null}
      {loaded && total === 0 ? (
        <div className="empty">
          <p>{filtered ? t('activities.emptyFiltered') : t('activities.empty')}</p>
          {!filtered && localTestMode ? <TryItSteps /> : null}
        </div>
      ) : null}
      <div
        ref={scrollRef}
        className="list-scroll"
        role="listbox"
        aria-label={t('app.nav.activities')}
        tabIndex={0}
        onKeyDown={onKeyDown}
        data-testid="activity-list"
        data-list-query={listQuery}
      >
        <div style={{ height: rows.totalHeight, position: 'relative', width: '100%' }}>
          {Array.from({ length: Math.max(0, last - first + 1) }, (_, k) => {
            const index = first + k;
            const a = rowAt(pages, index);
            const style = { height: ROW_HEIGHT, transform: `translateY(${index * ROW_HEIGHT}px)` };
            // a page still on its way: an empty slot of the row's height
            if (!a)
              return <div key={index} className="row-slot row-loading" style={style} aria-hidden="true" />;
            return (
              <div key={index} className="row-slot" style={style}>
                <ActivityRow
                  activity={a}
                  selected={a.id === selectedId}
                  onSelect={select}
                  now={now}
                  t={t}
                  lang={lang}
                />
              </div>
            );
          })}
        </div>
      </div>
    </section>
  );
}

function SearchBox() {
  const { t } = useTranslation();
  const query = useApp((s) => s.query);
  const setQuery = useApp((s) => s.setQuery);
  return (
    <label className="search">
      <span className="visually-hidden">{t('activities.searchLabel')}</span>
      <input
        type="search"
        value={query}
        placeholder={t('activities.searchPlaceholder')}
        onChange={(e) => setQuery(e.target.value)}
        data-testid="activity-search"
      />
    </label>
  );
}

interface RowProps {
  activity: ActivityDto;
  selected: boolean;
  onSelect: (id: string) => void;
  now: number;
  /** from the list: a useTranslation per row cost each mounted row a copy of the i18next instance */
  t: TFunction;
  lang: string;
}

const ActivityRow = memo(function ActivityRow({ activity: a, selected, onSelect, now, t, lang }: RowProps) {
  const { shown, more } = recipientSummary(a);
  const pending = a.outboxState !== null && PENDING_STATES.has(a.outboxState);
  const problem =
    a.outboxState === 'failed' || a.outboxState === 'uncertain' || a.outboxState === 'waiting_collector';
  return (
    <div
      role="option"
      aria-selected={selected}
      className={`activity-row${selected ? ' selected' : ''}${a.newEventCount > 0 ? ' has-new' : ''}`}
      onClick={() => onSelect(a.id)}
      data-testid="activity-row"
      data-activity-id={a.id}
    >
      <div className="row-line">
        <span className="row-recipients" title={a.recipients.map((r) => r.email).join(', ')}>
          {a.kind === 'offer' ? <span className="tag">{t('activities.offer')}</span> : null}
          {shown}
          {more > 0 ? <span className="muted"> {t('activities.more', { count: more })}</span> : null}
        </span>
        <time
          className="row-time muted"
          dateTime={a.sentAt ?? undefined}
          title={a.sentAt ? exactTime(a.sentAt, lang) : undefined}
        >
          {a.sentAt ? shortTime(a.sentAt, lang, now) : t('activities.notSent')}
        </time>
      </div>
      <div className="row-line">
        <span className="row-subject">{a.subject || t('activities.noSubject')}</span>
        <span className="row-meta">
          {pending ? (
            <span className={`chip${problem ? ' chip-warn' : ''}`} data-testid="outbox-chip">
              {t(`outbox.${a.outboxState}`)}
            </span>
          ) : null}
          {a.tracked ? (
            <span
              className={`blitz-count${a.newEventCount > 0 ? ' new' : ''}`}
              title={
                a.newEventCount > 0
                  ? t('activities.newEvents', { count: a.newEventCount })
                  : t('activities.events', { count: a.eventCount })
              }
              data-testid="bolt"
            >
              <Bolt active={a.newEventCount > 0} size={14} />
              {a.newEventCount > 0 ? a.newEventCount : a.eventCount > 0 ? a.eventCount : ''}
            </span>
          ) : (
            <span className="muted small">{t('activities.untracked')}</span>
          )}
        </span>
      </div>
    </div>
  );
}, sameRow);

/**
 * Every answer of the list brings new objects: a row whose shown fields did not change (most of
 * them from one keystroke of a search to the next) is not rendered again.
 */
function sameRow(a: RowProps, b: RowProps): boolean {
  if (
    a.selected !== b.selected ||
    a.onSelect !== b.onSelect ||
    a.now !== b.now ||
    a.t !== b.t ||
    a.lang !== b.lang
  )
    return false;
  const x = a.activity;
  const y = b.activity;
  return (
    x === y ||
    (x.id === y.id &&
      x.kind === y.kind &&
      x.subject === y.subject &&
      x.sentAt === y.sentAt &&
      x.tracked === y.tracked &&
      x.outboxState === y.outboxState &&
      x.eventCount === y.eventCount &&
      x.newEventCount === y.newEventCount &&
      x.recipients.length === y.recipients.length &&
      x.recipients.every((r, i) => {
        const o = y.recipients[i];
        return r.email === o?.email && r.name === o.name && r.kind === o.kind;
      }))
  );
}
