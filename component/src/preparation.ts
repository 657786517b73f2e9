/**
 * Preparation, the first step of reading (reading.ts): the recognition core's preprocessing and
 * segmentation of one image into candidate digits (28x28 model inputs), their boxes and their
 * lattice, with the core's errors made the element's. It runs in the preparation worker
 * (preparation-worker.ts); where no worker can start, the element imports that same script and runs
 * it on the page's thread (preparation-thread.ts). The element's own script does not hold it: the
 * core's segmentation is most of the element's size, and most pages never need it on their thread.
 */
import {
  prepareDigits,
  prepareStrokes,
  TooManyDigitsError,
  TooManyMarksError,
  type PixelImage,
  type PixelStroke,
  type PreparedDigits,
} from '../../model/core/index.js';
import { RecognizerError } from './errors.js';

/** What preparation needs of the element's reading options: plain data, which can be posted to a worker. */
export interface PreparationOptions {
  /** Read a whole number (true) or the whole image as one digit. */
  multiple: boolean;
  /** The image is the pad's drawing (no printed lines to look for), not an uploaded picture. */
  drawing: boolean;
}

/**
 * What is read: an image's pixels (an upload, a form's box), or the pad's strokes in the pixels of
 * its export (the core's padRegion), in the order they were drawn. Strokes say more than their
 * pixels: each is a piece of one digit, so digits that touch or lean into each other come apart.
 */
export type PreparationSource = { kind: 'image'; image: PixelImage } | { kind: 'strokes'; strokes: PixelStroke[] };

/**
 * The core's preparation of one image or drawing: its candidate digits as model inputs, their boxes
 * and their lattice. Throws a RecognizerError ('too-many-digits', 'too-many-marks') past the core's limits.
 */
export function prepare(source: PreparationSource, options: PreparationOptions): PreparedDigits {
  try {
    if (source.kind === 'strokes') return prepareStrokes(source.strokes, { single: !options.multiple });
    return prepareDigits(source.image, { single: !options.multiple, lines: !options.drawing });
  } catch (error) {
    if (error instanceof TooManyDigitsError) {
      throw new RecognizerError(
        'too-many-digits',
        `Found ${error.found} marks that look like digits; at most ${error.limit} can be read at once.`,
      );
    }
    if (error instanceof TooManyMarksError) {
      throw new RecognizerError(
        'too-many-marks',
        `The picture holds ${error.found} separate marks (a texture, a page of text?); a number has at most ${error.limit}.`,
      );
    }
    throw error;
  }
}
