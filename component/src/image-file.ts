/**
 * Uploaded, dropped and pasted files: which ones are accepted, and decoding them into pixels with
 * the browser's own decoders (createImageBitmap), so nothing ships a JPEG or PNG decoder.
 */
import type { PixelImage } from '../../model/core/index.js';
import { RecognizerError } from './errors.js';

/** The original project's accept list plus WebP, GIF and BMP. */
export const ACCEPTED_EXTENSIONS = ['.png', '.jpg', '.jpeg', '.jfif', '.pjp', '.pjpeg', '.webp', '.gif', '.bmp'] as const;
export const ACCEPTED_TYPES = ['image/png', 'image/jpeg', 'image/pjpeg', 'image/webp', 'image/gif', 'image/bmp', 'image/x-ms-bmp'] as const;
/** The file picker's `accept` attribute. */
export const ACCEPT = [...ACCEPTED_EXTENSIONS, ...ACCEPTED_TYPES].join(',');

/** Photos from phones are a few MB; anything far larger is refused before decoding. */
export const MAX_FILE_BYTES = 20 * 1024 * 1024;
/** Decoded images are reduced to this longest side: recognition works at WORKING_SIZE, the preview needs no more. */
export const MAX_DECODED_SIDE = 1200;

export interface DecodedImage {
  /** The decoded pixels, on a canvas: shown on the stage, and read afresh for each reading (pixelsOf). */
  canvas: HTMLCanvasElement;
}

function extensionOf(name: string): string {
  const dot = name.lastIndexOf('.');
  return dot < 0 ? '' : name.slice(dot).toLowerCase();
}

/** Throws a RecognizerError unless `file` is one of the accepted image types of acceptable size. */
export function checkImageFile(file: Blob): void {
  const name = file instanceof File ? file.name : '';
  const type = file.type.toLowerCase();
  const accepted = type
    ? (ACCEPTED_TYPES as readonly string[]).includes(type)
    : (ACCEPTED_EXTENSIONS as readonly string[]).includes(extensionOf(name));
  if (!accepted) {
    const what = name ? `"${name}"` : 'This file';
    throw new RecognizerError('unsupported-file', `${what} is not a supported image. Use a PNG, JPEG, WebP, GIF or BMP picture.`);
  }
  if (file.size > MAX_FILE_BYTES) {
    const mb = (file.size / 1024 / 1024).toFixed(1);
    throw new RecognizerError('file-too-large', `The image is ${mb} MB; the limit is ${MAX_FILE_BYTES / 1024 / 1024} MB.`);
  }
}

/** Checks and decodes an image file; throws a RecognizerError with a message for people. */
export async function decodeImageFile(file: Blob): Promise<DecodedImage> {
  checkImageFile(file);
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(file);
  } catch (error) {
    throw new RecognizerError(
      'unreadable-image',
      'The file could not be read as an image: it may be damaged or not really a picture.',
      false,
      { cause: error },
    );
  }
  try {
    const scale = Math.min(1, MAX_DECODED_SIDE / Math.max(bitmap.width, bitmap.height));
    const width = Math.max(1, Math.round(bitmap.width * scale));
    const height = Math.max(1, Math.round(bitmap.height * scale));
    const canvas = document.createElement('canvas');
    canvas.width = width;
    canvas.height = height;
    const ctx = canvas.getContext('2d', { willReadFrequently: true });
    if (!ctx) throw new RecognizerError('unreadable-image', 'This browser could not create a canvas to read the image.');
    ctx.imageSmoothingQuality = 'high';
    ctx.drawImage(bitmap, 0, 0, width, height);
    return { canvas };
  } finally {
    bitmap.close();
  }
}

/**
 * A fresh copy of the image's pixels for one reading (alpha kept: the core composites it over
 * white). Fresh, because a reading hands its pixels over to the preparation worker.
 */
export function pixelsOf({ canvas }: DecodedImage): PixelImage {
  const ctx = canvas.getContext('2d', { willReadFrequently: true });
  if (!ctx) throw new RecognizerError('unreadable-image', 'This browser could not read the image back from its canvas.');
  const { data } = ctx.getImageData(0, 0, canvas.width, canvas.height);
  return { width: canvas.width, height: canvas.height, data, channels: 4 };
}
