/**
 * Uploaded bytes to RGBA pixels for the recognition core. The format comes from the magic bytes and
 * the size from the header; both are checked before the decoder allocates anything.
 * PNG: the Rust png crate in WebAssembly, after checks and an inflate of our own (png.ts). JPEG:
 * MozJPEG in WebAssembly, jpeg-js for CMYK (jpeg.ts), after checks that the file is complete and has
 * a sane number of scans. WebP: libwebp in WebAssembly (webp.ts), still images only.
 */
import type { PixelImage } from '../../../model/core/index.js';
import { ApiError } from '../errors.js';
import {
  LARGE_JPEG_SIDE,
  MAX_CMYK_JPEG_PIXELS,
  MAX_IMAGE_PIXELS,
  MAX_IMAGE_SIDE,
  MAX_JPEG_PIXELS,
  MAX_JPEG_SCANS,
  SUPPORTED_IMAGE_TYPES,
} from '../limits.js';
import {
  exifOrientation,
  jpegFrame,
  jpegLayout,
  pngSize,
  sniffFormat,
  unsupportedFormat,
  webpInfo,
  type ImageFormat,
  type ImageSize,
} from './header.js';
import { decodeCmykJpegPixels, decodeJpegPixels } from './jpeg.js';
import { decodeJpegScaled } from './scaled-jpeg.js';
import { decodePng } from './png.js';
import { decodeWebpPixels } from './webp.js';

const SUPPORTED = SUPPORTED_IMAGE_TYPES.join(', ');

export function unsupportedType(what: string): ApiError {
  return new ApiError(
    415,
    'unsupported_media_type',
    `${what} is not supported. Send ${SUPPORTED} (raw body, multipart field "image" or a data URL), or JSON pixels.`,
  );
}

const invalid = (message: string) => new ApiError(400, 'invalid_image', message);

function checkSize(size: ImageSize | undefined, format: ImageFormat, maxPixels = MAX_IMAGE_PIXELS): ImageSize {
  if (!size) throw invalid(`The ${format.toUpperCase()} header is missing or cut short.`);
  const { width, height } = size;
  if (width === 0 || height === 0) throw invalid(`The ${format.toUpperCase()} image is ${width}x${height} pixels: nothing to read.`);
  if (width > MAX_IMAGE_SIDE || height > MAX_IMAGE_SIDE || width * height > maxPixels)
    throw tooLarge(`The image is ${width}x${height} pixels`, format, maxPixels);
  return size;
}

function tooLarge(what: string, format: ImageFormat, maxPixels: number): ApiError {
  const jpegNote = format === 'jpeg' ? '' : ` (JPEG photos up to ${MAX_JPEG_PIXELS / 1e6} megapixels are read)`;
  return new ApiError(
    413,
    'image_too_large',
    `${what}; the limit for ${format.toUpperCase()} is ${MAX_IMAGE_SIDE} pixels a side and ${(maxPixels / 1e6).toFixed(1)} megapixels${jpegNote}. Scale it down first.`,
  );
}

function decodePngFile(bytes: Uint8Array): Promise<PixelImage> {
  const { width, height } = checkSize(pngSize(bytes), 'png');
  return decodePng(bytes, width, height);
}

