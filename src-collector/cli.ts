import { parseArgs } from 'node:util';
import pino from 'pino';
import { Role } from '../src-shared/api';
import { createAccount, createUser } from './accounts';
import { exportEvidenceCli } from './evidence/cli-export';
import { classify } from './classify/index';
import { DOMAIN_HELP, DomainCommandError, runDomainCommand } from './domains/cli';
import { OPS_HELP, OpsCommandError, runOpsCommand } from './ops/cli';
import {
  holdCli,
  PRIVACY_HELP,
  PrivacyCliError,
  retentionCli,
  subjectEraseCli,
  subjectExportCli,
} from './privacy/cli';
import { scheduleRetention } from './privacy/retention';
import { reclassify } from './reclassify';
import { startCollector } from './server';
import { openStore } from './store/open';
import type { Store } from './store/types';

const HELP = `Blitz collector

Usage: npm run collector -- <command> [options]

Commands:
  serve [--port 8080] [--host 127.0.0.1] [--public-url URL] [--db FILE]
        run the service (SQLite file by default; PostgreSQL when DATABASE_URL=postgres://… is set)
  create-account --name NAME
        prints {"accountId": …}
  create-user --account ID --email E --name N --role admin|agent
        prints {"userId": …, "token": …}; the token is shown only this once
  reclassify [--message ID]
        recomputes verdicts with the current classifier over the stored signals
  evidence export --account ID --email ADDRESS [--offer ID] --out DIR
        writes DIR/nachweis.json and DIR/nachweis.pdf (the Nachweisakte of that address) and
        prints {"json": …, "pdf": …, "records": N}; check it with npm run verify-evidence
${PRIVACY_HELP}
${OPS_HELP}
${DOMAIN_HELP}

Every command takes --db FILE (default ./blitz-collector.db) or DATABASE_URL.

Environment:
  DATABASE_URL=postgres://…       use PostgreSQL instead of the SQLite file
  BLITZ_RATE_LIMIT=0              turn the abuse limits off (benchmarks, loopback tests)
  BLITZ_RATE_PUBLIC_PER_IP        pixel/click hits per IP and minute (600)
  BLITZ_RATE_PUBLIC_PER_TOKEN     pixel/click hits per tracker token and minute (300)
  BLITZ_RATE_API_PER_IP           API calls per IP and minute (1200)
  BLITZ_RATE_API_PER_TOKEN        API calls per API token and minute (600)
  BLITZ_RATE_AUTH_FAILURES_PER_IP failed API logins per IP and minute (30)
  BLITZ_TRUST_PROXY               addresses of reverse proxies whose X-Forwarded-For is believed
                                  (e.g. 127.0.0.1, or "true" for any)
  BLITZ_TRUST_FORWARDED_HOST=1    take the host name from X-Forwarded-Host when a trusted proxy
                                  sends it (else the Host header; tracking domains, issue 20)
  BLITZ_DOMAIN_TARGET             where tracking domains' DNS records point (default: the host of
                                  --public-url); BLITZ_ACME_WEBROOT the ACME webroot (/var/www/acme)
  BLITZ_DOMAIN_PROBE_CA           PEM file of CAs the tracking-domain probe trusts instead of the
                                  system's (a private CA); BLITZ_DOMAIN_PROBE_PERIODIC=0: probe
                                  only on set and verify; BLITZ_DOMAIN_PROBE_PRIVATE=1: probe names
                                  that resolve to internal addresses too (refused by default)
  BLITZ_METRICS=0                 no Prometheus metrics (/metrics answers 404)
  BLITZ_METRICS_TOKEN             Bearer token /metrics wants (open without it)
  BLITZ_EVIDENCE=0                no evidence chain (docs/evidence.md)
  BLITZ_EVIDENCE_KEY              the Ed25519 evidence key file (beside the SQLite file by default)
  BLITZ_TSA_URL                   RFC 3161 timestamp authority for signed chain heads
  BLITZ_RETENTION=0               serve runs no daily retention (docs/privacy.md)
  BLITZ_SYNCHRONOUS=NORMAL        weaker SQLite durability (survives crashes, not power loss)
  LOG_LEVEL                       pino level (info)

Exit codes: 0 ok, 1 failure at run time, 2 bad usage.`;

class UsageError extends Error {}

function fail(code: number, message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(code);
}

async function withStore<T>(db: string, fn: (store: Store) => Promise<T>): Promise<T> {
  const opened = await openStore({
    file: db,
    databaseUrl: process.env.DATABASE_URL,
    synchronous: synchronous(),
  });
  if (!opened.ok)
    fail(1, `Fehler: ${opened.error.message}${opened.error.detail ? ` — ${opened.error.detail}` : ''}`);
  try {
    return await fn(opened.value);
  } finally {
    await opened.value.close();
  }
}

function synchronous(): 'FULL' | 'NORMAL' {
  return process.env.BLITZ_SYNCHRONOUS?.toUpperCase() === 'NORMAL' ? 'NORMAL' : 'FULL';
}

function need(value: string | undefined, flag: string): string {
  if (value === undefined || value.trim() === '') throw new UsageError(`missing ${flag}`);
  return value;
}

