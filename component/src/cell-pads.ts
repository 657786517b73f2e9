/**
 * The boxes of a form field (`cells`): one drawing pad per box, each kept at device resolution,
 * with an undo history across the boxes (the last stroke drawn, in whichever box) and per box.
 * Each box's drawing is exported on its own, to be read as exactly one digit (reading.ts readCells).
 */
import type { Box } from '../../model/core/index.js';
import { DrawingPad } from './drawing-pad.js';
import type { CellImage } from './reading.js';
import { devicePixelSize, observeDevicePixels } from './stage.js';
import { strokesToImage } from './strokes.js';

/** A box is small: the pen is at most this share of its height, whatever `stroke-width` says for the big pad. */
export const CELL_PEN_SHARE = 0.09;

export interface CellPadsHost {
  /** The element's stroke width in CSS pixels. */
  strokeWidth(): number;
  accepts(event: PointerEvent): boolean;
  onStrokeStart(cell: number): void;
  onStrokeEnd(cell: number): void;
}

export class CellPads {
  readonly pads: DrawingPad[];
  /** The box of every stroke, in the order drawn: Undo takes back the last one. */
  private readonly order: number[] = [];
  private readonly resizeObserver: ResizeObserver;

  constructor(
    private readonly canvases: readonly HTMLCanvasElement[],
    private readonly host: CellPadsHost,
  ) {
    this.pads = canvases.map(
      (canvas, cell) =>
        new DrawingPad(canvas, {
          strokeWidth: () => Math.max(1, Math.min(host.strokeWidth(), CELL_PEN_SHARE * canvas.getBoundingClientRect().height)),
          canDraw: () => true,
          accepts: (event) => host.accepts(event),
          onStrokeStart: () => host.onStrokeStart(cell),
          onStrokeEnd: () => {
            this.order.push(cell);
            host.onStrokeEnd(cell);
          },
        }),
    );
    this.resizeObserver = new ResizeObserver((entries) => {
      for (const entry of entries) {
        const canvas = entry.target as HTMLCanvasElement;
        const { width, height } = devicePixelSize(entry);
        if (canvas.width === width && canvas.height === height) continue;
        canvas.width = width;
        canvas.height = height;
        this.pads[this.canvases.indexOf(canvas)]?.redraw();
      }
    });
  }

  connect(): void {
    for (const pad of this.pads) pad.connect();
    for (const canvas of this.canvases) observeDevicePixels(this.resizeObserver, canvas);
  }

  disconnect(): void {
    for (const pad of this.pads) pad.disconnect();
    this.resizeObserver.disconnect();
  }

  get count(): number {
    return this.pads.length;
  }

  /** Whether box `cell` (or, without one, every box) is empty. */
  isEmpty(cell?: number): boolean {
    return cell === undefined ? this.pads.every((pad) => pad.isEmpty) : (this.pads[cell]?.isEmpty ?? true);
  }

  /** Boxes with ink, in order. */
  filled(): number[] {
    return this.pads.flatMap((pad, cell) => (pad.isEmpty ? [] : [cell]));
  }

  /** Removes the last stroke of box `cell`, or without one the last stroke drawn. False when there was none. */
  undo(cell?: number): boolean {
    const at = cell === undefined ? this.order.length - 1 : this.order.lastIndexOf(cell);
    const target = this.order[at];
    if (target === undefined || !this.pads[target]?.undo()) return false;
    this.order.splice(at, 1);
    return true;
  }

  /** Empties box `cell`, or without one every box. */
  clear(cell?: number): void {
    for (let i = this.order.length - 1; i >= 0; i--) if (cell === undefined || this.order[i] === cell) this.order.splice(i, 1);
    for (const [i, pad] of this.pads.entries()) if (cell === undefined || i === cell) pad.clear();
  }

  /** Takes back touch strokes under way (a palm beside a pen). */
  cancelTouches(): boolean {
    return this.pads.map((pad) => pad.cancelTouch()).some(Boolean);
  }

  redraw(): void {
    for (const pad of this.pads) pad.redraw();
  }

  /** Each box's drawing as an image to read as one digit, and where the box is (CSS pixels from the first box). */
  images(): CellImage[] {
    const origin = this.canvases[0]?.getBoundingClientRect();
    return this.pads.map((pad, cell) => {
      const rect = this.canvases[cell]!.getBoundingClientRect();
      const box: Box = {
        x: Math.round(rect.left - (origin?.left ?? 0)),
        y: Math.round(rect.top - (origin?.top ?? 0)),
        width: Math.max(1, Math.round(rect.width)),
        height: Math.max(1, Math.round(rect.height)),
      };
      const drawing = pad.isEmpty ? undefined : strokesToImage(pad.strokes, rect.width > 0 ? rect.height / rect.width : 4 / 3);
      return { image: drawing?.image, box };
    });
  }
}
