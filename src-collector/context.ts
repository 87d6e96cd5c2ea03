import type { Logger } from 'pino';
import type { Classifier } from './classify/types';
import type { HostMap } from './domains/host-map';
import type { DomainVerifier } from './domains/verifier';
import type { SetupOptions } from './domains/setup';
import type { ConsentGate } from './consent/gate';
import type { HitWriter } from './hits/writer';
import type { Lookup } from './lookup';
import type { Store } from './store/types';
import type { Limits } from './util/rate-limit';

/** What every route module gets: one object, built once in server.ts. */
export interface CollectorContext {
  store: Store;
  writer: HitWriter;
  lookup: Lookup;
  /** issue 17: may a hit be recorded (the contact's consent, the account's analytics switches) */
  consent: ConsentGate;
  limits: Limits;
  classify: Classifier;
  log: Logger;
  /** base of the pixel and click URLs handed out */
  publicUrl: () => string;
  /** issue 20: the base of one account's tracking URLs: its own domain, else publicUrl() */
  trackingBase: (accountId: string) => string;
  /** issue 20: tracking host names → accounts, for the public routes' foreign-token check */
  hosts: HostMap;
  /** issue 20: where a tracking domain's DNS record points and nginx passes to */
  domainSetup: () => SetupOptions;
  /** issue 20: probes tracking domains before (and while) they are live (domains/verifier.ts) */
  domainVerifier: DomainVerifier;
  /** issue 20: /healthz's answer to a domain probe's nonce on `host` (domains/probe.ts) */
  probeAnswer: (host: string, nonce: string) => string;
  heartbeatMs: number;
  /** ends open event streams on shutdown */
  streams: Set<() => void>;
  /**
   * the local test mode: app and webmail share 127.0.0.1, so a loopback caller of the API says
   * nothing about who opens a mail and is not remembered as the sender's address
   */
  loopbackIsNotSender?: boolean;
}
