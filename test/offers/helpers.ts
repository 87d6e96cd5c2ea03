import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { OfferProperty, PublishOfferResponse, RegisterMessageResponse } from '../../src-shared/api';
import { call, register, type Res } from '../collector/helpers';
import { sampleFiles, sampleProperty, type SampleFiles } from '../fixtures/offers/sample';
import type { TestCollector } from '../support/collector';

export const PROSPECT_IP = '198.51.100.23';
export const DESKTOP_UA =
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';
export const PHONE_UA =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1';

export const RECIPIENTS = [
  { email: 'anna.beispiel@kunde.example', name: 'Anna Beispiel' },
  { email: 'bernd.muster@kunde.example', name: 'Bernd Muster' },
];

export interface Published {
  message: RegisterMessageResponse;
  offer: PublishOfferResponse;
  files: SampleFiles;
  /** landing URL by recipient e-mail */
  landing: Map<string, string>;
}

/** Registers an individually sent message and publishes the sample offer for it. */
export async function publishSample(
  c: TestCollector,
  token: string,
  linkBase: string,
  over: Partial<OfferProperty> = {},
): Promise<Published> {
  const message = await register(c, token, { sentIndividually: true, recipients: RECIPIENTS, links: [] });
  const files = sampleFiles();
  const r = await publish(c, token, {
    messageId: message.messageId,
    property: sampleProperty(linkBase, over),
    files: files.files,
  });
  if (r.status !== 200) throw new Error(`publish failed: ${r.status} ${r.text.slice(0, 500)}`);
  return {
    message,
    offer: r.body,
    files,
    landing: new Map(r.body.landing.map((l) => [l.recipientEmail, l.url])),
  };
}

export function publish(c: TestCollector, token: string, body: unknown): Promise<Res<PublishOfferResponse>> {
  return call<PublishOfferResponse>(`${c.url}/api/v1/offers`, { token, body });
}

/** The agent's own website, where the property links point: a real server on loopback. */
export async function startSite(): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer((req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(`<!doctype html><title>Makler-Website</title><h1>Seite ${req.url ?? ''}</h1>`);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

export function tokenOf(landingUrl: string): string {
  const m = /\/l\/([A-Za-z0-9_-]+)$/.exec(landingUrl);
  if (!m?.[1]) throw new Error(`not a landing URL: ${landingUrl}`);
  return m[1];
}
