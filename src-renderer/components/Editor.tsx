import { useRef, useState, type RefObject } from 'react';
import { useTranslation } from 'react-i18next';
import { LinkIcon, ListIcon } from './Icons';

/**
 * A small formatted-text editor: contentEditable with bold, italic, link and lists. execCommand is
 * deprecated but still the only built-in rich-text editing in Chromium; it keeps undo working.
 */
export function Editor({ editorRef, label }: { editorRef: RefObject<HTMLDivElement | null>; label: string }) {
  const { t } = useTranslation();
  const [linkOpen, setLinkOpen] = useState(false);
  const [linkUrl, setLinkUrl] = useState('https://');
  const savedRange = useRef<Range | null>(null);

  const exec = (command: string, value?: string) => {
    editorRef.current?.focus();
    document.execCommand(command, false, value);
  };

  const openLink = () => {
    const sel = window.getSelection();
    savedRange.current = sel && sel.rangeCount > 0 ? sel.getRangeAt(0).cloneRange() : null;
    setLinkOpen(true);
  };

  const insertLink = () => {
    let url: URL;
    try {
      url = new URL(linkUrl.trim());
    } catch {
      return;
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:' && url.protocol !== 'mailto:') return;
    editorRef.current?.focus();
    const sel = window.getSelection();
    if (sel && savedRange.current) {
      sel.removeAllRanges();
      sel.addRange(savedRange.current);
    }
    if (sel && sel.isCollapsed) document.execCommand('insertText', false, url.toString());
    // select the just-inserted text so it becomes the link
    if (sel && sel.isCollapsed && sel.anchorNode) {
      const node = sel.anchorNode;
      const end = sel.anchorOffset;
      const range = document.createRange();
      range.setStart(node, Math.max(0, end - url.toString().length));
      range.setEnd(node, end);
      sel.removeAllRanges();
      sel.addRange(range);
    }
    document.execCommand('createLink', false, url.toString());
    setLinkOpen(false);
    setLinkUrl('https://');
  };

  return (
    <div className="editor">
      <div className="editor-toolbar" role="toolbar" aria-label={label}>
        <button
          type="button"
          onMouseDown={(e) => e.preventDefault()}
          onClick={() => exec('bold')}
          aria-label={t('compose.bold')}
          title={t('compose.bold')}
        >
          <strong>{t('compose.boldMark')}</strong>
        </button>
        <button
          type="button"
          onMouseDown={(e) => e.preventDefault()}
          onClick={() => exec('italic')}
          aria-label={t('compose.italic')}
          title={t('compose.italic')}
        >
          <em>{t('compose.italicMark')}</em>
        </button>
        <button
          type="button"
          onMouseDown={(e) => e.preventDefault()}
          onClick={openLink}
          aria-label={t('compose.link')}
          title={t('compose.link')}
          data-testid="editor-link"
        >
          <LinkIcon />
        </button>
        <button
          type="button"
          onMouseDown={(e) => e.preventDefault()}
          onClick={() => exec('insertUnorderedList')}
          aria-label={t('compose.bulletList')}
          title={t('compose.bulletList')}
        >
          <ListIcon numbered={false} />
        </button>
        <button
          type="button"
          onMouseDown={(e) => e.preventDefault()}
          onClick={() => exec('insertOrderedList')}
          aria-label={t('compose.numberedList')}
          title={t('compose.numberedList')}
        >
          <ListIcon numbered />
        </button>
        {linkOpen ? (
          <span className="link-input">
            <label>
              <span className="visually-hidden">{t('compose.linkUrl')}</span>
              <input
                type="url"
                value={linkUrl}
                autoFocus
                onChange={(e) => setLinkUrl(e.target.value)}
                onKeyDown={(e) => {
                  if (e.key === 'Enter') {
                    e.preventDefault();
                    insertLink();
                  } else if (e.key === 'Escape') setLinkOpen(false);
                }}
                aria-label={t('compose.linkUrl')}
                data-testid="editor-link-url"
              />
            </label>
            <button
              type="button"
              className="btn btn-small"
              onClick={insertLink}
              data-testid="editor-link-insert"
            >
              {t('compose.linkInsert')}
            </button>
          </span>
        ) : null}
      </div>
      <div
        ref={editorRef}
        className="editor-area"
        contentEditable
        role="textbox"
        aria-multiline="true"
        aria-label={label}
        suppressContentEditableWarning
        data-testid="compose-body"
      />
    </div>
  );
}
