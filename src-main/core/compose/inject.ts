export interface TrackedLink {
  url: string;
  trackedUrl: string;
}

export interface TrackerInput {
  pixelUrl: string;
  links: TrackedLink[];
  /** a hidden link only machines follow; omitted = none */
  honeypotUrl?: string;
}

/** Splices tracked hrefs and the pixel into the agent's HTML; every other byte stays as written. */
export function injectTracking(html: string, _tracker: TrackerInput): string {
  // TODO
  return html;
}
