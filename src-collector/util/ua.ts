import UAParser from 'ua-parser-js';
import { Lru } from './lru';

export interface UaInfo {
  uaFamily: string | null;
  os: string | null;
}

// Mail clients repeat a handful of user agents; parsing each once keeps the pixel path cheap.
const cache = new Lru<string, UaInfo>(2000);

export function describeUa(ua: string): UaInfo {
  const hit = cache.get(ua);
  if (hit) return hit;
  const r = new UAParser(ua.slice(0, 512)).getResult();
  const info: UaInfo = { uaFamily: r.browser.name ?? null, os: r.os.name ?? null };
  cache.set(ua, info);
  return info;
}
