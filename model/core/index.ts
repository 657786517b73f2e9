/**
 * The recognition core's front door: everything the worker and the element use from model/core,
 * and nothing else. It ships to browsers and to Workers, so nothing here imports Node, the DOM,
 * tfjs-node or training code (model/test/architecture.test.ts checks it).
 */
export * from './constants.js';
export type * from './types.js';
export type * from './api.js';
export { TooManyDigitsError, TooManyMarksError } from './errors.js';
export { toInkMap, toGrey, shrinkRgba } from './ink-map.js';
export { normalizeDigit } from './normalize.js';
export { TfjsClassifier, type Classifier, type Tfjs } from './classifier.js';
export { digitSegments, type InterpretOptions, type Lattice } from './interpret.js';
export { prepareDigits, readPrepared, classifyPrepared, recognize, type PreparedDigits, type RecognizeOptions } from './recognize.js';
export { inkToImage, paintStrokes, renderStrokes, type PixelStroke } from './rasterize.js';
export { prepareStrokes } from './strokes.js';
export { padRegion, type PadRegion, type PadStroke } from './pad.js';
