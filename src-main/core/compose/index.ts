/**
 * Tracking injection for outgoing mail: pure functions, no I/O.
 * The core imports only from this file.
 */
export { extractTrackableLinks } from './links';
export { injectTracking } from './inject';
export type { TrackerInput, TrackedLink } from './inject';
export { rewriteText } from './text';
export {
  appendToBody,
  consentFooterHtml,
  consentFooterText,
  withdrawFooterHtml,
  withdrawFooterText,
} from './consent-footer';
