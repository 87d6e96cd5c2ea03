/** Issue 17: the prospect's consent page and its withdrawal page, named by a tracker token. */
export function consentUrl(publicUrl: string, token: string): string {
  return `${publicUrl.replace(/\/+$/, '')}/e/${token}`;
}

export function withdrawUrl(publicUrl: string, token: string): string {
  return `${publicUrl.replace(/\/+$/, '')}/e/${token}/widerruf`;
}
