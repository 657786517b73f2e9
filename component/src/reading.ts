/**
 * Reading an image, from its pixels to the result people see:
 *   prepare (the recognition core's preprocessing and segmentation: pixels -> candidate digits,
 *   28x28 model inputs, and the lattice saying how they fit together)
 *   -> classify and interpret (the Engine: the model on this device, then the core's reader; or the
 *   server, which reads the same candidates the same way).
 * With preparation.ts (the preparation, run where preparation-thread.ts says), the one module that
 * calls the core's pipeline: the element's options become the core's options here, and the core's
 * results become the element's here.
 */
import {
  readPrepared,
  type Box,
  type InterpretOptions,
  type Lattice,
  type PixelImage,
  type PreparedDigits,
  type RecognitionResult,
} from '../../model/core/index.js';
import type { Engine, EngineConfig, RecognitionSource } from './engine.js';
import type { DigitRecognizedDetail } from './events.js';
import type { PreparationOptions, PreparationSource } from './preparation.js';
import { measureSince } from './timing.js';

/** What the element's attributes ask of a reading. */
export interface ReadingOptions {
  /** Read a whole number (true) or the whole image as one digit. */
  multiple: boolean;
  /** The image is the pad's drawing (no printed lines to look for), not an uploaded picture. */
  drawing: boolean;
  /** Digits less probable than this are marked "not sure". */
  confidenceThreshold: number;
  /** How many digits are expected (`length`, `minlength`, `maxlength`): readings with an allowed count are preferred. */
  minDigits?: number | undefined;
  maxDigits?: number | undefined;
}

/** A prepared image, and which thread prepared it. */
export interface Preparation {
  digits: PreparedDigits;
  thread: 'worker' | 'main';
}

/** Runs the core's preparation (preparation.ts) somewhere: preparation-thread.ts, in a Web Worker where it can. */
export interface Preparer {
  /** Rejects with the signal's reason once it is aborted; an image's pixel buffer may be transferred away. */
  prepare(source: PreparationSource, options: PreparationOptions, signal: AbortSignal): Promise<Preparation>;
}

export interface Reading {
  /** The result, as the `digit-recognized` event carries it. */
  detail: DigitRecognizedDetail;
  /** The 28x28 inputs the model saw, one per candidate (a digit segment's `input` indexes them). */
  inputs: Float32Array[];
  /** Why the server read the digits instead of this device (auto mode), when it did. */
  fallbackReason: string | undefined;
}

export interface ReadingContext {
  engine: Engine;
  config: EngineConfig;
  /** Aborted when a newer reading replaces this one. */
  signal: AbortSignal;
  /** Where the image is prepared (the core's segmentation is not in the element's own script: preparation-thread.ts). */
  preparer: Preparer;
  /** performance.now() when the reading started, for durationMs and the timing entries. Default: now. */
  startedAt?: number;
  /** Receives a progress line for the status region while the image is prepared and the digits are classified. */
  onBusy(message: string): void;
}

/**
 * Reads the digits in an image or drawing (undefined: nothing drawn, which is "no digit"). Rejects
 * with a RecognizerError, or with the signal's reason once it is aborted. An image's pixel buffer
 * may be transferred to a worker: the caller gives it up.
 */
export async function read(source: PreparationSource | undefined, options: ReadingOptions, context: ReadingContext): Promise<Reading> {
  const { signal } = context;
  const started = context.startedAt ?? performance.now();
  let prepared: PreparedDigits = { inputs: [], boxes: [], reason: 'blank' };
  if (source) {
    context.onBusy('Reading the digits…');
    const preparation = await context.preparer.prepare(source, { multiple: options.multiple, drawing: options.drawing }, signal);
    signal.throwIfAborted();
    prepared = preparation.digits;
    // Which thread prepared it, for DevTools and the tests.
    measureSince('prepare', started, { thread: preparation.thread });
  } else {
    measureSince('prepare', started);
  }
  return classifyAndRead(prepared, options, context, started);
}

