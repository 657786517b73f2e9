/**
 * The messages between the element (preparation-thread.ts) and its preparation worker
 * (preparation-worker.ts). Plain data: images and model inputs travel as transferred buffers.
 */
import type { PreparedDigits } from '../../model/core/index.js';
import type { RecognizerErrorCode } from './errors.js';
import type { PreparationOptions, PreparationSource } from './preparation.js';

/** Element -> worker: prepare this image or drawing. An image's pixel buffer is transferred: the sender gives it up. */
export interface PrepareRequest {
  id: number;
  source: PreparationSource;
  options: PreparationOptions;
}

/** What to transfer with a request: an image's pixels (strokes are small, and copied). */
export function transferOf(source: PreparationSource): ArrayBuffer[] {
  return source.kind === 'image' ? [source.image.data.buffer as ArrayBuffer] : [];
}

/** What went wrong in the worker: a RecognizerError keeps its code; anything else is a message. */
export interface PreparationFailure {
  code?: RecognizerErrorCode;
  message: string;
  retryable?: boolean;
}

/** Worker -> element. `ready` once, when the worker's script has run; then one answer per request. */
export type WorkerMessage =
  | { type: 'ready' }
  | { type: 'prepared'; id: number; digits: PreparedDigits }
  | { type: 'failed'; id: number; failure: PreparationFailure };

/** The buffers to transfer with `inputs` (each once, as postMessage requires). */
export function buffersOf(inputs: readonly Float32Array[]): ArrayBuffer[] {
  return [...new Set(inputs.map((input) => input.buffer as ArrayBuffer))];
}
