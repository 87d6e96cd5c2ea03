import { describe, expect, it } from 'vitest';
import { sniffFileType } from '../../src-shared/file-types';

const bytes = (...parts: (string | number[])[]): Uint8Array =>
  Uint8Array.from(parts.flatMap((p) => (typeof p === 'string' ? [...p].map((c) => c.charCodeAt(0)) : p)));

describe('sniffFileType', () => {
  it('tells the accepted types by their magic numbers, not by what is declared', () => {
    expect(sniffFileType(bytes([0xff, 0xd8, 0xff, 0xe0]))).toBe('image/jpeg');
    expect(sniffFileType(bytes([0x89], 'PNG', [0x0d, 0x0a, 0x1a, 0x0a, 0]))).toBe('image/png');
    expect(sniffFileType(bytes('RIFF', [1, 2, 3, 4], 'WEBPVP8 '))).toBe('image/webp');
    expect(sniffFileType(bytes('%PDF-1.7\n'))).toBe('application/pdf');
  });

  it('refuses everything else, truncated magic numbers and look-alikes included', () => {
    expect(sniffFileType(bytes('<script>alert(1)</script>'))).toBeNull();
    expect(sniffFileType(bytes([0xff, 0xd8]))).toBeNull();
    expect(sniffFileType(bytes('RIFF', [1, 2, 3, 4], 'WAVE'))).toBeNull();
    expect(sniffFileType(bytes('%PDF'))).toBeNull();
    expect(sniffFileType(new Uint8Array())).toBeNull();
  });
});
