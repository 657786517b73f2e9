/** `data:image/png;base64,...` (what canvas.toDataURL() gives) to bytes and the type it declares. */
import { ApiError } from '../errors.js';
import { unsupportedType } from '../images/decode.js';
import { unsupportedFormat } from '../images/header.js';

const DATA_URL = /^data:([^;,]*)((?:;[^;,]*)*?);base64,/i;
const MEDIA_TYPE = /^data:([^;,]*)/i;

export function decodeDataUrl(value: unknown): { bytes: Uint8Array; type: string } {
  if (typeof value !== 'string')
    throw new ApiError(400, 'invalid_image', '"image" must be a data URL string such as "data:image/png;base64,...".');
  const type = (MEDIA_TYPE.exec(value)?.[1] ?? '').trim().toLowerCase();
  const match = DATA_URL.exec(value);
  if (!match) {
    // "data:image/svg+xml,<svg ...": the type says enough.
    const format = unsupportedFormat(type);
    if (format) throw unsupportedType(`${format.toUpperCase()} (the data URL's type)`);
    throw new ApiError(400, 'invalid_image', '"image" must be a base64 data URL such as "data:image/png;base64,...".');
  }
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
  return { bytes, type };
}
