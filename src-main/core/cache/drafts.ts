import { randomUUID } from 'node:crypto';
import type Database from 'better-sqlite3';
import { parseFragment, type DefaultTreeAdapterTypes as T } from 'parse5';
import {
  DraftInput,
  type DraftDto,
  type DraftInputIn,
  type DraftSummaryDto,
} from '../../../src-shared/drafts';

const StoredDraft = DraftInput.omit({ id: true });

const BLOCKS = new Set(['p', 'div', 'li', 'br', 'tr', 'h1', 'h2', 'h3', 'blockquote']);

/** Plain text of the first words of a draft's HTML, for the list (parse5, as everywhere we read HTML). */
export function excerptOf(html: string, max = 120): string {
  const parts: string[] = [];
  let length = 0;
  const walk = (node: T.ParentNode): void => {
    for (const child of node.childNodes) {
      if (length > max) return;
      if (child.nodeName === '#text') {
        const v = (child as T.TextNode).value;
        parts.push(v);
        length += v.length;
      } else if ('childNodes' in child) {
        if (BLOCKS.has(child.nodeName)) parts.push(' ');
        walk(child);
      }
    }
  };
  walk(parseFragment(html));
  const text = parts.join('').replace(/\s+/g, ' ').trim();
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** Drafts of „Neue E-Mail“ in the cache (migration 005). */
export function createDraftsRepo(db: Database.Database) {
  const upsert = db.prepare<[string, string, string]>(
    `INSERT INTO drafts (id, body, updated_at) VALUES (?, ?, ?)
     ON CONFLICT (id) DO UPDATE SET body = excluded.body, updated_at = excluded.updated_at`,
  );
  const getStmt = db.prepare<[string], { id: string; body: string; updated_at: string }>(
    'SELECT id, body, updated_at FROM drafts WHERE id = ?',
  );
  const listStmt = db.prepare<[], { id: string; body: string; updated_at: string }>(
    'SELECT id, body, updated_at FROM drafts ORDER BY updated_at DESC LIMIT 200',
  );
  const allStmt = db.prepare<[], { id: string; body: string; updated_at: string }>(
    'SELECT id, body, updated_at FROM drafts',
  );
  const delStmt = db.prepare<[string]>('DELETE FROM drafts WHERE id = ?');

  const parse = (row: { id: string; body: string; updated_at: string }): DraftDto | null => {
    let raw: unknown;
    try {
      raw = JSON.parse(row.body);
    } catch {
      return null;
    }
    const parsed = StoredDraft.safeParse(raw);
    return parsed.success ? { ...parsed.data, id: row.id, updatedAt: row.updated_at } : null;
  };

  return {
    save(input: DraftInputIn, now = new Date()): { id: string; updatedAt: string } {
      const { id: given, ...rest } = input;
      const body = { ...rest, attachments: rest.attachments ?? [] };
      const id = given ?? randomUUID();
      const updatedAt = now.toISOString();
      upsert.run(id, JSON.stringify(body), updatedAt);
      return { id, updatedAt };
    },
    get(id: string): DraftDto | null {
      const row = getStmt.get(id);
      return row ? parse(row) : null;
    },
    list(): DraftSummaryDto[] {
      const out: DraftSummaryDto[] = [];
      for (const row of listStmt.all()) {
        const d = parse(row);
        if (!d) continue;
        out.push({
          id: d.id,
          subject: d.subject,
          recipients: [...d.to, ...d.cc, ...d.bcc].map((r) => r.name ?? r.email),
          excerpt: excerptOf(d.html),
          updatedAt: d.updatedAt,
        });
      }
      return out;
    },
    /** the files (SHA-256) any draft lists, so the others can go (core/drafts/files.ts) */
    attachedFiles(): Set<string> {
      const shas = new Set<string>();
      for (const row of allStmt.all()) for (const a of parse(row)?.attachments ?? []) shas.add(a.sha256);
      return shas;
    },
    delete(id: string): boolean {
      return delStmt.run(id).changes > 0;
    },
  };
}
export type DraftsRepo = ReturnType<typeof createDraftsRepo>;
