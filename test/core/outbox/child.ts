/**
 * The core in a process of its own, for the crash tests: commands arrive as JSON lines on stdin
 * ({id, op, args}), answers and every persisted outbox step leave as JSON lines on stdout. With
 * BLITZ_PARK_AT=state[#n] the process stops dead (awaits forever) right after the n-th step into
 * that state has been persisted, so the parent can SIGKILL it exactly there.
 */
import { createInterface } from 'node:readline';
import { join } from 'node:path';
import { createCore } from '../../../src-main/core';
import { createFileSecretStore } from '../../../src-main/core/secrets/file-store';
import type { IpcOperation } from '../../../src-shared/ipc';

const dataDir = process.env.BLITZ_DATA ?? '';
const [parkState, parkNth] = (process.env.BLITZ_PARK_AT ?? '').split('#');
const nth = Number(parkNth ?? '1');
let seen = 0;
const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };
const out = (o: object) => process.stdout.write(`${JSON.stringify(o)}\n`);

const core = createCore({
  dataDir,
  secrets: createFileSecretStore(join(dataDir, 'secrets.json'), quiet),
  notifier: { notify: () => undefined },
  log: quiet,
  timing: {
    retryBaseMs: 50,
    retryMaxMs: 200,
    syncBackoffBaseMs: 50,
    syncBackoffMaxMs: 200,
    requestTimeoutMs: 3000,
  },
  mailOptions: { connectTimeoutMs: 3000, socketTimeoutMs: 10_000, allowSelfSigned: true },
  onOutboxStep: async ({ activityId, state }) => {
    out({ step: { activityId, state } });
    if (state === parkState && ++seen === nth) {
      out({ parked: state });
      await new Promise(() => undefined);
    }
  },
});

await core.start();
out({ ready: true });
const rl = createInterface({ input: process.stdin });
rl.on('line', (line) => {
  const cmd = JSON.parse(line) as { id: number; op: IpcOperation; args: unknown };
  void core.dispatch(cmd.op, cmd.args).then((result) => out({ id: cmd.id, result }));
});
