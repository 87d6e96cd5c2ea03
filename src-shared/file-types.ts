/** The file types an offer may carry: images for the gallery, PDFs for documents and the Exposé. */
export type OfferFileContentType = 'image/jpeg' | 'image/png' | 'image/webp' | 'application/pdf';

const PNG = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

function startsWith(bytes: Uint8Array, at: number, expected: readonly number[]): boolean {
  if (bytes.length < at + expected.length) return false;
  return expected.every((b, i) => bytes[at + i] === b);
}
function ascii(s: string): number[] {
  return [...s].map((c) => c.charCodeAt(0));
}

/**
 * The type the bytes really are, by their magic numbers; null when none we accept. The desktop
 * checks before it stores a property file, the collector again before it publishes one: a
 * declared content type is never trusted.
 */
export function sniffFileType(bytes: Uint8Array): OfferFileContentType | null {
  if (startsWith(bytes, 0, [0xff, 0xd8, 0xff])) return 'image/jpeg';
  if (startsWith(bytes, 0, PNG)) return 'image/png';
  if (startsWith(bytes, 0, ascii('RIFF')) && startsWith(bytes, 8, ascii('WEBP'))) return 'image/webp';
  if (startsWith(bytes, 0, ascii('%PDF-'))) return 'application/pdf';
  return null;
}
