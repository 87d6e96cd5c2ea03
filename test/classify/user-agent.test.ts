import { isbot } from 'isbot';
import { describe, expect, it } from 'vitest';
import {
  isBareMozilla,
  isBotUserAgent,
  isPreviewBot,
  isScriptUserAgent,
  mailProxyOf,
  MAIL_PROXY_USER_AGENTS,
  REMOVED_ISBOT_PATTERNS,
} from '../../src-collector/classify/user-agent';

describe('isbot minus the mail proxies', () => {
  it('does not call the mail image proxies bots, though plain isbot does', () => {
    for (const ua of MAIL_PROXY_USER_AGENTS) {
      expect(isbot(ua)).toBe(true);
      expect(isBotUserAgent(ua)).toBe(false);
    }
    expect(REMOVED_ISBOT_PATTERNS.length).toBeGreaterThan(0);
    expect(REMOVED_ISBOT_PATTERNS).toContain('proxy');
  });
  it('still knows crawlers, headless browsers and agents naming a URL', () => {
    for (const ua of [
      'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)',
      'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/120.0.0.0 Safari/537.36',
      'Mozilla/5.0 (compatible; SecurityScanner/1.0; +https://scanner.example)',
      'Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)',
    ])
      expect(isBotUserAgent(ua)).toBe(true);
  });
  it('leaves mail clients and browsers alone', () => {
    for (const ua of [
      'Microsoft Office/16.0 (Windows NT 10.0; Microsoft Outlook 16.0.17928; Pro)',
      'Mozilla/4.0 (compatible; ms-office; MSOffice 16)',
      'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko)',
      'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Thunderbird/128.5.0',
      'Mozilla/5.0 (Linux; Android 14; SM-S911B Build/UP1A.231005.007; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/131.0.6778.81 Mobile Safari/537.36',
      'Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 [FBAN/FBIOS;FBAV/490.0]',
    ]) {
      expect(isBotUserAgent(ua)).toBe(false);
      expect(isPreviewBot(ua)).toBe(false);
    }
  });
});

describe('user-agent families', () => {
  it('recognises the mail proxies', () => {
    expect(
      mailProxyOf(
        'Mozilla/5.0 (Windows NT 5.1; rv:11.0) Gecko Firefox/11.0 (via ggpht.com GoogleImageProxy)',
      ),
    ).toBe('gmail');
    expect(mailProxyOf('YahooMailProxy; https://help.yahoo.com/kb/yahoo-mail-proxy-SLN28749.html')).toBe(
      'yahoo',
    );
    expect(
      mailProxyOf('Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/42.0.2311.135 Safari/537.36 Edge/12.246'),
    ).toBeUndefined();
  });
  it('recognises preview bots but not in-app browsers', () => {
    for (const ua of [
      'facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)',
      'Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)',
      'WhatsApp/2.23.20.0',
      'TelegramBot (like TwitterBot)',
      'Mozilla/5.0 (compatible; Discordbot/2.0; +https://discordapp.com)',
      'Twitterbot/1.0',
      'LinkedInBot/1.0 (compatible; Mozilla/5.0; Apache-HttpClient +http://www.linkedin.com)',
      'Mozilla/5.0 (Windows NT 6.1; WOW64) SkypeUriPreview Preview/0.5 skype-url-preview@microsoft.com',
      'Mozilla/5.0 (compatible; MicrosoftPreview/2.0; +https://aka.ms/MicrosoftPreview)',
    ])
      expect(isPreviewBot(ua), ua).toBe(true);
    expect(
      isPreviewBot('Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) Mobile/15E148 LinkedInApp/9.30'),
    ).toBe(false);
    expect(
      isPreviewBot('Mozilla/5.0 (Linux; Android 14) Chrome/131.0 Mobile Safari/537.36 Instagram 300.0.0.0'),
    ).toBe(false);
  });
  it('recognises scripts and the bare Mozilla agent', () => {
    for (const ua of [
      'curl/8.5.0',
      'Go-http-client/1.1',
      'python-requests/2.31.0',
      'Java/17.0.9',
      'okhttp/4.12.0',
      'axios/1.7.2',
    ])
      expect(isScriptUserAgent(ua), ua).toBe(true);
    expect(isScriptUserAgent('Mozilla/5.0 (X11; Linux x86_64; rv:132.0) Gecko/20100101 Firefox/132.0')).toBe(
      false,
    );
    expect(isBareMozilla('Mozilla/5.0')).toBe(true);
    expect(isBareMozilla('Mozilla/5.0 (Macintosh)')).toBe(false);
  });
});
