/**
 * The result as people see and hear it: the digits, how sure, where and how fast, and per digit
 * the picture the model saw with a probability bar for each class.
 */
import { html, nothing, type TemplateResult } from 'lit';
import { ref } from 'lit/directives/ref.js';
import { DIGIT_SIDE, digitSegments, type DigitSegment } from '../../model/core/index.js';
import { alternativesOf, textParts } from './corrections.js';

/**
 * Sets the bar length through the CSSOM: a strict CSP (no 'unsafe-inline' styles) blocks style
 * attributes, and Lit's styleMap writes one on first render.
 */
const barLength = (p: number) => ref((element) => (element as HTMLElement | undefined)?.style.setProperty('--p', p.toFixed(4)));
import type { DigitRecognizedDetail } from './events.js';

/** Percentages that never claim certainty the model does not have: 0.9996 is ">99%", not "100%". */
export function formatPercent(p: number): string {
  if (p >= 0.995 && p < 1) return '>99%';
  if (p > 0 && p < 0.005) return '<1%';
  return `${Math.round(p * 100)}%`;
}

export function sourceLabel(source: DigitRecognizedDetail['source']): string {
  return source === 'local' ? 'on this device' : 'by the server';
}

/** A separator said aloud. */
const SPOKEN: Record<string, string> = { '.': 'point', ',': 'comma', '-': 'dash', '/': 'slash', ':': 'colon', ' ': 'space' };

/** One sentence for the live region, complete on its own for a screen-reader user. */
export function summarize(detail: DigitRecognizedDetail): string {
  const where = `Read ${sourceLabel(detail.source)} in ${detail.durationMs} ms.`;
  if (detail.status === 'no-digit') return `No digit found. ${detail.message ?? ''}`.trim();
  const digits = [...detail.text].map((c) => SPOKEN[c] ?? c).join(' ');
  if (detail.status === 'uncertain')
    return `Not sure. Best guess: ${digits}, ${formatPercent(detail.confidence)} sure. ${detail.message ?? ''} ${where}`.replace(
      /\s+/g,
      ' ',
    );
  return `Recognized ${digits}, ${formatPercent(detail.confidence)} sure. ${where}`;
}

function bars(probabilities: number[], position: number): TemplateResult {
  const top = probabilities.indexOf(Math.max(...probabilities));
  return html`<ul part="bars" class="bars" aria-label=${`Probabilities for digit ${position}`}>
    ${probabilities.map(
      (p, digit) =>
        html`<li class="bar ${digit === top ? 'top' : ''}">
          <span class="bar-track" aria-hidden="true"><span class="bar-fill" ${barLength(p)}></span></span>
          <span><span aria-hidden="true">${digit}</span><span class="visually-hidden">${digit}: ${formatPercent(p)}</span></span>
        </li>`,
    )}
  </ul>`;
}

/** What the result view shows besides the result, and where it sends people's choices. */
export interface ResultViewOptions {
  fallbackReason: string | undefined;
  /** Says that the count does not fit the expected length ("" when it fits or nothing is expected). */
  countMessage: string;
  /** The digit whose alternatives are open (its position in `digits`), if any. */
  open: number | undefined;
  onDigit(index: number): void;
  onChoose(index: number, digit: number): void;
  onClose: () => void;
}

/** The digits as written, each read digit a button that opens its alternatives. */
function digitControls(detail: DigitRecognizedDetail, options: ResultViewOptions): TemplateResult {
  const parts = textParts(detail);
  const count = digitSegments(detail).length;
  // No whitespace between the parts: the digits read as one number ("4096"), on screen and in innerText.
  return html`${parts.map((part) =>
    part.kind === 'digit'
      ? html`<button part="digit" class="digit ${part.segment.uncertain ? 'uncertain' : ''} ${detail.corrected?.includes(part.index) ? 'corrected' : ''}" type="button" aria-expanded=${options.open === part.index ? 'true' : 'false'} aria-controls="alternatives" aria-label=${digitName(part.segment, part.index, count, detail.corrected?.includes(part.index) ?? false)} aria-describedby="digit-hint" data-index=${part.index} @click=${() => options.onDigit(part.index)}>${part.segment.digit}</button>`
      : part.kind === 'separator'
        ? html`<span class="separator">${part.char}</span>`
        : part.kind === 'empty'
          ? html`<span class="empty-place" role="img" aria-label="empty box"></span>`
          : html`<span class="gap"> </span>`,
  )}`;
}

