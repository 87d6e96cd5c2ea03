/**
 * What an IP range says about who sends the request. The classifier reads the category; the owner
 * is stored with the event and groups one provider's hosts into one "network" for bursts.
 */
export type RangeCategory =
  /** fetches mail content on behalf of the recipient at delivery (Apple Mail Privacy Protection) */
  | 'mail_privacy'
  /** a mailbox provider's image proxy / fetcher (Gmail, Yahoo) */
  | 'mail_proxy'
  /** a mail security gateway that follows links (Safe Links, URL Defense, Mimecast, …) */
  | 'mail_security'
  /** a chat or social network's link-unfurling crawlers */
  | 'preview'
  /** public cloud / hosting: machines, occasionally a VPN or a remote desktop */
  | 'cloud'
  /**
   * Apple's relay egress (iCloud Private Relay, Mail's "Hide IP Address", run by Apple's CDN
   * partners): Mail Privacy Protection's fetch of the pixel, or a person browsing through the relay
   */
  | 'relay';

export interface RangeSource {
  /** stable owner id, stored as the event's ipOwner */
  owner: string;
  category: RangeCategory;
  /** where the list is published */
  source: string;
  /** the date of the published list these entries were taken from */
  asOf: string;
  note: string;
  prefixes: readonly string[];
}
