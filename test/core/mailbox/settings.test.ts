import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openCache } from '../../../src-main/core/cache';
import {
  MAILBOX_KEYS,
  mailboxPrefs,
  mailboxSettingsDto,
  setMailboxPrefs,
} from '../../../src-main/core/mailbox/settings';
import { tempDir } from '../helpers';

const imapA = { host: 'imap.a.example', port: 993, security: 'tls' as const, user: 'makler@a.example' };
const imapB = { host: 'imap.b.example', port: 993, security: 'tls' as const, user: 'makler@b.example' };

describe('INBOX watcher settings (issue 19)', () => {
  let dir: string | undefined;
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
    dir = undefined;
  });

  it('is off until switched on, per account, and a damaged stored value counts as off', () => {
    dir = tempDir();
    const cache = openCache(join(dir, 'cache.sqlite'));
    try {
      expect(mailboxPrefs(cache, imapA)).toEqual({ enabled: false, folder: 'INBOX' });
      expect(mailboxSettingsDto(cache, null)).toBeUndefined();
      setMailboxPrefs(cache, imapA, { enabled: true, folder: 'Posteingang' });
      expect(mailboxPrefs(cache, imapA)).toEqual({ enabled: true, folder: 'Posteingang' });
      // another account (another IMAP origin) stays off
      expect(mailboxPrefs(cache, imapB).enabled).toBe(false);
      expect(mailboxSettingsDto(cache, imapA)).toMatchObject({ enabled: true, folder: 'Posteingang' });

      cache.meta.set(MAILBOX_KEYS.prefs, { whatever: { enabled: 'yes' } });
      expect(mailboxPrefs(cache, imapA)).toEqual({ enabled: false, folder: 'INBOX' });
    } finally {
      cache.close();
    }
  });
});
