/** URL shapes of the collector's public endpoints. Tokens are opaque base64url strings. */
export const TOKEN_PATTERN = /^[A-Za-z0-9_-]{22,64}$/;

export function pixelUrl(publicUrl: string, token: string): string {
  return `${trimSlash(publicUrl)}/o/${token}.gif`;
}
export function clickUrl(publicUrl: string, token: string, linkIndex: number): string {
  return `${trimSlash(publicUrl)}/c/${token}/${linkIndex}`;
}
export function landingUrl(publicUrl: string, token: string): string {
  return `${trimSlash(publicUrl)}/l/${token}`;
}
function trimSlash(u: string): string {
  return u.endsWith('/') ? u.slice(0, -1) : u;
}
