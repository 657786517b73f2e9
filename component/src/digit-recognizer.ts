import { LitElement, html, nothing, type ComplexAttributeConverter, type PropertyValues } from 'lit';
import { CONFIDENCE_THRESHOLD, digitSegments, MAX_DIGITS } from '../../model/core/index.js';
import { CellPads } from './cell-pads.js';
import { correct } from './corrections.js';
import { DrawingPad } from './drawing-pad.js';
import { Engine, type EngineConfig, type RecognizerMode } from './engine.js';
import { RecognizerError } from './errors.js';
import type { DigitRecognizedDetail, DigitRecognizerEventMap } from './events.js';
import { checkCount, describeExpected, expectedLength, type ExpectedLength } from './expected-length.js';
import { FileDropController } from './file-drop.js';
import { ACCEPT, decodeImageFile, type DecodedImage, pixelsOf } from './image-file.js';
import { DEFAULT_MODEL_PATH } from './model-location.js';
import { parsePointerTypes, PointerPolicy, type PointerKind } from './pointer-policy.js';
import type { PreparationSource } from './preparation.js';
import { PreparationThread } from './preparation-thread.js';
import { read, readCells, type Reading, type ReadingOptions } from './reading.js';
import { resultTemplate, summarize } from './result-view.js';
import { paintModelInputs, type Placement, StagePainter } from './stage.js';
import { strokesForReading } from './strokes.js';
import { styles } from './styles.js';

/** `multiple` is on unless the attribute says "false" (a boolean attribute cannot default to true). */
const onUnlessFalse: ComplexAttributeConverter<boolean> = {
  fromAttribute: (value) => value !== 'false',
  toAttribute: (value) => (value ? null : 'false'),
};

/** A number attribute that is not a number ("abc", "") falls back to the default instead of breaking timers and thresholds. */
function finite(value: number, fallback: number): number {
  return Number.isFinite(value) ? value : fallback;
}

/** A whole number in [0, max], or 0 (a box count that is not one turns the boxes off). */
function boxCount(value: number, max: number): number {
  return Number.isInteger(value) && value > 0 ? Math.min(value, max) : 0;
}

/** "pen, touch and mouse" */
function listOf(words: string[]): string {
  return words.length > 1 ? `${words.slice(0, -1).join(', ')} and ${words.at(-1)}` : (words[0] ?? '');
}

const POINTER_WORDS: Record<PointerKind, string> = { mouse: 'mouse', touch: 'finger', pen: 'pen' };

/** Next to the script by default: the worker serves the script, the model and /predict from one origin. */
function besideScript(path: string): string {
  return new URL(path, import.meta.url).href;
}

/** The result on show, with what is needed to paint it over the image. */
interface Shown extends Reading {
  placement: Placement | undefined;
}

