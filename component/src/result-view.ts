/**
 * The result as people see and hear it: the digits, how sure, where and how fast, and per digit
 * the picture the model saw with a probability bar for each class.
 */
import { html, nothing, type TemplateResult } from 'lit';
import { ref } from 'lit/directives/ref.js';
import { DIGIT_SIDE, digitSegments } from '../../model/core/index.js';

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
  if (detail.status === 'uncertain') return `Not sure. Best guess: ${digits}, ${formatPercent(detail.confidence)} sure. ${detail.message ?? ''} ${where}`.replace(/\s+/g, ' ');
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

export function resultTemplate(detail: DigitRecognizedDetail, fallbackReason: string | undefined): TemplateResult {
  const noDigit = detail.status === 'no-digit';
  return html`<section part="result" class="result ${noDigit ? 'no-digit' : ''}" aria-label="Result">
    <div class="summary">
      <!-- Not <output>: its implicit live region would announce the result a second time. -->
      <span part="digits" class="digits">${noDigit ? 'No digit found' : detail.text}</span>
      ${noDigit ? nothing : detail.status === 'uncertain' ? html`<span part="confidence" class="uncertain-label">Not sure (${formatPercent(detail.confidence)})</span>` : html`<span part="confidence">${formatPercent(detail.confidence)} sure</span>`}
      <span part="source" class="source" data-source=${detail.source}>${noDigit ? '' : `Read ${sourceLabel(detail.source)} · ${detail.durationMs} ms`}</span>
    </div>
    ${detail.message ? html`<p class="message">${detail.message}</p>` : nothing}
    ${fallbackReason && detail.source === 'remote' ? html`<p class="source">${fallbackReason} The server read the digits instead.</p>` : nothing}
    ${noDigit
      ? nothing
      : html`<ol part="segments" class="segments" aria-label="Digits">
          ${digitSegments(detail).map(
            (segment, i) =>
              html`<li part="segment" class="segment ${segment.uncertain ? 'uncertain' : ''}">
                <canvas part="segment-input" class="segment-input" data-index=${segment.input} width=${DIGIT_SIDE} height=${DIGIT_SIDE} role="img" aria-label=${`Digit ${i + 1} as the model sees it`}></canvas>
                <span>
                  <span class="segment-digit">${segment.digit}</span>
                  <span class="segment-confidence">${segment.uncertain ? `not sure, ${formatPercent(segment.confidence)}` : formatPercent(segment.confidence)}</span>
                </span>
                ${bars(segment.probabilities, i + 1)}
              </li>`,
          )}
        </ol>`}
  </section>`;
}
