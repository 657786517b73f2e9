/**
 * Reading an image, from its pixels to the result people see:
 *   prepare (the recognition core's preprocessing and segmentation: pixels -> 28x28 model inputs)
 *   -> classify (the Engine: on this device or by the server)
 *   -> interpret (the core again: digits, confidence, "not sure").
 * The one module that calls the core's pipeline (prepareDigits, interpret): the element's options
 * become the core's options here, and the core's results and errors become the element's here.
 */
import { interpret, type PixelImage, type PreparedDigits, prepareDigits, TooManyDigitsError } from '../../model/core/index.js';
import type { Engine, EngineConfig, RecognitionSource } from './engine.js';
import { RecognizerError } from './errors.js';
import type { DigitRecognizedDetail } from './events.js';
import { measureSince } from './timing.js';

/** What the element's attributes ask of a reading. */
export interface ReadingOptions {
  /** Read a whole number (true) or the whole image as one digit. */
  multiple: boolean;
  /** Digits less probable than this are marked "not sure". */
  confidenceThreshold: number;
}

/** What preparation needs of ReadingOptions: plain data. */
export type PreparationOptions = Pick<ReadingOptions, 'multiple'>;

export interface Reading {
  /** The result, as the `digit-recognized` event carries it. */
  detail: DigitRecognizedDetail;
  /** The 28x28 inputs the model saw, one per digit. */
  inputs: Float32Array[];
  /** Why the server read the digits instead of this device (auto mode), when it did. */
  fallbackReason: string | undefined;
}

export interface ReadingContext {
  engine: Engine;
  config: EngineConfig;
  /** Aborted when a newer reading replaces this one. */
  signal: AbortSignal;
  /** performance.now() when the reading started, for durationMs and the timing entries. Default: now. */
  startedAt?: number;
  /** Receives a progress line for the status region while the digits are classified. */
  onBusy(message: string): void;
}

/**
 * The core's preparation of one image: its digits as model inputs and their boxes. Throws a
 * RecognizerError ('too-many-digits') past the core's limit.
 */
export function prepare(image: PixelImage, options: PreparationOptions): PreparedDigits {
  try {
    return prepareDigits(image, { single: !options.multiple });
  } catch (error) {
    if (error instanceof TooManyDigitsError) {
      throw new RecognizerError('too-many-digits', `Found ${error.found} marks that look like digits; at most ${error.limit} can be read at once.`);
    }
    throw error;
  }
}

/**
 * Reads the digits in `image` (undefined: nothing drawn, which is "no digit"). Rejects with a
 * RecognizerError, or with the signal's reason once it is aborted.
 */
export async function read(image: PixelImage | undefined, options: ReadingOptions, context: ReadingContext): Promise<Reading> {
  const { engine, config, signal } = context;
  const started = context.startedAt ?? performance.now();
  const prepared: PreparedDigits = image ? prepare(image, options) : { inputs: [], boxes: [], reason: 'blank' };
  measureSince('prepare', started);
  let probabilities: number[][] = [];
  // A drawing with no digit in it needs no classifier: that answer is made here.
  let source: RecognitionSource = 'local';
  let fallbackReason: string | undefined;
  if (prepared.inputs.length > 0) {
    context.onBusy(engine.needsLoading(config) ? 'Loading the recognizer (first time only)…' : 'Reading the digits…');
    const classifyStart = performance.now();
    const classification = await engine.classify(prepared.inputs, config, signal);
    measureSince(`classify-${classification.source}`, classifyStart);
    probabilities = classification.probabilities;
    source = classification.source;
    fallbackReason = classification.fallbackReason;
  }
  signal.throwIfAborted();
  const result = interpret(probabilities, prepared.boxes, { confidenceThreshold: options.confidenceThreshold }, prepared.reason);
  return { detail: { ...result, source, durationMs: Math.round(performance.now() - started) }, inputs: prepared.inputs, fallbackReason };
}
