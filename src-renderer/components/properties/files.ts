/** Reading the agent's chosen files in the browser, for the base64 the IPC operations carry. */
export function readFileBase64(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => {
      const s = String(reader.result);
      resolve(s.slice(s.indexOf(',') + 1));
    };
    reader.onerror = () => reject(reader.error ?? new Error('read failed'));
    reader.readAsDataURL(file);
  });
}

/** the content type the core expects, from the file's type or, failing that, its name */
export function fileType(f: File): 'image/jpeg' | 'image/png' | 'image/webp' | 'application/pdf' {
  const n = f.name.toLowerCase();
  if (f.type === 'application/pdf' || n.endsWith('.pdf')) return 'application/pdf';
  if (f.type === 'image/png' || n.endsWith('.png')) return 'image/png';
  if (f.type === 'image/webp' || n.endsWith('.webp')) return 'image/webp';
  return 'image/jpeg';
}

export const sizeLabel = (b: number) =>
  b < 1024 * 1024 ? `${Math.max(1, Math.round(b / 1024))} KB` : `${(b / 1024 / 1024).toFixed(1)} MB`;