/** One box of a form (`cells`): its drawing, if any, and where it is (its CSS pixels in the row of boxes). */
export interface CellImage {
  image: PixelImage | undefined;
  box: Box;
}

/**
 * Reads a row of boxes, each as exactly one digit (an empty box is an empty place): each box's
 * drawing is prepared as one digit on its own, then every box is classified in ONE batch and read
 * through the core's lattice of cells, so a box is never split in two or merged with its neighbour.
 */
export async function readCells(cells: readonly CellImage[], options: ReadingOptions, context: ReadingContext): Promise<Reading> {
  const { signal } = context;
  const started = context.startedAt ?? performance.now();
  const { preparer } = context;
  if (cells.some((cell) => cell.image)) context.onBusy('Reading the digits…');
  // Small images (one digit each): prepared side by side in the one worker.
  const preparations = await Promise.all(
    cells.map((cell) =>
      cell.image
        ? preparer.prepare({ kind: 'image', image: cell.image }, { multiple: false, drawing: true }, signal)
        : Promise.resolve(undefined),
    ),
  );
  signal.throwIfAborted();
  const inputs: Float32Array[] = [];
  const boxes: Box[] = [];
  const lattice: Lattice = {
    pieces: 0,
    spans: [],
    separators: [],
    cells: [],
    lineHeight: Math.max(1, ...cells.map((cell) => cell.box.height)),
  };
  cells.forEach((cell, i) => {
    const input = preparations[i]?.digits.inputs[0];
    // A box with nothing digit-like in it (a stray dot) is an empty box.
    if (!input) return lattice.cells!.push({ box: cell.box, input: null });
    lattice.cells!.push({ box: cell.box, input: inputs.length });
    lattice.spans.push([inputs.length, inputs.length + 1]);
    inputs.push(input);
    // The box of the form, not of the ink: the digit is in its box.
    boxes.push(cell.box);
  });
  lattice.pieces = inputs.length;
  const thread = preparations.find((p) => p)?.thread;
  measureSince('prepare', started, thread ? { thread } : undefined);
  const prepared: PreparedDigits = inputs.length ? { inputs, boxes, lattice } : { inputs, boxes, reason: 'blank' };
  const reading = await classifyAndRead(prepared, options, context, started);
  // The core reads every box, whatever the count: whether the count fits is the element's to say.
  const { minDigits, maxDigits } = options;
  if (minDigits !== undefined || maxDigits !== undefined) {
    const count = reading.detail.digits.length;
    reading.detail.countFits = count >= (minDigits ?? 0) && count <= (maxDigits ?? Infinity);
  }
  return reading;
}

/** Classifies prepared candidates (on the device or the server) and reads them with the element's options. */
async function classifyAndRead(
  prepared: PreparedDigits,
  options: ReadingOptions,
  context: ReadingContext,
  started: number,
): Promise<Reading> {
  const { engine, config, signal } = context;
  const reading: InterpretOptions = {
    confidenceThreshold: options.confidenceThreshold,
    ...(options.multiple && options.minDigits !== undefined ? { minDigits: options.minDigits } : {}),
    ...(options.multiple && options.maxDigits !== undefined ? { maxDigits: options.maxDigits } : {}),
  };
  let result: RecognitionResult;
  let source: RecognitionSource = 'local';
  let fallbackReason: string | undefined;
  if (prepared.inputs.length === 0) {
    // A drawing with no digit in it needs no classifier: that answer is made here.
    result = readPrepared(prepared, [], reading);
  } else {
    context.onBusy(engine.needsLoading(config) ? 'Loading the recognizer (first time only)…' : 'Reading the digits…');
    const classifyStart = performance.now();
    const classification = await engine.classify(prepared, reading, config, signal);
    measureSince(`classify-${classification.source}`, classifyStart);
    result = classification.result;
    source = classification.source;
    fallbackReason = classification.fallbackReason;
  }
  signal.throwIfAborted();
  return { detail: { ...result, source, durationMs: Math.round(performance.now() - started) }, inputs: prepared.inputs, fallbackReason };
}
