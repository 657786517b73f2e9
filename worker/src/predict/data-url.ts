/** `data:image/png;base64,...` (what canvas.toDataURL() gives) to bytes. */
import { ApiError } from '../errors.js';

const DATA_URL = /^data:([^;,]*)((?:;[^;,]*)*?);base64,/i;

export function decodeDataUrl(value: unknown): Uint8Array {
  if (typeof value !== 'string') throw new ApiError(400, 'invalid_image', '"image" must be a data URL string such as "data:image/png;base64,...".');
  const match = DATA_URL.exec(value);
  if (!match) throw new ApiError(400, 'invalid_image', '"image" must be a base64 data URL such as "data:image/png;base64,...".');
  let binary: string;
  try {
    // atob ignores ASCII whitespace and rejects anything outside the base64 alphabet.
    binary = atob(value.slice(match[0].length));
  } catch {
    throw new ApiError(400, 'invalid_image', 'The data URL is not valid base64.');
  }
  if (binary.length === 0) throw new ApiError(400, 'empty_image', 'The data URL holds no bytes.');
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}
