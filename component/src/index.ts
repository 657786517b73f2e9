/**
 * Entry point: defines <digit-recognizer> and exports its types.
 * `<script type="module" src=".../digit-recognizer.js">` is all a page needs.
 */
import { DigitRecognizer } from './digit-recognizer.js';

export { DigitRecognizer };
export { RecognizerError, type RecognizerErrorCode } from './errors.js';
export type { RecognizerMode, RecognitionSource } from './engine.js';
export type {
  DigitRecognizedDetail,
  DigitErrorDetail,
  DigitClearDetail,
  DigitCorrectedDetail,
  DigitRecognizedEvent,
  DigitErrorEvent,
  DigitClearEvent,
  DigitCorrectedEvent,
} from './events.js';
export type { PointerKind } from './pointer-policy.js';
export type { RecognitionResult, DigitSegment, ReadSegment, SeparatorSegment, EmptySegment, Box } from '../../model/core/index.js';
export { ACCEPT } from './image-file.js';

// Defining twice (two copies of the script on one page) would throw; the first one wins.
if (!customElements.get('digit-recognizer')) customElements.define('digit-recognizer', DigitRecognizer);