/**
 * `<digit-recognizer>`: draw or upload a handwritten number and read its digits.
 *
 * @summary A drawing pad and image drop zone that reads handwritten digits, with TensorFlow.js on
 * the device (WebGL) or, when that is not possible, through the server at `endpoint`. A form field:
 * an expected number of digits (`length`, `minlength`, `maxlength`), boxes to write one digit in
 * each (`cells`), corrections of each digit read, pen-only input with palm rejection (`pointer-types`).
 *
 * @event {CustomEvent<DigitRecognizedDetail>} digit-recognized - Digits were read after a user action
 *   (stopping drawing with `auto-predict` on, Predict, Retry, Enter, uploading, dropping or pasting an image).
 *   `detail` is the RecognitionResult plus `source` ("local" | "remote") and `durationMs`.
 * @event {CustomEvent<DigitErrorDetail>} digit-error - A user action failed (bad file, server unreachable,
 *   timeout...). `detail` is `{ code, message }`; the message is also shown in the element.
 * @event {CustomEvent<DigitClearDetail>} digit-clear - The user cleared the drawing or image, or a box (Clear, Clear box, Delete or Backspace).
 * @event {CustomEvent<DigitCorrectedDetail>} digit-corrected - The user chose another reading for a digit, or typed it.
 *   `detail` is `{ index, from, to, result }`: the digit's position in `value`, the digit before and after, and the
 *   whole result after the correction.
 *
 * Methods never fire these events: `recognize()` returns its result (or rejects with the error) instead.
 *
 * @slot instructions - Replaces the default usage instructions.
 *
 * @csspart base - The wrapper around everything.
 * @csspart instructions - The usage instructions.
 * @csspart stage - The drawing area (also shows an uploaded image).
 * @csspart canvas - The canvas with the ink or the image.
 * @csspart cells - The row of boxes, with `cells`.
 * @csspart cell - One box, with `cells` (the current one also has `current-cell`).
 * @csspart current-cell - The box being written in, or focused.
 * @csspart cell-canvas - The canvas of one box.
 * @csspart controls - The row of buttons.
 * @csspart button - Every button.
 * @csspart predict-button - The Predict button.
 * @csspart undo-button - The Undo button.
 * @csspart clear-button - The Clear button.
 * @csspart clear-cell-button - The Clear box button, with `cells`.
 * @csspart upload-button - The Upload image button.
 * @csspart status - The progress line, also the live region announcing results.
 * @csspart error - The error message box.
 * @csspart retry-button - The Retry button in the error box.
 * @csspart result - The result section.
 * @csspart digits - The recognized digits.
 * @csspart digit - One recognized digit: a button that opens its alternatives.
 * @csspart alternatives - The open digit's alternatives and the field to type it.
 * @csspart alternative - One alternative: a digit and its probability.
 * @csspart type-digit - The field to type the digit.
 * @csspart count - Says that the number of digits does not fit `length`, `minlength` or `maxlength`.
 * @csspart confidence - How sure the model is of the whole number.
 * @csspart source - Where the digits were read and how long it took.
 * @csspart segments - The list of digits with their details.
 * @csspart segment - One digit: its model input, value, confidence and bars.
 * @csspart segment-input - The 28x28 picture the model saw for a digit.
 * @csspart bars - The probability bars of one digit.
 *
 * @cssproperty --digit-recognizer-text - Text colour.
 * @cssproperty --digit-recognizer-muted - Secondary text colour.
 * @cssproperty --digit-recognizer-paper - Background of the drawing area and buttons.
 * @cssproperty --digit-recognizer-ink - Colour of the drawn ink (recognition does not depend on it).
 * @cssproperty --digit-recognizer-accent - Primary button and probability bar colour.
 * @cssproperty --digit-recognizer-accent-text - Text on the accent colour.
 * @cssproperty --digit-recognizer-border - Border colour of the drawing area, buttons and digits.
 * @cssproperty --digit-recognizer-track - Background of the probability bars.
 * @cssproperty --digit-recognizer-warning - Colour of "not sure" marks.
 * @cssproperty --digit-recognizer-error - Colour of error messages.
 * @cssproperty --digit-recognizer-focus-ring - Focus outline colour.
 * @cssproperty --digit-recognizer-radius - Corner radius.
 * @cssproperty --digit-recognizer-aspect-ratio - Shape of the drawing area (2 / 1; 1 / 1 when `multiple="false"`).
 */
export class DigitRecognizer extends LitElement {
  static override styles = styles;
  static formAssociated = true;

  static override properties = {
    endpoint: { type: String },
    modelUrl: { type: String, attribute: 'model-url' },
    mode: { type: String, reflect: true },
    multiple: { converter: onUnlessFalse, reflect: true },
    strokeWidth: { type: Number, attribute: 'stroke-width' },
    autoPredict: { type: Number, attribute: 'auto-predict' },
    confidenceThreshold: { type: Number, attribute: 'confidence-threshold' },
    timeout: { type: Number },
    apiKey: { type: String, attribute: 'api-key' },
    name: { type: String, reflect: true },
    required: { type: Boolean, reflect: true },
    label: { type: String },
    hideInstructions: { type: Boolean, attribute: 'hide-instructions', reflect: true },
    length: { type: Number },
    minLength: { type: Number, attribute: 'minlength' },
    maxLength: { type: Number, attribute: 'maxlength' },
    cells: { type: Number, reflect: true },
    pointerTypes: { type: String, attribute: 'pointer-types' },
    _hasInk: { state: true },
    _open: { state: true },
    _announcement: { state: true },
    _currentCell: { state: true },
    _penNear: { state: true },
    _image: { state: true },
    _shown: { state: true },
    _error: { state: true },
    _busy: { state: true },
  };

