import { useEffect, useId, useRef, useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { ContactDto } from '../../src-shared/ipc';
import { EMAIL_RE } from '../lib/format';
import { ConsentBadge } from './consent/ConsentBadge';
import { call } from '../store/app';

export interface Recipient {
  email: string;
  name: string | null;
}

/** Address chips with suggestions from contacts.suggest; typed text becomes a chip on Enter, comma or blur. */
export function RecipientField({
  label,
  value,
  onChange,
  testId,
  autoFocus,
}: {
  label: string;
  value: Recipient[];
  onChange: (next: Recipient[]) => void;
  testId: string;
  autoFocus?: boolean;
}) {
  const { t } = useTranslation();
  const id = useId();
  const [text, setText] = useState('');
  const [suggestions, setSuggestions] = useState<ContactDto[]>([]);
  const [active, setActive] = useState(0);
  const [error, setError] = useState<string | null>(null);
  const inputRef = useRef<HTMLInputElement>(null);

  useEffect(() => {
    const q = text.trim();
    let stale = false;
    const timer = setTimeout(async () => {
      if (q.length < 1) return setSuggestions([]);
      const res = await call('contacts.suggest', { query: q });
      if (stale || !res.ok) return;
      setSuggestions(res.value.filter((c) => !value.some((v) => v.email === c.email)).slice(0, 8));
      setActive(0);
    }, 120);
    return () => {
      stale = true;
      clearTimeout(timer);
    };
  }, [text, value]);

  const add = (r: Recipient) => {
    if (!value.some((v) => v.email.toLowerCase() === r.email.toLowerCase())) onChange([...value, r]);
    setText('');
    setSuggestions([]);
    setError(null);
  };

  const commitText = (): boolean => {
    const raw = text.trim().replace(/[,;]$/, '').trim();
    if (raw === '') return true;
    // "Anna Beispiel <anna@example.org>" pasted from elsewhere
    const m = /^(.*)<([^>]+)>$/.exec(raw);
    const email = (m?.[2] ?? raw).trim();
    const name = m?.[1]?.trim().replace(/^"|"$/g, '') || null;
    if (!EMAIL_RE.test(email)) {
      setError(t('compose.invalidAddress', { value: raw }));
      return false;
    }
    add({ email, name });
    return true;
  };

  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'ArrowDown' && suggestions.length > 0) {
      e.preventDefault();
      setActive((i) => (i + 1) % suggestions.length);
    } else if (e.key === 'ArrowUp' && suggestions.length > 0) {
      e.preventDefault();
      setActive((i) => (i - 1 + suggestions.length) % suggestions.length);
    } else if (
      e.key === 'Enter' ||
      e.key === ',' ||
      e.key === ';' ||
      (e.key === 'Tab' && text.trim() !== '')
    ) {
      const s = suggestions[active];
      if (e.key === 'Enter' && s) {
        e.preventDefault();
        add({ email: s.email, name: s.name });
      } else if (text.trim() !== '') {
        e.preventDefault();
        commitText();
      }
    } else if (e.key === 'Backspace' && text === '' && value.length > 0) {
      onChange(value.slice(0, -1));
    } else if (e.key === 'Escape') {
      setSuggestions([]);
    }
  };

  const listId = `${id}-list`;
  return (
    <div className="recipient-field">
      <label htmlFor={`${id}-input`} className="recipient-label">
        {label}
      </label>
      <div className="chips" onClick={() => inputRef.current?.focus()}>
        {value.map((r) => (
          <span key={r.email} className="chip-recipient" title={r.email}>
            {r.name ? `${r.name}` : r.email}
            <button
              type="button"
              aria-label={t('compose.removeRecipient', { email: r.email })}
              onClick={() => onChange(value.filter((v) => v.email !== r.email))}
            >
              ×
            </button>
          </span>
        ))}
        <input
          ref={inputRef}
          id={`${id}-input`}
          type="text"
          role="combobox"
          aria-expanded={suggestions.length > 0}
          aria-controls={listId}
          aria-autocomplete="list"
          aria-activedescendant={suggestions.length > 0 ? `${listId}-${active}` : undefined}
          aria-invalid={error ? true : undefined}
          autoComplete="off"
          autoFocus={autoFocus}
          placeholder={value.length === 0 ? t('compose.recipientPlaceholder') : ''}
          value={text}
          onChange={(e) => {
            setText(e.target.value);
            setError(null);
          }}
          onKeyDown={onKeyDown}
          onBlur={() => {
            // a click on a suggestion must win over the blur
            setTimeout(() => {
              if (inputRef.current && document.activeElement !== inputRef.current) {
                commitText();
                setSuggestions([]);
              }
            }, 150);
          }}
          data-testid={testId}
        />
      </div>
      {suggestions.length > 0 ? (
        <ul className="suggestions" role="listbox" id={listId}>
          {suggestions.map((c, i) => (
            <li
              key={c.id}
              id={`${listId}-${i}`}
              role="option"
              aria-selected={i === active}
              className={i === active ? 'active' : ''}
              onMouseDown={(e) => {
                e.preventDefault();
                add({ email: c.email, name: c.name });
              }}
            >
              {c.name ? <strong>{c.name}</strong> : null} <span className="muted">{c.email}</span>
              <ConsentBadge consent={c.consent} />
            </li>
          ))}
        </ul>
      ) : null}
      {error ? (
        <p className="field-error" role="alert">
          {error}
        </p>
      ) : null}
    </div>
  );
}
