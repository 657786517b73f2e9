/**
 * Reads a POST /predict request into one of two inputs, by Content-Type:
 * - an image (multipart field "image", a raw image body, or a JSON data URL) as bytes to decode;
 * - already preprocessed digits (JSON "pixels").
 * Used as validator middleware: the handler gets `c.var.input` or the client gets a JSON error.
 */
import { createMiddleware } from 'hono/factory';
import type { PreparedDigits } from '../../../model/core/index.js';
import { decodeDataUrl } from './data-url.js';
import type { Bindings } from '../env.js';
import { ApiError, shorten } from '../errors.js';
import { unsupportedType } from '../images/decode.js';
import { unsupportedFormat } from '../images/header.js';
import { parsePixels, type ReadingOptions } from './pixels.js';

export type PredictInput =
  /** `type`: what the client said the file is (Content-Type, the form file's type, the data URL's). */
  { kind: 'image'; bytes: Uint8Array; type: string } | { kind: 'pixels'; prepared: PreparedDigits; options: ReadingOptions };

/** Raw bodies sent as these types are sniffed by their magic bytes (a wrong subtype is tolerated). */
const RAW_IMAGE_TYPE = /^(image\/[\w.+-]+|application\/octet-stream)$/;

const emptyBody = () => new ApiError(400, 'empty_body', 'The request body is empty: send an image or JSON pixels.');

async function fromMultipart(request: Request): Promise<PredictInput> {
  let form: FormData;
  try {
    form = await request.formData();
  } catch {
    throw new ApiError(400, 'invalid_multipart', 'The multipart/form-data body is malformed (check the boundary and the parts).');
  }
  const file: unknown = form.get('image');
  if (file === null) throw new ApiError(400, 'missing_image', 'No field "image" in the form: send the file as field "image".');
  if (!(file instanceof Blob)) throw new ApiError(400, 'missing_image', 'The form field "image" must be a file, not text.');
  if (file.size === 0) throw new ApiError(400, 'empty_image', 'The uploaded file "image" is empty.');
  return { kind: 'image', bytes: new Uint8Array(await file.arrayBuffer()), type: file.type.toLowerCase() };
}

async function fromJson(request: Request): Promise<PredictInput> {
  const text = await request.text();
  if (text.trim() === '') throw emptyBody();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new ApiError(400, 'invalid_json', 'The body is not valid JSON (NaN and Infinity are not JSON).');
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new ApiError(
      400,
      'invalid_request',
      'The JSON body must be an object: {"pixels": [...]} or {"image": "data:image/png;base64,..."}.',
    );
  }
  const fields = body as Record<string, unknown>;
  const hasPixels = 'pixels' in fields;
  const hasImage = 'image' in fields;
  if (hasPixels === hasImage) {
    throw new ApiError(
      400,
      hasPixels ? 'invalid_request' : 'missing_image',
      'Send exactly one of "pixels" (preprocessed 28x28 digits) or "image" (a data URL).',
    );
  }
  if (hasPixels) return { kind: 'pixels', ...parsePixels(fields.pixels, fields.boxes, fields.lattice, fields.options) };
  return { kind: 'image', ...decodeDataUrl(fields.image) };
}

export async function readPredictInput(request: Request): Promise<PredictInput> {
  const contentType = (request.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  if (contentType === 'multipart/form-data') return fromMultipart(request);
  if (contentType === 'application/json' || contentType.endsWith('+json')) return fromJson(request);
  const bytes = new Uint8Array(await request.arrayBuffer());
  if (bytes.length === 0) throw emptyBody();
  if (!RAW_IMAGE_TYPE.test(contentType)) {
    const known = unsupportedFormat(contentType);
    throw unsupportedType(
      known
        ? `${known.toUpperCase()} (the Content-Type)`
        : contentType
          ? `Content-Type ${shorten(contentType)}`
          : 'A body without Content-Type',
    );
  }
  return { kind: 'image', bytes, type: contentType };
}

export const predictInput = createMiddleware<{ Bindings: Bindings; Variables: { input: PredictInput } }>(async (c, next) => {
  c.set('input', await readPredictInput(c.req.raw));
  await next();
});