  /** URL of the prediction API, used when reading on the device is not possible or `mode="remote"`. Default: `./predict` next to the script. */
  declare endpoint: string;
  /** URL of the tfjs model.json. Default: the model built beside the script (`./model/model-<hash>.json`). */
  declare modelUrl: string;
  /** `auto`: on the device when WebGL works, else the server. `local`: device only. `remote`: server only. */
  declare mode: RecognizerMode;
  /** Read a whole number (true, default) or exactly one digit (`multiple="false"`). */
  declare multiple: boolean;
  /** Ink width in CSS pixels for new strokes. */
  declare strokeWidth: number;
  /** Milliseconds after the last stroke before the drawing is read; 0 turns automatic reading off (uploads then wait for Predict too). */
  declare autoPredict: number;
  /** Digits whose probability is below this are marked "not sure" (0..1, default CONFIDENCE_THRESHOLD, 0.7). */
  declare confidenceThreshold: number;
  /** Milliseconds before a server request or a model download is given up. */
  declare timeout: number;
  /** Sent to the server as `Authorization: Bearer <api-key>` when set. */
  declare apiKey: string;
  /** Form field name: the recognized digits are submitted under it. */
  declare name: string;
  /** In a form, the field is invalid until digits were recognized. */
  declare required: boolean;
  /** Accessible name of the drawing area. */
  declare label: string;
  /** Hides the usage instructions. */
  declare hideInstructions: boolean;
  /** Exactly this many digits are expected (a postcode, a PIN): the reading prefers it, and in a form another count is invalid. */
  declare length: number | undefined;
  /** At least this many digits are expected (a form then reports `tooShort` below it). */
  declare minLength: number | undefined;
  /** At most this many digits are expected (a form then reports `tooLong` above it). */
  declare maxLength: number | undefined;
  /** Draws this many boxes, one digit in each (a one-time-code field); 0 or unset: one drawing area. Uploads are off then. */
  declare cells: number;
  /** Which pointers may draw: any of `pen`, `touch`, `mouse` (default all three). Without `touch`, a finger scrolls the page; while a pen is near, touches are ignored. */
  declare pointerTypes: string;

  declare private _hasInk: boolean;
  declare private _image: DecodedImage | undefined;
  declare private _shown: Shown | undefined;
  declare private _error: RecognizerError | undefined;
  declare private _busy: string | undefined;
  /** The digit whose alternatives are open (its position in `value`). */
  declare private _open: number | undefined;
  /** What the status region says after a correction, in place of the summary. */
  declare private _announcement: string | undefined;
  declare private _currentCell: number;
  declare private _penNear: boolean;

  private readonly internals: ElementInternals;
  private readonly engine = new Engine();
  /** Where images are prepared: a Web Worker, started at the first stroke or image. */
  private readonly preparation = new PreparationThread();
  private readonly fileDrop = new FileDropController(this, (files) => void this.acceptFiles(files));
  private readonly pointers = new PointerPolicy({
    target: this,
    kinds: () => parsePointerTypes(this.pointerTypes),
    onPenNear: () => {
      // A touch stroke under way when the pen arrives is the palm resting on the screen.
      const palm = [this.pad?.cancelTouch() ?? false, this.cellPads?.cancelTouches() ?? false].some(Boolean);
      if (palm) this._hasInk = this.hasInk();
    },
    onChange: () => (this._penNear = this.pointers.penNear),
  });
  private pad: DrawingPad | undefined;
  private cellPads: CellPads | undefined;
  /** The box of the last stroke: focus moves on from there once it is read. */
  private lastCell: number | undefined;
  private painter: StagePainter | undefined;
  private autoTimer: ReturnType<typeof setTimeout> | undefined;
  private running: AbortController | undefined;

  constructor() {
    super();
    this.internals = this.attachInternals();
    this.endpoint = besideScript('./predict');
    this.modelUrl = besideScript(DEFAULT_MODEL_PATH);
    this.mode = 'auto';
    this.multiple = true;
    this.strokeWidth = 16;
    this.autoPredict = 800;
    this.confidenceThreshold = CONFIDENCE_THRESHOLD;
    this.timeout = 15_000;
    this.apiKey = '';
    this.name = '';
    this.required = false;
    this.label = 'Drawing area';
    this.hideInstructions = false;
    this.cells = 0;
    this.pointerTypes = '';
    this._hasInk = false;
    this._currentCell = 0;
    this._penNear = false;
  }

  /** The recognized digits ("4096"), or "" when nothing is recognized. Submitted with forms under `name`. */
  get value(): string {
    return this._shown?.detail.digits ?? '';
  }

  /** The last result shown, or undefined. */
  get result(): DigitRecognizedDetail | undefined {
    return this._shown?.detail;
  }

  get form(): HTMLFormElement | null {
    return this.internals.form;
  }

  get validity(): ValidityState {
    return this.internals.validity;
  }

  get validationMessage(): string {
    return this.internals.validationMessage;
  }

  checkValidity(): boolean {
    return this.internals.checkValidity();
  }

  reportValidity(): boolean {
    return this.internals.reportValidity();
  }

