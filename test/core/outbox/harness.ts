import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import type { IpcOperation } from '../../../src-shared/ipc';

const CHILD = fileURLToPath(new URL('./child.ts', import.meta.url));

export interface ReceivedMail {
  rcpt: string[];
  raw: string;
  /** decoded parts (quoted-printable soft breaks would split a token in `raw`) */
  html: string;
  text: string;
  to: string;
  messageId: string;
  hasBccHeader: boolean;
}

const PIXEL = /\/o\/([A-Za-z0-9_-]+)\.gif/;
export const pixelToken = (m: ReceivedMail): string | undefined => PIXEL.exec(m.html)?.[1];

/**
 * A real SMTP server (smtp-server) on loopback that keeps what it accepted. `beforeAccept`
 * runs after the DATA has arrived and before the 250 reply: the moment a client cannot know.
 */
export async function startSmtp() {
  const received: ReceivedMail[] = [];
  const state: { beforeAccept: null | (() => Promise<void>) } = { beforeAccept: null };
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', async () => {
        const raw = Buffer.concat(chunks);
        const parsed = await simpleParser(raw);
        received.push({
          rcpt: session.envelope.rcptTo.map((r) => r.address),
          raw: raw.toString('utf8'),
          html: typeof parsed.html === 'string' ? parsed.html : '',
          text: parsed.text ?? '',
          to: parsed.headers.get('to') ? JSON.stringify(parsed.headers.get('to')) : '',
          messageId: parsed.messageId ?? '',
          hasBccHeader: parsed.headers.has('bcc'),
        });
        const hook = state.beforeAccept;
        state.beforeAccept = null;
        if (hook) void hook().then(() => callback());
        else callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as { port: number }).port;
  return {
    port,
    received,
    state,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export interface Child {
  proc: ChildProcess;
  lines: Record<string, unknown>[];
  waitLine(
    pred: (l: Record<string, unknown>) => boolean,
    what: string,
    timeoutMs?: number,
  ): Promise<Record<string, unknown>>;
  call<T = unknown>(
    op: IpcOperation,
    args: unknown,
  ): Promise<{ ok: boolean; value?: T; error?: { code: string; message: string } }>;
  kill(): Promise<void>;
}

/** the core in a child process (tsx), optionally parked at an outbox step for a SIGKILL */
export async function spawnCore(dataDir: string, parkAt?: string): Promise<Child> {
  const proc = spawn(process.execPath, ['--import', 'tsx', CHILD], {
    env: { ...process.env, BLITZ_DATA: dataDir, ...(parkAt ? { BLITZ_PARK_AT: parkAt } : {}) },
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const lines: Record<string, unknown>[] = [];
  const waiters = new Set<() => void>();
  let buf = '';
  proc.stdout!.on('data', (d: Buffer) => {
    buf += d.toString('utf8');
    let i: number;
    while ((i = buf.indexOf('\n')) >= 0) {
      const line = buf.slice(0, i);
      buf = buf.slice(i + 1);
      if (line.startsWith('{')) lines.push(JSON.parse(line) as Record<string, unknown>);
    }
    for (const w of waiters) w();
  });
  let exited = false;
  const exit = new Promise<void>((resolve) =>
    proc.on('exit', () => {
      exited = true;
      resolve();
    }),
  );
  const waitLine: Child['waitLine'] = (pred, what, timeoutMs = 15_000) =>
    new Promise((resolve, reject) => {
      const check = () => {
        const hit = lines.find(pred);
        if (hit) {
          waiters.delete(check);
          clearTimeout(timer);
          resolve(hit);
        }
      };
      const timer = setTimeout(() => {
        waiters.delete(check);
        reject(new Error(`child: timed out waiting for ${what}; lines: ${JSON.stringify(lines.slice(-8))}`));
      }, timeoutMs);
      waiters.add(check);
      check();
    });
  let nextId = 1;
  const child: Child = {
    proc,
    lines,
    waitLine,
    async call(op, args) {
      const id = nextId++;
      proc.stdin!.write(`${JSON.stringify({ id, op, args })}\n`);
      const l = await waitLine((x) => x.id === id, `answer to ${op}`);
      return l.result as never;
    },
    async kill() {
      if (!exited) proc.kill('SIGKILL');
      await exit;
    },
  };
  // tsx compiles the core on start: slow when the machine is busy
  await waitLine((l) => l.ready === true, 'ready', 60_000);
  return child;
}
