/**
 * Parser for the IDX format MNIST ships in (http://yann.lecun.com/exdb/mnist/, "FILE FORMATS").
 * Pure: takes bytes, returns a typed view. Gunzipping is the caller's job so this runs anywhere.
 */
import { DIGIT_PIXELS, DIGIT_SIDE } from '../../core/index.js';

export interface IdxArray {
  /** Dimension sizes, e.g. [60000, 28, 28] for an image file, [60000] for labels. */
  readonly shape: readonly number[];
  /** The values, row-major. MNIST files are unsigned bytes. */
  readonly data: Uint8Array;
}

export class IdxFormatError extends Error {
  override name = 'IdxFormatError';
}

const UNSIGNED_BYTE = 0x08;

/** Parses an IDX file of unsigned bytes (type 0x08), validating the header against the payload. */
export function parseIdx(bytes: Uint8Array, source = 'IDX data'): IdxArray {
  if (bytes.length < 4) throw new IdxFormatError(`${source}: ${bytes.length} bytes is too short for an IDX header`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (view.getUint16(0) !== 0) {
    throw new IdxFormatError(
      `${source}: bad magic number 0x${view.getUint32(0).toString(16).padStart(8, '0')} (an IDX file starts with two zero bytes)`,
    );
  }
  const type = bytes[2]!;
  const rank = bytes[3]!;
  if (type !== UNSIGNED_BYTE) {
    throw new IdxFormatError(`${source}: element type 0x${type.toString(16)} is not supported (only unsigned bytes, 0x08)`);
  }
  if (rank < 1 || rank > 4) throw new IdxFormatError(`${source}: rank ${rank} is not between 1 and 4`);
  const headerLength = 4 + 4 * rank;
  if (bytes.length < headerLength) throw new IdxFormatError(`${source}: truncated header (${bytes.length} of ${headerLength} bytes)`);
  const shape: number[] = [];
  for (let i = 0; i < rank; i++) shape.push(view.getUint32(4 + 4 * i));
  const count = shape.reduce((a, b) => a * b, 1);
  const available = bytes.length - headerLength;
  if (available < count) {
    throw new IdxFormatError(`${source}: truncated data: header declares ${shape.join('x')} = ${count} values, file holds ${available}`);
  }
  if (available > count) {
    throw new IdxFormatError(`${source}: ${available - count} unexpected bytes after the ${count} declared values`);
  }
  return { shape, data: bytes.subarray(headerLength, headerLength + count) };
}

/** A labelled set of 28x28 greyscale digits (0 = background, 255 = ink), as MNIST stores them. */
export interface DigitSet {
  readonly count: number;
  /** count x DIGIT_PIXELS bytes. */
  readonly images: Uint8Array;
  readonly labels: Uint8Array;
}

/** Pairs an image file with a label file, checking that they agree. */
export function toDigitSet(images: IdxArray, labels: IdxArray, source = 'MNIST'): DigitSet {
  if (images.shape.length !== 3 || images.shape[1] !== DIGIT_SIDE || images.shape[2] !== DIGIT_SIDE) {
    throw new IdxFormatError(`${source}: images have shape ${images.shape.join('x')}, expected Nx28x28`);
  }
  if (labels.shape.length !== 1) throw new IdxFormatError(`${source}: labels have shape ${labels.shape.join('x')}, expected N`);
  if (images.shape[0] !== labels.shape[0]) {
    throw new IdxFormatError(`${source}: ${images.shape[0]} images but ${labels.shape[0]} labels`);
  }
  for (const label of labels.data) {
    if (label > 9) throw new IdxFormatError(`${source}: label ${label} is not a digit`);
  }
  return { count: labels.shape[0]!, images: images.data, labels: labels.data };
}

/** A contiguous slice [start, end) of a set, sharing memory. */
export function sliceDigitSet(set: DigitSet, start: number, end: number): DigitSet {
  const from = Math.max(0, start);
  const to = Math.min(set.count, end);
  return {
    count: Math.max(0, to - from),
    images: set.images.subarray(from * DIGIT_PIXELS, to * DIGIT_PIXELS),
    labels: set.labels.subarray(from, to),
  };
}