  /**
   * Reads the current drawing or image and shows the result. Resolves with the same detail the
   * `digit-recognized` event carries, rejects with a RecognizerError (also shown in the element),
   * or with an AbortError when a newer recognition replaced this one. Fires no event.
   */
  recognize(): Promise<DigitRecognizedDetail> {
    return this.run(false);
  }

  /** Removes the drawing (in every box), the image, the result and any error. Fires no event. */
  clear(): void {
    this.cancel();
    this.pad?.clear();
    this.cellPads?.clear();
    this._hasInk = false;
    this._image = undefined;
    this._shown = undefined;
    this._error = undefined;
    this._open = undefined;
    this._announcement = undefined;
    this.paintStage();
  }

  /** Removes the last stroke (with `cells`, the last one drawn in any box). Returns false when there was none. Fires no event. */
  undo(): boolean {
    const undone = this.boxCount ? this.cellPads?.undo() : this.pad?.undo();
    if (!undone) return false;
    this.inputChanged();
    this._hasInk = this.hasInk();
    return true;
  }

  /**
   * Shows an image (PNG, JPEG, WebP, GIF or BMP) in the drawing area in place of the drawing;
   * call `recognize()` to read it. Rejects with a RecognizerError (also shown) when the file is not
   * a readable image, and then changes nothing. Fires no event.
   */
  async loadImage(blob: Blob): Promise<void> {
    await this.showImage(blob);
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.pointers.connect();
    if (this.pad) {
      this.pad.connect();
      this.painter?.observe(this.repaint);
    }
    this.cellPads?.connect();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.cancel();
    this.preparation.dispose();
    this.pointers.disconnect();
    this.pad?.disconnect();
    this.cellPads?.disconnect();
    this.painter?.unobserve();
  }

  /** Resetting the form clears the element. */
  formResetCallback(): void {
    this.clear();
  }

  protected override firstUpdated(): void {
    const ink = this.renderRoot.querySelector<HTMLCanvasElement>('canvas.ink')!;
    const overlay = this.renderRoot.querySelector<HTMLCanvasElement>('canvas.overlay')!;
    this.painter = new StagePainter({ host: this, stage: this.stage, ink, overlay });
    this.pad = new DrawingPad(ink, {
      strokeWidth: () => Math.max(1, finite(this.strokeWidth, 16)),
      canDraw: () => !this._image,
      accepts: (event) => this.pointers.accepts(event),
      onStrokeStart: () => this.strokeStarted(this.stage),
      onStrokeEnd: () => this.strokeEnded(),
    });
    this.pad.connect();
    this.painter.observe(this.repaint);
  }

  protected override updated(changed: PropertyValues): void {
    if (changed.has('cells')) this.makeCellPads();
    if (changed.has('_shown')) {
      if (this._shown) paintModelInputs(this.renderRoot.querySelectorAll<HTMLCanvasElement>('canvas.segment-input'), this._shown.inputs);
      this.paintBoxes();
    }
    if (['_shown', 'required', 'length', 'minLength', 'maxLength'].some((name) => changed.has(name))) this.syncFormValue();
  }

  /** The number of boxes drawn (`cells`, at most MAX_DIGITS), 0 without boxes. */
  private get boxCount(): number {
    return boxCount(this.cells, MAX_DIGITS);
  }

  /** How many digits are expected, from `length`, `minlength` and `maxlength`. */
  private get expected(): ExpectedLength {
    return expectedLength(this.length, this.minLength, this.maxLength);
  }

  private hasInk(): boolean {
    return this.boxCount ? !(this.cellPads?.isEmpty() ?? true) : !(this.pad?.isEmpty ?? true);
  }

  /** (Re)makes the boxes' drawing pads after the number of boxes changed: old drawings and results go. */
  private makeCellPads(): void {
    const canvases = [...this.renderRoot.querySelectorAll<HTMLCanvasElement>('canvas.cell-ink')];
    // No boxes before or after (the default): nothing to make, nothing to forget.
    if (!this.cellPads && canvases.length === 0) return;
    this.cellPads?.disconnect();
    this.cellPads = undefined;
    if (canvases.length) {
      this.cellPads = new CellPads(canvases, {
        strokeWidth: () => Math.max(1, finite(this.strokeWidth, 16)),
        accepts: (event) => this.pointers.accepts(event),
        onStrokeStart: (cell) => {
          this._currentCell = cell;
          this.strokeStarted(this.cellElement(cell));
        },
        onStrokeEnd: (cell) => {
          this.lastCell = cell;
          this.strokeEnded();
        },
      });
      if (this.isConnected) this.cellPads.connect();
    }
    this._currentCell = Math.min(this._currentCell, Math.max(0, canvases.length - 1));
    this.inputChanged();
    this._hasInk = this.hasInk();
  }

