import type { ChildProcess } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { hitUntilKilled, pullAll, registerLoad } from '../support/kill-under-load';
import { openStream } from '../collector/helpers';
import { createScratchSchema, PG_SKIP_REASON, skipWithoutPg, type ScratchSchema } from './pg-support';
import { cliPg, killAll, servePg } from './proc';

const skip = skipWithoutPg();
const children: ChildProcess[] = [];
let schema: ScratchSchema | null = null;

afterAll(async () => {
  killAll(children);
  await schema?.drop();
});

describe.skipIf(skip)(`durability on PostgreSQL${skip ? ` (skipped: ${PG_SKIP_REASON})` : ''}`, () => {
  it('every hit answered 200 before SIGKILL is stored exactly once; a pull from 0 sees each once, in seq order, no gap', async () => {
    schema = await createScratchSchema();
    const db = schema.url;
    const { accountId } = cliPg(db, 'create-account', '--name', 'Dauerhaft GmbH') as { accountId: string };
    const { token } = cliPg(
      db,
      'create-user',
      '--account',
      accountId,
      '--email',
      'a@d.example',
      '--name',
      'A',
      '--role',
      'admin',
    ) as {
      token: string;
    };

    const first = await servePg(db, {}, children);
    const trackers = await registerLoad(first.url, token);
    const acked = await hitUntilKilled(trackers, 400, () => first.child.kill('SIGKILL'));
    await first.exited();
    expect(acked.size).toBeGreaterThanOrEqual(400);
    expect(acked.size).toBeLessThan(trackers.length);

    const second = await servePg(db, {}, children);
    const { seen, seqs } = await pullAll(second.url, token);
    for (const email of acked) expect(seen.get(email), email).toBe(1);
    for (const [email, n] of seen) expect(n, email).toBe(1);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    // registrations took 1..3; the events follow without a gap (a rolled-back batch returns its numbers)
    expect(seqs[0]).toBe(4);
    expect(seqs[seqs.length - 1]).toBe(3 + seqs.length);

    const s = openStream(`${second.url}/api/v1/events/stream`, token);
    await s.ready;
    await s.waitFor(() => s.frames.length >= seqs.length + 3, 10_000);
    expect(s.frames.filter((f) => f.event === 'event').map((f) => Number(f.id))).toEqual(seqs);
    s.close();
    second.child.kill('SIGTERM');
    await second.exited();
    expect(second.child.exitCode).toBe(0);
  }, 60_000);
});
