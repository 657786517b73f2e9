/**
 * Pointer input on a canvas: turns mouse, finger and pen movements into strokes (strokes.ts) and
 * paints them at the canvas's resolution (stage.ts keeps that at device pixels). Knows nothing
 * about recognition.
 */
import { drawStrokes, type Point, type Stroke } from './strokes.js';

export interface DrawingPadHost {
  /** Stroke width in CSS pixels for the next stroke. */
  strokeWidth(): number;
  /** Whether drawing is allowed now (false while an uploaded image is shown). */
  canDraw(): boolean;
  /** Whether this pointer may draw (its kind is allowed; not a palm beside a pen). */
  accepts(event: PointerEvent): boolean;
  onStrokeStart(): void;
  onStrokeEnd(): void;
}

export class DrawingPad {
  strokes: Stroke[] = [];
  private active: { id: number; kind: string; pen: boolean; stroke: Stroke } | null = null;
  private frame = 0;
  private readonly listeners: [keyof HTMLElementEventMap, (e: PointerEvent) => void][] = [
    ['pointerdown', (e) => this.down(e)],
    ['pointermove', (e) => this.move(e)],
    ['pointerup', (e) => this.up(e)],
    ['pointercancel', (e) => this.up(e)],
  ];

  constructor(
    readonly canvas: HTMLCanvasElement,
    private readonly host: DrawingPadHost,
  ) {}

  connect(): void {
    for (const [type, listener] of this.listeners) this.canvas.addEventListener(type, listener as EventListener);
  }

  disconnect(): void {
    for (const [type, listener] of this.listeners) this.canvas.removeEventListener(type, listener as EventListener);
    cancelAnimationFrame(this.frame);
    this.active = null;
  }

  get isEmpty(): boolean {
    return this.strokes.length === 0;
  }

  undo(): boolean {
    if (this.active || this.strokes.length === 0) return false;
    this.strokes.pop();
    this.redraw();
    return true;
  }

  /**
   * Takes back the stroke under way if it is a touch (a palm that landed before the pen came
   * near). Returns whether there was one.
   */
  cancelTouch(): boolean {
    if (!this.active || this.active.kind !== 'touch') return false;
    const { id, stroke } = this.active;
    this.active = null;
    this.strokes = this.strokes.filter((s) => s !== stroke);
    try {
      this.canvas.releasePointerCapture(id);
    } catch {
      // Not captured.
    }
    this.redraw();
    return true;
  }

  clear(): void {
    this.strokes = [];
    this.active = null;
    this.redraw();
  }

  /** Repaints on the next frame; pointer events can arrive many times per frame. */
  scheduleRedraw(): void {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.redraw();
    });
  }

  redraw(): void {
    const ctx = this.canvas.getContext('2d');
    if (!ctx) return;
    ctx.clearRect(0, 0, this.canvas.width, this.canvas.height);
    const color = getComputedStyle(this.canvas).color || '#000';
    drawStrokes(ctx, this.strokes, this.canvas.width, color);
  }

  /** Pens report pressure; mouse and touch report a constant (or the force, on a few screens), which is not a pen's pressure. */
  private point(e: PointerEvent, pen: boolean): Point {
    const rect = this.canvas.getBoundingClientRect();
    const width = rect.width || 1;
    const x = (e.clientX - rect.left) / width,
      y = (e.clientY - rect.top) / width;
    return pen && e.pressure > 0 ? { x, y, pressure: e.pressure } : { x, y };
  }

  private down(e: PointerEvent): void {
    // One stroke at a time: a second finger or a right click does not draw.
    if (!e.isPrimary || e.button !== 0 || this.active || !this.host.canDraw() || !this.host.accepts(e)) return;
    e.preventDefault();
    try {
      this.canvas.setPointerCapture(e.pointerId);
    } catch {
      // Synthetic events have no active pointer to capture; drawing works without capture.
    }
    const width = this.canvas.getBoundingClientRect().width || 1;
    const pen = e.pointerType === 'pen';
    const stroke: Stroke = { points: [this.point(e, pen)], width: this.host.strokeWidth() / width };
    this.active = { id: e.pointerId, kind: e.pointerType, pen, stroke };
    this.strokes.push(stroke);
    this.host.onStrokeStart();
    this.scheduleRedraw();
  }

  private move(e: PointerEvent): void {
    if (!this.active || e.pointerId !== this.active.id) return;
    e.preventDefault();
    // Coalesced events carry the samples the browser merged into this one: smoother fast strokes.
    const samples = typeof e.getCoalescedEvents === 'function' ? e.getCoalescedEvents() : [];
    for (const sample of samples.length ? samples : [e]) this.active.stroke.points.push(this.point(sample, this.active.pen));
    this.scheduleRedraw();
  }

  private up(e: PointerEvent): void {
    if (!this.active || e.pointerId !== this.active.id) return;
    // The pen's pressure at pointerup is 0 (it has lifted): the last point keeps the one before.
    if (e.type === 'pointerup') {
      const last = this.active.stroke.points.at(-1);
      const point = this.point(e, false);
      this.active.stroke.points.push(this.active.pen && last?.pressure !== undefined ? { ...point, pressure: last.pressure } : point);
    }
    this.active = null;
    try {
      this.canvas.releasePointerCapture(e.pointerId);
    } catch {
      // Already released (synthetic events or the pointer left the page).
    }
    this.scheduleRedraw();
    this.host.onStrokeEnd();
  }
}
