import { createIsbotFromList, list as isbotList } from 'isbot';

/**
 * User-agent facts. isbot knows thousands of crawlers, but it also calls the mail providers' image
 * proxies bots, and a Gmail or Yahoo image-proxy fetch is the recipient opening the message.
 */

/** Public user agents of mail image proxies (as the providers document them). */
export const MAIL_PROXY_USER_AGENTS: readonly string[] = [
  'Mozilla/5.0 (Windows NT 5.1; rv:11.0) Gecko Firefox/11.0 (via ggpht.com GoogleImageProxy)',
  'Mozilla/5.0 (via ggpht.com GoogleImageProxy)',
  'YahooMailProxy; https://help.yahoo.com/kb/yahoo-mail-proxy-SLN28749.html',
];

/** isbot's patterns that fire on a mail proxy; taken out so a proxied open is not a bot. */
export const REMOVED_ISBOT_PATTERNS: readonly string[] = isbotList.filter((pattern) => {
  const re = new RegExp(pattern, 'i');
  return MAIL_PROXY_USER_AGENTS.some((ua) => re.test(ua));
});

const isbotWithoutMailProxies = createIsbotFromList(
  isbotList.filter((pattern) => !REMOVED_ISBOT_PATTERNS.includes(pattern)),
);

/**
 * What the removed generic patterns ("http", ".com") caught besides the proxies: a URL in the
 * user agent, the usual way a crawler names itself. Checked only after the proxy check.
 */
const BOT_URL = /\+?https?:\/\/|\bwww\.[a-z0-9-]+\.[a-z]{2,}/i;

export function isBotUserAgent(ua: string): boolean {
  return isbotWithoutMailProxies(ua) || (BOT_URL.test(ua) && mailProxyOf(ua) === undefined);
}

export type MailProxy = 'gmail' | 'yahoo';

export function mailProxyOf(ua: string): MailProxy | undefined {
  if (/GoogleImageProxy|via ggpht\.com/i.test(ua)) return 'gmail';
  if (/YahooMailProxy/i.test(ua)) return 'yahoo';
  return undefined;
}

/** Link-unfurling bots of chat apps and social networks (their published user agents). */
const PREVIEW_BOTS: readonly RegExp[] = [
  /facebookexternalhit|\bFacebot\b/i,
  /Twitterbot/i,
  /LinkedInBot/i,
  /Slackbot|Slack-ImgProxy/i,
  /^WhatsApp\//i,
  /TelegramBot/i,
  /Discordbot/i,
  /SkypeUriPreview/i,
  /MicrosoftPreview|Teams(?:UrlPreview|Bot)/i,
  /redditbot/i,
  /Pinterest(?:bot)?\//i,
  /Embedly|Iframely/i,
  /vkShare/i,
  /XING-contenttabreceiver/i,
  /Mastodon\//i,
  /Snap URL Preview/i,
  /Google-PageRenderer|Google-Chat|Google-Docs-Preview/i,
  /Viber\b.*(?:preview|bot)|\bViberBot\b/i,
  /Synapse \(bot/i,
  /Zoom(?:bot|Webhook)|Zoom Marketplace/i,
  /KakaoTalk-scrap|\bLine\/\d.*Preview|Bitrix24/i,
  /Threads?bot|Bluesky|Cardyb/i,
];

export function isPreviewBot(ua: string): boolean {
  return PREVIEW_BOTS.some((re) => re.test(ua));
}

/** HTTP libraries and command-line tools: a script, not a person's browser. */
const SCRIPT =
  /^(?:curl|wget|python-requests|python-urllib|python-httpx|aiohttp|go-http-client|java\/|okhttp|libwww-perl|lwp|axios|node-fetch|undici|got\b|Apache-HttpClient|PostmanRuntime|HTTPie|Ruby|Faraday|Dart\/|reqwest|Scrapy|Wget|PHP|GuzzleHttp|RestSharp|Jakarta|WinHttp|Microsoft-CryptoAPI|cpp-httplib|libcurl)/i;

export function isScriptUserAgent(ua: string): boolean {
  return SCRIPT.test(ua.trim());
}

/** Apple Mail Privacy Protection's fetcher sends nothing but "Mozilla/5.0". */
export function isBareMozilla(ua: string): boolean {
  return /^Mozilla\/\d\.\d$/.test(ua.trim());
}

const MAIL_CLIENT =
  /Microsoft Office|ms-office|Outlook|Thunderbird|Airmail|Spark|eM Client|Postbox|Mailbird|Canary Mail|Evolution\/|KMail|SeaMonkey|Superhuman|Newton|Edison|GMX|WEB\.DE|Mobile\/\w+$|\(KHTML, like Gecko\)$/;

/** A mail client rendering the message (desktop or mobile); informational for human verdicts. */
export function isMailClient(ua: string): boolean {
  return MAIL_CLIENT.test(ua.trim());
}

/** A desktop or mobile browser engine token. */
export function isBrowser(ua: string): boolean {
  return /(?:Chrome|CriOS|Firefox|FxiOS|Safari|Edg|OPR|SamsungBrowser)\/\d/.test(ua);
}
