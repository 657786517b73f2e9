/**
 * Which pointers may draw (`pointer-types`), and palm rejection: while a pen is near (hovering
 * over the element, or touching it), touches are ignored, and a touch stroke under way when the
 * pen arrives was the palm: it is taken back. Where touch may not draw, the drawing area lets the
 * page scroll under a finger, except while a pen is near (a pen that scrolls cannot write).
 */

export type PointerKind = 'pen' | 'touch' | 'mouse';

const KINDS: readonly PointerKind[] = ['pen', 'touch', 'mouse'];

/** "pen touch" -> {pen, touch}. Unknown words are ignored; nothing valid means every kind (the default). */
export function parsePointerTypes(value: string | null | undefined): ReadonlySet<PointerKind> {
  const kinds = new Set(
    (value ?? '')
      .toLowerCase()
      .split(/[\s,]+/)
      .filter((word): word is PointerKind => (KINDS as readonly string[]).includes(word)),
  );
  return kinds.size ? kinds : new Set(KINDS);
}

/** A pen that sends nothing for this long is taken to have gone (some report no pointerleave when lifted away). */
export const PEN_GONE_MS = 1_000;

export interface PointerPolicyHost {
  /** The element: pen events anywhere on it say that the pen is near. */
  target: HTMLElement;
  /** The kinds allowed to draw, read when needed (the attribute can change). */
  kinds(): ReadonlySet<PointerKind>;
  /** A pen came near: touch strokes under way are a resting palm. */
  onPenNear(): void;
  /** Whether a pen is near changed (the drawing area's touch-action follows it). */
  onChange(): void;
}

/** A pointer's kind; some browsers report "" for unknown devices: treated as a mouse. */
export function kindOf(event: PointerEvent): PointerKind {
  return event.pointerType === 'pen' || event.pointerType === 'touch' ? event.pointerType : 'mouse';
}

export class PointerPolicy {
  private near = false;
  /** A pen pressed on the element never times out, however still it is held. */
  private down = false;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly listeners: [string, (e: PointerEvent) => void][] = [
    ['pointerover', (e) => this.pen(e, true)],
    ['pointermove', (e) => this.pen(e, true)],
    ['pointerdown', (e) => this.pen(e, true)],
    ['pointerup', (e) => this.pen(e, true)],
    ['pointerleave', (e) => this.pen(e, false)],
    ['pointercancel', (e) => this.pen(e, false)],
  ];

  constructor(private readonly host: PointerPolicyHost) {}

  connect(): void {
    // Capture: the pen is seen before the drawing pad decides about the same event.
    for (const [type, listener] of this.listeners) this.host.target.addEventListener(type, listener as EventListener, { capture: true });
  }

  disconnect(): void {
    for (const [type, listener] of this.listeners) this.host.target.removeEventListener(type, listener as EventListener, { capture: true });
    clearTimeout(this.timer);
    this.near = this.down = false;
  }

  /** Whether a pen is hovering over or touching the element now. */
  get penNear(): boolean {
    return this.near;
  }

  /** Whether touch may draw (else touch scrolls the page). */
  get touchDraws(): boolean {
    return this.host.kinds().has('touch');
  }

  /** Whether this pointer may start a stroke: its kind is allowed, and it is not a palm beside a pen. */
  accepts(event: PointerEvent): boolean {
    const kind = kindOf(event);
    if (!this.host.kinds().has(kind)) return false;
    return !(kind === 'touch' && this.near);
  }

  private pen(event: PointerEvent, near: boolean): void {
    if (event.pointerType !== 'pen') return;
    if (event.type === 'pointerdown') this.down = true;
    else if (event.type !== 'pointermove') this.down = false;
    clearTimeout(this.timer);
    if (near && !this.down) this.timer = setTimeout(() => this.set(false), PEN_GONE_MS);
    this.set(near);
  }

  private set(near: boolean): void {
    if (near === this.near) return;
    this.near = near;
    if (near) this.host.onPenNear();
    this.host.onChange();
  }
}
