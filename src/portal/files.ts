/** Attachments chosen by the recipient, read into the base64 the API takes. */

export const MAX_ATTACHMENTS = 10;
/** The server's default limit per attachment; it has the last word and says so in its message. */
export const MAX_ATTACHMENT_BYTES = 25 * 1024 * 1024;

export interface ChosenFile {
  name: string;
  contentType: string;
  size: number;
  contentBase64: string;
}

/** `data:<type>;base64,<data>` → `<data>`. */
export function dataUrlToBase64(dataUrl: string): string {
  const comma = dataUrl.indexOf(',');
  if (!dataUrl.startsWith('data:') || comma === -1 || !dataUrl.slice(0, comma).endsWith(';base64')) {
    throw new Error('not a base64 data URL');
  }
  return dataUrl.slice(comma + 1);
}

/** Why a set of files cannot be attached, or undefined when it can. */
export function attachmentProblem(
  existing: readonly { size: number }[],
  added: readonly { name: string; size: number }[],
): string | undefined {
  if (existing.length + added.length > MAX_ATTACHMENTS) {
    return `You can attach at most ${MAX_ATTACHMENTS} files to one message.`;
  }
  const tooBig = added.find((f) => f.size > MAX_ATTACHMENT_BYTES);
  if (tooBig !== undefined) {
    return `${tooBig.name} is larger than ${MAX_ATTACHMENT_BYTES / 1024 / 1024} MB, the most one attachment may be.`;
  }
  const empty = added.find((f) => f.size === 0);
  if (empty !== undefined) return `${empty.name} is empty.`;
  return undefined;
}

export function readFile(file: File): Promise<ChosenFile> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onerror = () => {
      reject(new Error(`${file.name} could not be read`));
    };
    reader.onload = () => {
      try {
        resolve({
          name: file.name,
          contentType: file.type === '' ? 'application/octet-stream' : file.type,
          size: file.size,
          contentBase64: dataUrlToBase64(typeof reader.result === 'string' ? reader.result : ''),
        });
      } catch (error) {
        reject(error instanceof Error ? error : new Error(String(error)));
      }
    };
    reader.readAsDataURL(file);
  });
}
