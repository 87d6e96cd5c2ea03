import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventsResponse, OfferEvidenceResponse } from '../../src-shared/api';
import { call } from '../collector/helpers';
import { startTestCollector, type TestCollector } from '../support/collector';
import { DESKTOP_UA, PROSPECT_IP, publishSample, RECIPIENTS } from './helpers';

const BIN = '/usr/lib/postgresql/15/bin';
// a throwaway cluster needs the postgres system user when the tests run as root
const canRun = existsSync(`${BIN}/initdb`) && process.getuid?.() === 0;
const PORT = 20000 + (process.pid % 20000);
let dir = '';
let c: TestCollector | undefined;

const asPostgres = (cmd: string): void => {
  execFileSync('su', ['postgres', '-s', '/bin/sh', '-c', cmd], { stdio: 'ignore' });
};

beforeAll(async () => {
  if (!canRun) return;
  dir = mkdtempSync(join(tmpdir(), 'blitz-offers-pg-'));
  execFileSync('chown', ['postgres', dir]);
  asPostgres(`${BIN}/initdb -D ${dir}/data -A trust -U blitz >/dev/null`);
  asPostgres(
    `${BIN}/pg_ctl -D ${dir}/data -w -o '-p ${PORT} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off' -l ${dir}/log start`,
  );
  c = await startTestCollector({
    databaseUrl: `postgres://blitz@127.0.0.1:${PORT}/postgres`,
    trustProxy: true,
  });
});

afterAll(async () => {
  await c?.close();
  if (dir) {
    asPostgres(`${BIN}/pg_ctl -D ${dir}/data -m immediate stop`);
    rmSync(dir, { recursive: true, force: true });
  }
});

describe.skipIf(!canRun)('offers on PostgreSQL', () => {
  it('publish, legal form, download and events work the same as on SQLite', async () => {
    const p = await publishSample(c!, c!.agentToken, 'https://makler.example');
    const url = p.landing.get(RECIPIENTS[0]!.email)!;
    const h = { 'user-agent': DESKTOP_UA, 'x-forwarded-for': PROSPECT_IP };
    const html = await (await fetch(url, { headers: h })).text();
    const csrf = /name="csrf" value="([^"]+)"/.exec(html)?.[1] ?? '';
    const conf = await fetch(`${url}/confirm`, {
      method: 'POST',
      redirect: 'manual',
      headers: { ...h, 'content-type': 'application/x-www-form-urlencoded', 'sec-fetch-site': 'same-origin' },
      body: new URLSearchParams({
        csrf,
        c_cancellation_policy_read: 'ja',
        c_early_start: 'ja',
        c_commission_notice: 'ja',
      }).toString(),
    });
    expect(conf.status).toBe(303);
    const ex = await fetch(`${url}/expose`, { headers: h });
    expect(ex.status).toBe(200);
    expect(
      Buffer.from(await ex.arrayBuffer()).equals(p.files.bytes.get('Exposé Lindenthaler Straße 12.pdf')!),
    ).toBe(true);
    const events = (await call<EventsResponse>(`${c!.url}/api/v1/events`, { token: c!.agentToken })).body
      .events;
    expect(events.map((e) => e.type)).toEqual([
      'landing.visited',
      'landing.legal_confirmed',
      'landing.legal_confirmed',
      'landing.legal_confirmed',
      'landing.expose_downloaded',
    ]);
    for (const e of events) expect(e.offerId).toBe(p.offer.offerId);
    const ev = await call<OfferEvidenceResponse>(`${c!.url}/api/v1/offers/${p.offer.offerId}/evidence`, {
      token: c!.agentToken,
    });
    expect(ev.body.evidence.map((e) => e.ip)).toEqual([PROSPECT_IP, PROSPECT_IP, PROSPECT_IP]);
  });
});