async function decodeJpeg(bytes: Uint8Array): Promise<PixelImage> {
  const frame = jpegFrame(bytes);
  const { width, height } = checkSize(frame, 'jpeg', MAX_JPEG_PIXELS);
  const cmyk = frame!.components === 4;
  if (cmyk && width * height > MAX_CMYK_JPEG_PIXELS) {
    throw new ApiError(
      413,
      'image_too_large',
      `The image is a CMYK JPEG of ${width}x${height} pixels; CMYK JPEGs are read up to ${(MAX_CMYK_JPEG_PIXELS / 1e6).toFixed(1)} megapixels (1024x1024). Save it as RGB or scale it down first.`,
    );
  }
  const { scans, end } = jpegLayout(bytes);
  if (end === undefined) throw invalid('The JPEG file is truncated (no end-of-image marker).');
  if (scans > MAX_JPEG_SCANS)
    throw invalid(`The JPEG file has ${scans} scans; at most ${MAX_JPEG_SCANS} are decoded (a progressive JPEG has about ten).`);
  // Whatever follows the end of the image (a motion photo's video, padding) is not decoded.
  const image = bytes.subarray(0, end);
  if (!cmyk && width * height > MAX_IMAGE_PIXELS) {
    // A large photo: decoded at a reduced scale, never at full size.
    const decoded = decodeJpegScaled(image, width, height, LARGE_JPEG_SIDE, exifOrientation(bytes));
    return { width: decoded.width, height: decoded.height, data: decoded.data, channels: 4 };
  }
  const decoded = cmyk ? decodeCmykJpegPixels(image) : await decodeJpegPixels(image);
  // Upright: an EXIF orientation of 5-8 swaps the sides.
  const sameSize = decoded.width === width && decoded.height === height;
  const turned = decoded.width === height && decoded.height === width;
  if ((!sameSize && !turned) || decoded.data.length < decoded.width * decoded.height * 4) throw invalid('The JPEG file is corrupt.');
  return { width: decoded.width, height: decoded.height, data: decoded.data, channels: 4 };
}

async function decodeWebp(bytes: Uint8Array): Promise<PixelImage> {
  const info = webpInfo(bytes);
  const { width, height } = checkSize(info, 'webp');
  if (info!.animated) throw invalid('The WebP file is an animation; send a still picture.');
  const decoded = await decodeWebpPixels(bytes);
  if (decoded.width !== width || decoded.height !== height || decoded.data.length < width * height * 4)
    throw invalid('The WebP file is corrupt.');
  return { width, height, data: decoded.data, channels: 4 };
}

/**
 * Decodes PNG, JPEG or WebP bytes; throws ApiError (400, 413 or 415) for anything else. The format
 * comes from the magic bytes; the type the client declared (Content-Type, the form file's type, the
 * data URL's) only names a format we do not decode when the bytes name none (a gzipped SVG).
 */
export async function decodeImage(bytes: Uint8Array, declaredType?: string): Promise<PixelImage> {
  return (await decodeUpload(bytes, declaredType)).image;
}

/**
 * Decodes an upload and says how many of the file's pixels each decoded pixel stands for (more than
 * 1 for a large JPEG decoded at a reduced scale), so boxes can be given in the file's pixels.
 */
export async function decodeUpload(bytes: Uint8Array, declaredType?: string): Promise<{ image: PixelImage; scale: number }> {
  const image = await decodeAnyFormat(bytes, declaredType);
  const size = jpegFrame(bytes);
  const stored = size ? Math.max(size.width, size.height) : Math.max(image.width, image.height);
  return { image, scale: stored / Math.max(image.width, image.height) };
}

async function decodeAnyFormat(bytes: Uint8Array, declaredType?: string): Promise<PixelImage> {
  const format = sniffFormat(bytes) ?? unsupportedFormat(declaredType ?? '');
  if (format === undefined) throw invalid(`The file is not an image (or not one we recognise). Send ${SUPPORTED}.`);
  if (format !== 'png' && format !== 'jpeg' && format !== 'webp') throw unsupportedType(`${format.toUpperCase()} (the file's format)`);
  try {
    if (format === 'png') return await decodePngFile(bytes);
    return format === 'jpeg' ? await decodeJpeg(bytes) : await decodeWebp(bytes);
  } catch (error) {
    if (error instanceof ApiError) throw error;
    // The decoders throw strings and plain errors on corrupt data; the details are not useful to clients.
    throw invalid(`The ${format.toUpperCase()} file is corrupt or truncated and could not be decoded.`);
  }
}