  private strokeStarted(area: HTMLElement | undefined): void {
    clearTimeout(this.autoTimer);
    area?.focus({ preventScroll: true });
    this.preload();
    this.inputChanged();
  }

  private strokeEnded(): void {
    this._hasInk = true;
    if (this.autoPredict > 0) this.autoTimer = setTimeout(() => this.runFromUser(), this.autoPredict);
    // (NaN > 0 is false: a bad auto-predict value turns automatic reading off.)
  }

  private cellElement(cell: number): HTMLElement | undefined {
    return this.renderRoot.querySelectorAll<HTMLElement>('.cell')[cell];
  }

  override render() {
    const boxes = this.boxCount;
    const hasInput = this._hasInk || !!this._image;
    const auto = this.autoPredict > 0;
    const kinds = parsePointerTypes(this.pointerTypes);
    const by = listOf(
      [...kinds]
        .map((kind) => POINTER_WORDS[kind])
        .sort((a, b) => ['mouse', 'finger', 'pen'].indexOf(a) - ['mouse', 'finger', 'pen'].indexOf(b)),
    );
    // Where touch does not draw, a finger scrolls the page, except while a pen is near (a pen that scrolls cannot write).
    const scrolls = !kinds.has('touch') && !this._penNear;
    const expected = describeExpected(this.expected);
    return html`<div part="base" class="base">
      <div part="instructions" class="instructions" id="instructions" ?hidden=${this.hideInstructions}>
        <slot name="instructions">
          <p class="instructions">
            ${
              boxes
                ? html`Write one digit in each box with your ${by}.
                  ${auto ? 'They are read when you stop writing, or press Predict.' : 'Then press Predict.'}
                  In a box, the arrow keys move between boxes, Enter reads, Ctrl+Z undoes and Delete clears the box.`
                : html`Draw ${this.multiple ? 'a number' : 'one digit'} with your ${by}, or upload, drop or paste a picture of one.
                  ${auto ? 'It is read when you stop drawing, or press Predict.' : 'Then press Predict.'}
                  In the drawing area, Enter reads, Ctrl+Z undoes and Delete clears.`
            }
            ${expected ? html`Expected: ${expected}.` : nothing}
          </p>
        </slot>
      </div>
      <div
        part="stage"
        class="stage ${this._image ? 'image' : ''} ${this.fileDrop.dragging ? 'dragging' : ''} ${scrolls ? 'scrolls' : ''}"
        role="application"
        aria-roledescription="drawing area"
        aria-label=${this.label}
        aria-describedby="instructions"
        tabindex="0"
        ?hidden=${boxes > 0}
        @keydown=${this.onStageKeydown}
      >
        <canvas part="canvas" class="ink"></canvas>
        <canvas class="overlay" aria-hidden="true"></canvas>
        ${hasInput ? nothing : html`<span class="placeholder" aria-hidden="true">${kinds.size === 1 && kinds.has('pen') ? 'Write with a pen here' : this.multiple ? 'Draw a number here' : 'Draw a digit here'}</span>`}
      </div>
      ${boxes ? this.cellsTemplate(boxes, scrolls) : nothing}
      <div part="controls" class="controls">
        <button part="button predict-button" class="primary predict" type="button" ?disabled=${!hasInput} @click=${this.runFromUser}>Predict</button>
        <button part="button undo-button" class="undo" type="button" ?disabled=${!this._hasInk || !!this._image} @click=${this.onUndoClick}>Undo</button>
        ${
          boxes
            ? html`<button part="button clear-cell-button" class="clear-cell" type="button" aria-label=${`Clear box ${this._currentCell + 1}`} ?disabled=${this.cellPads?.isEmpty(this._currentCell) ?? true} @click=${this.onClearCellClick}>Clear box</button>`
            : nothing
        }
        <button part="button clear-button" class="clear" type="button" ?disabled=${!hasInput && !this._shown && !this._error} @click=${this.onClearClick}>${boxes ? 'Clear all' : 'Clear'}</button>
        <button part="button upload-button" class="upload" type="button" ?hidden=${boxes > 0} @click=${this.onUploadClick}>Upload image</button>
        <input class="file" type="file" accept=${ACCEPT} hidden aria-label="Image of a handwritten number" @change=${this.onFileChange} />
      </div>
      <div part="status" class="status" role="status">
        ${
          this._busy
            ? html`<span class="busy">${this._busy}</span>`
            : this._announcement
              ? html`<span class="visually-hidden">${this._announcement}</span>`
              : this._shown
                ? html`<span class="visually-hidden">${[summarize(this._shown.detail), this.countMessage()].filter(Boolean).join(' ')}</span>`
                : nothing
        }
      </div>
      ${
        this._error
          ? html`<div part="error" class="error" role="alert">
            <p>${this._error.message}</p>
            ${this._error.retryable ? html`<button part="button retry-button" class="retry" type="button" @click=${this.runFromUser}>Retry</button>` : nothing}
          </div>`
          : nothing
      }
      ${
        this._shown
          ? resultTemplate(this._shown.detail, {
              fallbackReason: this._shown.fallbackReason,
              countMessage: this.countMessage(),
              open: this._open,
              onDigit: this.onDigit,
              onChoose: this.onChoose,
              onClose: this.onCloseAlternatives,
            })
          : nothing
      }
    </div>`;
  }