function digitName(segment: DigitSegment, index: number, count: number, corrected: boolean): string {
  const state = corrected ? ', corrected' : segment.uncertain ? `, not sure (${formatPercent(segment.confidence)})` : '';
  return `${segment.digit}: digit ${index + 1} of ${count}${state}`;
}

/** The open digit's alternatives, most probable first, with their probabilities, and a field to type the digit. */
function alternativesPanel(detail: DigitRecognizedDetail, index: number, options: ResultViewOptions): TemplateResult | typeof nothing {
  const segment = digitSegments(detail)[index];
  if (!segment) return nothing;
  const onType = (event: InputEvent) => {
    const input = event.target as HTMLInputElement;
    const typed = input.value.replace(/[^0-9]/g, '').slice(-1);
    input.value = typed;
    if (typed) options.onChoose(index, Number(typed));
  };
  const onKeydown = (event: KeyboardEvent) => {
    if (event.key !== 'Escape') return;
    event.preventDefault();
    event.stopPropagation();
    options.onClose();
  };
  return html`<div part="alternatives" class="alternatives" id="alternatives" role="group" aria-labelledby="alternatives-title" @keydown=${onKeydown}>
    <p class="alternatives-title" id="alternatives-title">Digit ${index + 1} could also be:</p>
    <ul class="alternative-list">
      ${alternativesOf(segment).map(
        ({ digit, probability }) =>
          html`<li>
            <button part="button alternative" class="alternative ${digit === segment.digit ? 'current' : ''}" type="button" data-digit=${digit} aria-current=${digit === segment.digit ? 'true' : 'false'} @click=${() => options.onChoose(index, digit)}>
              <span class="alternative-digit">${digit}</span>
              <span class="alternative-probability">${formatPercent(probability)}</span>
            </button>
          </li>`,
      )}
    </ul>
    <label class="type-digit">
      <span>Or type it</span>
      <input part="type-digit" class="type-digit-input" type="text" inputmode="numeric" maxlength="1" pattern="[0-9]" autocomplete="off" enterkeyhint="done" aria-label=${`Type digit ${index + 1}`} @input=${onType} />
    </label>
    <button part="button" class="close-alternatives" type="button" @click=${options.onClose}>Keep ${segment.digit}</button>
  </div>`;
}

export function resultTemplate(detail: DigitRecognizedDetail, options: ResultViewOptions): TemplateResult {
  const noDigit = detail.status === 'no-digit';
  const { fallbackReason } = options;
  return html`<section part="result" class="result ${noDigit ? 'no-digit' : ''}" aria-label="Result">
    <div class="summary">
      <!-- Not <output>: its implicit live region would announce the result a second time. -->
      <span part="digits" class="digits">${noDigit ? 'No digit found' : digitControls(detail, options)}</span>
      ${noDigit ? nothing : detail.status === 'uncertain' ? html`<span part="confidence" class="uncertain-label">Not sure (${formatPercent(detail.confidence)})</span>` : html`<span part="confidence">${formatPercent(detail.confidence)} sure</span>`}
      <span part="source" class="source" data-source=${detail.source}>${noDigit ? '' : `Read ${sourceLabel(detail.source)} · ${detail.durationMs} ms`}</span>
    </div>
    ${noDigit ? nothing : html`<p class="visually-hidden" id="digit-hint">Choose a digit to see what else it could be, or to type it.</p>`}
    ${options.countMessage ? html`<p part="count" class="count-message">${options.countMessage}</p>` : nothing}
    ${detail.message ? html`<p class="message">${detail.message}</p>` : nothing}
    ${fallbackReason && detail.source === 'remote' ? html`<p class="source">${fallbackReason} The server read the digits instead.</p>` : nothing}
    ${options.open !== undefined && !noDigit ? alternativesPanel(detail, options.open, options) : nothing}
    ${
      noDigit
        ? nothing
        : html`<ol part="segments" class="segments" aria-label="Digits">
          ${digitSegments(detail).map(
            (segment, i) =>
              html`<li part="segment" class="segment ${segment.uncertain ? 'uncertain' : ''}">
                <canvas part="segment-input" class="segment-input" data-index=${segment.input} width=${DIGIT_SIDE} height=${DIGIT_SIDE} role="img" aria-label=${`Digit ${i + 1} as the model sees it`}></canvas>
                <span>
                  <span class="segment-digit">${segment.digit}</span>
                  <span class="segment-confidence">${detail.corrected?.includes(i) ? 'corrected' : segment.uncertain ? `not sure, ${formatPercent(segment.confidence)}` : formatPercent(segment.confidence)}</span>
                </span>
                ${bars(segment.probabilities, i + 1)}
              </li>`,
          )}
        </ol>`
    }
  </section>`;
}
