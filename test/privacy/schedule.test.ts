import { Writable } from 'node:stream';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { scheduleRetention } from '../../src-collector/privacy/retention';
import { openStore } from '../../src-collector/store/open';

describe('serve runs retention on a timer', () => {
  it('runs, logs the report, runs again, and stops when told', async () => {
    const opened = await openStore({ file: ':memory:' });
    if (!opened.ok) throw new Error(opened.error.message);
    const store = opened.value;
    await store.createAccount({ name: 'A' });
    const lines: Record<string, unknown>[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _enc, cb) {
        lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
        cb();
      },
    });
    const log = pino({ level: 'info' }, sink);
    const stop = scheduleRetention(store, log, { firstAfterMs: 20, everyMs: 100 });
    const runs = () => lines.filter((l) => l.msg === 'retention run');
    for (let i = 0; i < 200 && runs().length < 2; i++) await new Promise((r) => setTimeout(r, 25));
    stop();
    expect(runs().length).toBeGreaterThanOrEqual(2);
    expect(runs()[0]!.retention).toMatchObject({ accounts: 1, deleted: {}, expiredContacts: 0 });
    const after = runs().length;
    await new Promise((r) => setTimeout(r, 300));
    expect(runs().length).toBe(after);
    await store.close();
  });

  it('BLITZ_RETENTION=0 turns it off', async () => {
    const lines: string[] = [];
    const log = pino({ level: 'info' }, new Writable({ write: (c: Buffer, _e, cb) => (lines.push(c.toString()), cb()) }));
    process.env.BLITZ_RETENTION = '0';
    try {
      const opened = await openStore({ file: ':memory:' });
      if (!opened.ok) throw new Error(opened.error.message);
      const stop = scheduleRetention(opened.value, log, { firstAfterMs: 1 });
      await new Promise((r) => setTimeout(r, 100));
      stop();
      expect(lines.join('')).toContain('retention off');
      expect(lines.join('')).not.toContain('retention run');
      await opened.value.close();
    } finally {
      delete process.env.BLITZ_RETENTION;
    }
  });
});