  /** The boxes: one drawing pad each, one of them in the tab order at a time (the arrow keys move between them). */
  private cellsTemplate(boxes: number, scrolls: boolean) {
    const read = this._shown ? this._shown.detail.segments : [];
    return html`<div part="cells" class="cells ${scrolls ? 'scrolls' : ''}" role="group" aria-label=${this.label} aria-describedby="instructions">
      ${Array.from({ length: boxes }, (_, cell) => {
        const current = cell === this._currentCell;
        const segment = read[cell];
        const state =
          segment?.kind === 'digit' ? `read as ${segment.digit}` : this.cellPads && !this.cellPads.isEmpty(cell) ? 'written' : 'empty';
        return html`<div
          part="cell ${current ? 'current-cell' : ''}"
          class="cell ${current ? 'current' : ''}"
          role="application"
          aria-roledescription="writing box"
          aria-label=${`Box ${cell + 1} of ${boxes}, ${state}`}
          tabindex=${current ? '0' : '-1'}
          data-cell=${cell}
          @keydown=${this.onCellKeydown}
          @focus=${() => (this._currentCell = cell)}
        >
          <canvas part="cell-canvas" class="cell-ink"></canvas>
        </div>`;
      })}
    </div>`;
  }

  /** Says that the count of digits read does not fit the expected length; "" when it fits. */
  private countMessage(): string {
    const detail = this._shown?.detail;
    if (!detail || detail.status === 'no-digit') return '';
    return checkCount(detail.digits.length, this.expected).message;
  }

  private get stage(): HTMLElement {
    return this.renderRoot.querySelector<HTMLElement>('.stage')!;
  }

  /**
   * Fires one of the element's events, typed by DigitRecognizerEventMap, as Shoelace's `emit()`
   * does: every event bubbles and is composed. Called on user actions only.
   */
  private emit<K extends keyof DigitRecognizerEventMap>(
    name: K,
    detail: DigitRecognizerEventMap[K],
  ): CustomEvent<DigitRecognizerEventMap[K]> {
    const event = new CustomEvent(name, { detail, bubbles: true, composed: true });
    this.dispatchEvent(event);
    return event;
  }

  private engineConfig(): EngineConfig {
    return {
      mode: this.mode,
      modelUrl: this.modelUrl,
      endpoint: this.endpoint,
      apiKey: this.apiKey || undefined,
      timeoutMs: Math.max(1, finite(this.timeout, 15_000)),
    };
  }

  private readingOptions(): ReadingOptions {
    const { min, max } = this.expected;
    return {
      multiple: this.multiple,
      drawing: !this._image,
      confidenceThreshold: finite(this.confidenceThreshold, CONFIDENCE_THRESHOLD),
      minDigits: min,
      maxDigits: max,
    };
  }

  /** Someone is about to need a reading: the worker and the model start loading now, while they draw. */
  private preload(): void {
    this.preparation.warmUp();
    this.engine.preload(this.engineConfig());
  }

  /** The drawing or the image changed: a result for the old one would be wrong, so it goes. */
  private inputChanged(): void {
    this.cancel();
    this._shown = undefined;
    this._error = undefined;
    this._open = undefined;
    this._announcement = undefined;
    this.paintBoxes();
  }

  private cancel(): void {
    clearTimeout(this.autoTimer);
    this.running?.abort();
    this.running = undefined;
    this._busy = undefined;
  }

