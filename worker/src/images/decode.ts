/**
 * Uploaded bytes to RGBA pixels for the recognition core. The format comes from the magic bytes and
 * the size from the header; both are checked before the decoder allocates anything.
 * PNG: upng-js (pure JS, with pako) behind a structural check (png.ts). JPEG: jpeg-js (pure JS), with
 * its own memory caps as a second fence.
 */
import jpeg from 'jpeg-js';
import type { PixelImage } from '../../../model/types.js';
import { ApiError } from '../errors.js';
import { JPEG_DECODER_MEMORY_MB, MAX_IMAGE_PIXELS, MAX_IMAGE_SIDE, SUPPORTED_IMAGE_TYPES } from '../limits.js';
import { jpegIsComplete, jpegSize, pngSize, sniffFormat, type ImageFormat, type ImageSize } from './header.js';
import { decodePng } from './png.js';

const SUPPORTED = SUPPORTED_IMAGE_TYPES.join(', ');

export function unsupportedType(what: string): ApiError {
  return new ApiError(415, 'unsupported_media_type', `${what} is not supported. Send ${SUPPORTED} (raw body, multipart field "image" or a data URL), or JSON pixels.`);
}

const invalid = (message: string) => new ApiError(400, 'invalid_image', message);

function checkSize(size: ImageSize | undefined, format: ImageFormat): ImageSize {
  if (!size) throw invalid(`The ${format.toUpperCase()} header is missing or cut short.`);
  const { width, height } = size;
  if (width === 0 || height === 0) throw invalid(`The ${format.toUpperCase()} image is ${width}x${height} pixels: nothing to read.`);
  if (width > MAX_IMAGE_SIDE || height > MAX_IMAGE_SIDE || width * height > MAX_IMAGE_PIXELS) throw tooLarge(`The image is ${width}x${height} pixels`);
  return size;
}

function tooLarge(what: string): ApiError {
  return new ApiError(413, 'image_too_large', `${what}; the limit is ${MAX_IMAGE_SIDE} pixels a side and ${(MAX_IMAGE_PIXELS / 1e6).toFixed(1)} megapixels (2048x2048). Scale it down first.`);
}

function decodePngFile(bytes: Uint8Array): PixelImage {
  const { width, height } = checkSize(pngSize(bytes), 'png');
  return decodePng(bytes, width, height);
}

function decodeJpeg(bytes: Uint8Array): PixelImage {
  const { width, height } = checkSize(jpegSize(bytes), 'jpeg');
  if (!jpegIsComplete(bytes)) throw invalid('The JPEG file is truncated (no end-of-image marker).');
  let decoded: { width: number; height: number; data: Uint8Array };
  try {
    decoded = jpeg.decode(bytes, { useTArray: true, formatAsRGBA: true, maxResolutionInMP: MAX_IMAGE_PIXELS / 1e6, maxMemoryUsageInMB: JPEG_DECODER_MEMORY_MB });
  } catch (error) {
    // Within the pixel limit, an unusual layout (e.g. many progressive scans) can still need more memory.
    if (error instanceof Error && /maxMemoryUsageInMB|maxResolutionInMP/.test(error.message)) throw tooLarge(`The JPEG needs more memory to decode than the server allows`);
    throw error;
  }
  if (decoded.width !== width || decoded.height !== height) throw invalid('The JPEG file is corrupt.');
  return { width, height, data: decoded.data, channels: 4 };
}

/** Decodes PNG or JPEG bytes; throws ApiError (400, 413 or 415) for anything else. */
export function decodeImage(bytes: Uint8Array): PixelImage {
  const format = sniffFormat(bytes);
  if (format === undefined) throw invalid(`The file is not an image (or not one we recognise). Send ${SUPPORTED}.`);
  if (format !== 'png' && format !== 'jpeg') throw unsupportedType(`${format.toUpperCase()} (the file's format)`);
  try {
    return format === 'png' ? decodePngFile(bytes) : decodeJpeg(bytes);
  } catch (error) {
    if (error instanceof ApiError) throw error;
    // The decoders throw strings and plain errors on corrupt data; the details are not useful to clients.
    throw invalid(`The ${format.toUpperCase()} file is corrupt or truncated and could not be decoded.`);
  }
}