async function main(argv: string[]): Promise<void> {
  // two-word commands: `evidence export`, `subject export|erase`, `hold set|lift`
  const [first, ...tail] = argv;
  const twoWords = (first === 'evidence' || first === 'subject' || first === 'hold') && tail[0];
  const [command, ...rest] = twoWords ? [`${first} ${tail[0]}`, ...tail.slice(1)] : argv;
  if (!command || command === '--help' || command === '-h' || command === 'help') {
    process.stdout.write(`${HELP}\n`);
    return;
  }
  if (await runOpsCommand(command, rest)) return; // issue 20: backup, restore (ops/cli.ts)
  if (first === 'domain') return runDomainCommand(tail, withStore); // issue 20: tracking domains
  const { values } = parseArgs({
    args: rest,
    strict: true,
    options: {
      db: { type: 'string', default: 'blitz-collector.db' },
      port: { type: 'string' },
      host: { type: 'string' },
      'public-url': { type: 'string' },
      name: { type: 'string' },
      account: { type: 'string' },
      email: { type: 'string' },
      role: { type: 'string' },
      message: { type: 'string' },
      offer: { type: 'string' },
      out: { type: 'string' },
      now: { type: 'string' },
      reason: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    process.stdout.write(`${HELP}\n`);
    return;
  }
  const db = values.db;

  switch (command) {
    case 'serve': {
      const port = values.port === undefined ? 8080 : Number(values.port);
      if (!Number.isInteger(port) || port < 0 || port > 65535)
        throw new UsageError(`invalid --port ${values.port}`);
      const publicUrl = values['public-url'];
      if (publicUrl !== undefined && !/^https?:\/\/[^\s/]+/.test(publicUrl)) {
        throw new UsageError(`--public-url must be an absolute http(s) URL, got ${publicUrl}`);
      }
      const logger = pino({ level: process.env.LOG_LEVEL ?? 'info', base: { svc: 'blitz-collector' } });
      const c = await startCollector({
        db,
        port,
        host: values.host ?? '127.0.0.1',
        publicUrl,
        logger,
        synchronous: synchronous(),
      });
      // issue 17: retention once a day (docs/privacy.md), the timer keeps nothing alive
      const stopRetention = scheduleRetention(c.store, logger);
      let stopping = false;
      const stop = (signal: string): void => {
        if (stopping) return;
        stopping = true;
        logger.info({ signal }, 'shutting down');
        stopRetention();
        c.close().then(
          () => process.exit(0),
          (e: unknown) => {
            logger.error({ err: e }, 'shutdown failed');
            process.exit(1);
          },
        );
      };
      process.on('SIGINT', () => stop('SIGINT'));
      process.on('SIGTERM', () => stop('SIGTERM'));
      return;
    }
    case 'create-account': {
      const name = need(values.name, '--name');
      const acc = await withStore(db, (s) => createAccount(s, name));
      process.stdout.write(`${JSON.stringify({ accountId: acc.id })}\n`);
      return;
    }
    case 'create-user': {
      const accountId = need(values.account, '--account');
      const email = need(values.email, '--email');
      const name = need(values.name, '--name');
      const role = Role.safeParse(values.role);
      if (!role.success) throw new UsageError('--role must be admin or agent');
      const out = await withStore(db, async (s) => {
        if (!(await s.getAccount(accountId)))
          fail(1, `Fehler: Konto ${accountId} gibt es nicht (no such account)`);
        return createUser(s, { accountId, email, name, role: role.data });
      });
      process.stdout.write(`${JSON.stringify({ userId: out.user.id, token: out.token })}\n`);
      return;
    }
    case 'reclassify': {
      const r = await withStore(db, (s) => reclassify(s, classify, { messageId: values.message }));
      process.stdout.write(`${JSON.stringify(r)}\n`);
      return;
    }
    case 'evidence export': {
      const accountId = need(values.account, '--account');
      const email = need(values.email, '--email');
      const out = need(values.out, '--out');
      const r = await withStore(db, (s) =>
        exportEvidenceCli(s, {
          db,
          databaseUrl: process.env.DATABASE_URL,
          synchronous: synchronous(),
          accountId,
          email,
          offerId: values.offer,
          out,
        }),
      );
      if (!r.ok) fail(1, `Fehler: ${r.message}`);
      process.stdout.write(`${JSON.stringify({ json: r.json, pdf: r.pdf, records: r.records })}\n`);
      return;
    }
    case 'retention': {
      const r = await withStore(db, (s) => retentionCli(s, values.now));
      process.stdout.write(`${JSON.stringify(r)}\n`);
      return;
    }
    case 'subject export': {
      const accountId = need(values.account, '--account');
      const email = need(values.email, '--email');
      const out = need(values.out, '--out');
      const r = await withStore(db, (s) => subjectExportCli(s, { accountId, email, out }));
      process.stdout.write(`${JSON.stringify(r)}\n`);
      return;
    }
    case 'subject erase': {
      const accountId = need(values.account, '--account');
      const email = need(values.email, '--email');
      const reason = need(values.reason, '--reason');
      const r = await withStore(db, (s) => subjectEraseCli(s, { accountId, email, reason }));
      process.stdout.write(`${JSON.stringify(r)}\n`);
      return;
    }
    case 'hold set':
    case 'hold lift': {
      const accountId = need(values.account, '--account');
      const email = need(values.email, '--email');
      const action = command === 'hold set' ? 'set' : 'lift';
      const r = await withStore(db, (s) => holdCli(s, { action, accountId, email, reason: values.reason }));
      process.stdout.write(`${JSON.stringify(r)}\n`);
      return;
    }
    default:
      throw new UsageError(`unknown command ${command}`);
  }
}

main(process.argv.slice(2)).catch((e: unknown) => {
  if (e instanceof OpsCommandError || e instanceof DomainCommandError) fail(e.exitCode, e.message);
  if (e instanceof PrivacyCliError) fail(1, `Fehler: ${e.message}`);
  if (
    e instanceof UsageError ||
    (e instanceof Error && 'code' in e && String(e.code).startsWith('ERR_PARSE_ARGS'))
  ) {
    fail(2, `Aufruf fehlerhaft (usage error): ${e.message}\nSee: npm run collector -- --help`);
  }
  fail(1, `Fehler: ${e instanceof Error ? e.message : String(e)}`);
});