  /** What to read: the uploaded image's pixels, or the pad's strokes (read as strokes, not as their picture). */
  private currentSource(): { source: PreparationSource; placement: Placement } | undefined {
    if (this._image) {
      const image = pixelsOf(this._image);
      return { source: { kind: 'image', image }, placement: { kind: 'image', width: image.width, height: image.height } };
    }
    if (!this.pad || this.pad.isEmpty) return undefined;
    const { width, height } = this.stage.getBoundingClientRect();
    const region = strokesForReading(this.pad.strokes, width > 0 ? height / width : 0.5);
    return (
      region && {
        source: { kind: 'strokes', strokes: region.strokes },
        placement: { kind: 'drawing', left: region.left, top: region.top, pixel: region.pixel },
      }
    );
  }

  private runFromUser = (): void => {
    this.run(true).catch(() => {
      // Shown in the element and sent as digit-error; an AbortError means a newer run replaced it.
    });
  };

  private async run(fromUser: boolean): Promise<DigitRecognizedDetail> {
    this.cancel();
    const controller = new AbortController();
    this.running = controller;
    this._error = undefined;
    const startedAt = performance.now();
    try {
      const context = {
        engine: this.engine,
        config: this.engineConfig(),
        signal: controller.signal,
        preparer: this.preparation,
        startedAt,
        onBusy: (message: string) => (this._busy = message),
      };
      let reading: Reading;
      let placement: Placement | undefined;
      if (this.boxCount && this.cellPads) {
        reading = await readCells(this.cellPads.images(), this.readingOptions(), context);
      } else {
        const current = this.currentSource();
        reading = await read(current?.source, this.readingOptions(), context);
        placement = current?.placement;
      }
      this._shown = { ...reading, placement };
      this._open = undefined;
      this._announcement = undefined;
      if (this.boxCount) this.moveToNextCell();
      if (fromUser) this.emit('digit-recognized', reading.detail);
      return reading.detail;
    } catch (error) {
      if (controller.signal.aborted) throw error;
      const failure =
        error instanceof RecognizerError
          ? error
          : new RecognizerError(
              'internal',
              `Something went wrong while reading the digits: ${error instanceof Error ? error.message : String(error)}`,
              true,
              { cause: error },
            );
      this._error = failure;
      if (fromUser) this.emit('digit-error', failure.toDetail());
      throw failure;
    } finally {
      if (this.running === controller) {
        this.running = undefined;
        this._busy = undefined;
      }
    }
  }

  private async showImage(file: Blob): Promise<void> {
    let decoded: DecodedImage;
    try {
      decoded = await decodeImageFile(file);
    } catch (error) {
      // A bad file changes nothing but the message.
      this._error =
        error instanceof RecognizerError
          ? error
          : new RecognizerError('unreadable-image', 'The file could not be read as an image.', false, { cause: error });
      throw this._error;
    }
    this.inputChanged();
    this.pad?.clear();
    this._hasInk = false;
    this._image = decoded;
    this.preload();
    this.paintStage();
  }

  private async acceptFiles(files: FileList | null | undefined): Promise<void> {
    const file = files?.[0];
    // Boxes are for writing in: they read no pictures.
    if (!file || this.boxCount) return;
    try {
      await this.showImage(file);
    } catch (error) {
      if (error instanceof RecognizerError) this.emit('digit-error', error.toDetail());
      return;
    }
    if (this.autoPredict > 0) this.runFromUser();
  }

  private onUploadClick = (): void => {
    this.renderRoot.querySelector<HTMLInputElement>('input.file')!.click();
  };

  private onFileChange = async (event: Event): Promise<void> => {
    const input = event.target as HTMLInputElement;
    await this.acceptFiles(input.files);
    // Choosing the same file again must fire change again.
    input.value = '';
  };

  private onUndoClick = (): void => {
    this.undo();
  };

  private onClearClick = (): void => {
    this.clear();
    this.emit('digit-clear', {});
  };

  private onClearCellClick = (): void => {
    this.clearCell(this._currentCell);
  };

  /** Empties one box; the result (which covered it) goes. Fires digit-clear: the user cleared part of the drawing. */
  private clearCell(cell: number): void {
    if (!this.cellPads || this.cellPads.isEmpty(cell)) return;
    this.cellPads.clear(cell);
    this.inputChanged();
    this._hasInk = this.hasInk();
    this.emit('digit-clear', {});
  }

  /** After a reading, focus goes on to the box after the one last written in, as one-time-code fields do. */
  private moveToNextCell(): void {
    const focused = this.shadowRoot?.activeElement;
    if (this.lastCell === undefined || !(focused instanceof HTMLElement) || !focused.classList.contains('cell')) return;
    this.focusCell(Math.min(this.lastCell + 1, this.boxCount - 1));
  }

