import { describe, expect, it } from 'vitest';
import { APP_ORIGIN, decideNavigation, externalLink, isAppUrl } from '../../src-main/shell/url-policy';
import { isKnownOperation, isTrustedSender } from '../../src-main/shell/ipc-guard';

const prod = [APP_ORIGIN];
const dev = ['http://localhost:5173'];

describe('url policy', () => {
  it('recognises our renderer origins only', () => {
    expect(isAppUrl('app://blitz/index.html', prod)).toBe(true);
    expect(isAppUrl('app://blitz/#/feed/1', prod)).toBe(true);
    expect(isAppUrl('app://evil/index.html', prod)).toBe(false);
    expect(isAppUrl('http://localhost:5173/', prod)).toBe(false);
    expect(isAppUrl('http://localhost:5173/src/main.tsx', dev)).toBe(true);
    expect(isAppUrl('http://localhost:5174/', dev)).toBe(false);
    expect(isAppUrl('file:///etc/passwd', prod)).toBe(false);
    expect(isAppUrl('', prod)).toBe(false);
    expect(isAppUrl(undefined, prod)).toBe(false);
    expect(isAppUrl('not a url', prod)).toBe(false);
  });

  it('sends only clean http(s) links to the system browser', () => {
    expect(externalLink('https://example.org/expose?id=3')).toBe('https://example.org/expose?id=3');
    expect(externalLink('http://EXAMPLE.org')).toBe('http://example.org/');
    expect(externalLink('javascript:alert(1)')).toBeNull();
    expect(externalLink('file:///C:/Windows/system32/calc.exe')).toBeNull();
    expect(externalLink('smb://server/share')).toBeNull();
    expect(externalLink('https://user:pw@bank.example/')).toBeNull();
    expect(externalLink('mailto:a@b.de')).toBeNull();
    expect(externalLink('//example.org')).toBeNull();
  });

  it('decides navigations: stay, open outside, or refuse', () => {
    expect(decideNavigation('app://blitz/index.html', prod)).toEqual({ action: 'allow' });
    expect(decideNavigation('https://example.org/a', prod)).toEqual({
      action: 'external',
      url: 'https://example.org/a',
    });
    expect(decideNavigation('data:text/html,<script>1</script>', prod)).toEqual({ action: 'deny' });
    expect(decideNavigation('chrome://settings', prod)).toEqual({ action: 'deny' });
  });
});

describe('ipc guard', () => {
  const expected = { webContentsId: 7, appOrigins: prod };

  it('accepts the main frame of our window showing our renderer', () => {
    expect(
      isTrustedSender({ frameUrl: 'app://blitz/index.html', isMainFrame: true, webContentsId: 7 }, expected),
    ).toBe(true);
  });

  it('refuses subframes, other windows, foreign pages and an unknown window', () => {
    expect(
      isTrustedSender({ frameUrl: 'app://blitz/index.html', isMainFrame: false, webContentsId: 7 }, expected),
    ).toBe(false);
    expect(
      isTrustedSender({ frameUrl: 'app://blitz/index.html', isMainFrame: true, webContentsId: 8 }, expected),
    ).toBe(false);
    expect(
      isTrustedSender({ frameUrl: 'https://evil.example/', isMainFrame: true, webContentsId: 7 }, expected),
    ).toBe(false);
    expect(isTrustedSender({ frameUrl: undefined, isMainFrame: true, webContentsId: 7 }, expected)).toBe(
      false,
    );
    expect(
      isTrustedSender(
        { frameUrl: 'app://blitz/index.html', isMainFrame: true, webContentsId: 7 },
        { webContentsId: null, appOrigins: prod },
      ),
    ).toBe(false);
  });

  it('knows exactly the operations of the contract', () => {
    expect(isKnownOperation('compose.send')).toBe(true);
    expect(isKnownOperation('activities.list')).toBe(true);
    expect(isKnownOperation('constructor')).toBe(false);
    expect(isKnownOperation('__proto__')).toBe(false);
    expect(isKnownOperation('fs.readFile')).toBe(false);
    expect(isKnownOperation(42)).toBe(false);
  });
});