  private focusCell(cell: number): void {
    this._currentCell = cell;
    // Focus after the render that puts the box in the tab order.
    void this.updateComplete.then(() => this.cellElement(cell)?.focus({ preventScroll: true }));
  }

  private onCellKeydown = (event: KeyboardEvent): void => {
    const target = event.currentTarget as HTMLElement;
    if (event.target !== target) return;
    const cell = Number(target.dataset.cell);
    const last = this.boxCount - 1;
    const key = event.key;
    if (key === 'ArrowRight' || key === 'ArrowLeft' || key === 'Home' || key === 'End') {
      event.preventDefault();
      this.focusCell(key === 'Home' ? 0 : key === 'End' ? last : Math.max(0, Math.min(last, cell + (key === 'ArrowRight' ? 1 : -1))));
    } else if (key === 'Enter' || key === ' ') {
      event.preventDefault();
      if (this._hasInk) this.runFromUser();
    } else if (key === 'Delete') {
      event.preventDefault();
      this.clearCell(cell);
    } else if (key === 'Backspace') {
      event.preventDefault();
      // As in one-time-code fields: Backspace empties the box, and in an empty box goes back one.
      if (this.cellPads?.isEmpty(cell) && cell > 0) this.focusCell(cell - 1);
      else this.clearCell(cell);
    } else if ((event.ctrlKey || event.metaKey) && key.toLowerCase() === 'z') {
      event.preventDefault();
      if (this.cellPads?.undo(cell)) {
        this.inputChanged();
        this._hasInk = this.hasInk();
      }
    }
  };

  /** A read digit was activated: its alternatives open (or close, when they were open). */
  private onDigit = (index: number): void => {
    this._open = this._open === index ? undefined : index;
    if (this._open === undefined) return;
    // Into the panel, at the most probable reading.
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>('.alternatives button.alternative')?.focus());
  };

  /** A person chose (or typed) digit `to` for the digit at `index`. */
  private onChoose = (index: number, to: number): void => {
    const shown = this._shown;
    const from = shown ? digitSegments(shown.detail)[index]?.digit : undefined;
    if (!shown || from === undefined) return;
    this._open = undefined;
    this.focusDigit(index);
    if (to === from) return;
    const result = correct(shown.detail, index, to);
    this._shown = { ...shown, detail: result };
    this._announcement = `Digit ${index + 1} changed from ${from} to ${to}. The number is now ${result.digits}.`;
    this.emit('digit-corrected', { index, from, to, result });
  };

  private onCloseAlternatives = (): void => {
    const index = this._open;
    this._open = undefined;
    if (index !== undefined) this.focusDigit(index);
  };

  private focusDigit(index: number): void {
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>(`button.digit[data-index="${index}"]`)?.focus());
  }

  private onStageKeydown = (event: KeyboardEvent): void => {
    if (event.target !== this.stage) return;
    if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault();
      if (this._hasInk || this._image) this.runFromUser();
    } else if (event.key === 'Delete' || event.key === 'Backspace') {
      event.preventDefault();
      this.onClearClick();
    } else if ((event.ctrlKey || event.metaKey) && event.key.toLowerCase() === 'z') {
      event.preventDefault();
      this.undo();
    }
  };

  /** After the canvases were resized (which clears them). */
  private repaint = (): void => {
    this.paintStage();
    this.paintBoxes();
  };

  /** The drawing, or the uploaded image in its place. */
  private paintStage(): void {
    if (!this.pad) return;
    if (this._image) this.painter?.paintImage(this._image.canvas);
    else this.pad.redraw();
  }

  private paintBoxes(): void {
    this.painter?.paintBoxes(this._shown?.placement, this._shown ? digitSegments(this._shown.detail) : []);
  }

  private syncFormValue(): void {
    const value = this.value;
    this.internals.setFormValue(value || null);
    // The field people write in: where the browser points when it reports the problem.
    const anchor = (this.boxCount ? this.cellElement(this._currentCell) : undefined) ?? this.stage;
    const count = checkCount(value.length, this.expected);
    if (this.required && !value) {
      this.internals.setValidity(
        { valueMissing: true },
        this.boxCount ? 'Write a digit in the boxes and let them be read.' : 'Draw or upload a number and let it be recognized.',
        anchor,
      );
    } else if (count.tooShort || count.tooLong) {
      this.internals.setValidity({ tooShort: count.tooShort, tooLong: count.tooLong }, count.message, anchor);
    } else {
      this.internals.setValidity({});
    }
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'digit-recognizer': DigitRecognizer;
  }
}
