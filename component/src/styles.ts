import { css } from 'lit';

/**
 * Colours meet WCAG AA contrast on the default white paper (text 4.5:1, borders and focus 3:1).
 * Every colour and size a page may want to theme is a custom property.
 */
export const styles = css`
  :host {
    --digit-recognizer-text: #1f2328;
    --digit-recognizer-muted: #57606a;
    --digit-recognizer-paper: #ffffff;
    --digit-recognizer-ink: #111111;
    --digit-recognizer-accent: #0a58ca;
    --digit-recognizer-accent-text: #ffffff;
    --digit-recognizer-border: #6e7781;
    --digit-recognizer-track: #e6eaef;
    --digit-recognizer-warning: #8a5300;
    --digit-recognizer-error: #b42318;
    --digit-recognizer-focus-ring: #0a58ca;
    --digit-recognizer-radius: 8px;
    --digit-recognizer-aspect-ratio: 2 / 1;

    display: block;
    color: var(--digit-recognizer-text);
    font: inherit;
    line-height: 1.4;
  }
  :host([multiple='false']) {
    --digit-recognizer-aspect-ratio: 1 / 1;
  }
  :host([hidden]) {
    display: none;
  }
  *,
  *::before,
  *::after {
    box-sizing: border-box;
  }
  [hidden] {
    display: none !important;
  }
  .base {
    display: grid;
    gap: 0.75rem;
  }
  .instructions {
    margin: 0;
    color: var(--digit-recognizer-muted);
    font-size: 0.9em;
  }
  .stage {
    position: relative;
    aspect-ratio: var(--digit-recognizer-aspect-ratio);
    width: 100%;
    background: var(--digit-recognizer-paper);
    border: 2px solid var(--digit-recognizer-border);
    border-radius: var(--digit-recognizer-radius);
    overflow: hidden;
    /* Touch draws instead of scrolling or zooming the page. */
    touch-action: none;
    user-select: none;
    -webkit-user-select: none;
    cursor: crosshair;
  }
  .stage.image {
    cursor: default;
  }
  /* Where touch does not draw (pointer-types without touch), a finger scrolls and zooms the page. */
  .stage.scrolls,
  .cells.scrolls .cell {
    touch-action: manipulation;
  }
  .stage.dragging {
    border-style: dashed;
    border-color: var(--digit-recognizer-accent);
  }
  .stage canvas {
    position: absolute;
    inset: 0;
    width: 100%;
    height: 100%;
  }
  .ink {
    color: var(--digit-recognizer-ink);
  }
  .overlay {
    pointer-events: none;
  }
  .placeholder {
    position: absolute;
    inset: 0;
    display: grid;
    place-items: center;
    color: var(--digit-recognizer-muted);
    pointer-events: none;
    font-size: 1.1em;
  }
  :focus-visible {
    outline: 3px solid var(--digit-recognizer-focus-ring);
    outline-offset: 2px;
  }
  /* Boxes like a one-time-code field's: one digit in each, the current one in the accent colour. */
  .cells {
    display: flex;
    flex-wrap: wrap;
    gap: 0.5rem;
  }
  /* At least 44 px wide (a finger's target), growing to 72 px; a row wraps only when 44 px boxes do not fit. */
  .cell {
    flex: 1 1 2.75rem;
    max-width: 4.5rem;
    position: relative;
    aspect-ratio: 3 / 4;
    background: var(--digit-recognizer-paper);
    border: 2px solid var(--digit-recognizer-border);
    border-radius: var(--digit-recognizer-radius);
    overflow: hidden;
    touch-action: none;
    user-select: none;
    -webkit-user-select: none;
    cursor: crosshair;
  }
  /* The box being written in, as a one-time-code field shows its focused box. */
  .cells:focus-within .cell.current {
    border-color: var(--digit-recognizer-accent);
    box-shadow: 0 0 0 1px var(--digit-recognizer-accent);
  }
  .cell canvas {
    position: absolute;
    inset: 0;
    width: 100%;
    height: 100%;
    color: var(--digit-recognizer-ink);
  }
  /* A guide where the digit sits, as printed boxes have. */
  .cell::after {
    content: '';
    position: absolute;
    inset: auto 18% 14% 18%;
    border-bottom: 1px dashed var(--digit-recognizer-track);
    pointer-events: none;
  }
  .controls {
    display: flex;
    flex-wrap: wrap;
    gap: 0.5rem;
  }
  button {
    font: inherit;
    min-height: 44px;
    padding: 0.5rem 1rem;
    border-radius: var(--digit-recognizer-radius);
    border: 1px solid var(--digit-recognizer-border);
    background: var(--digit-recognizer-paper);
    color: var(--digit-recognizer-text);
    cursor: pointer;
  }
  button.primary {
    background: var(--digit-recognizer-accent);
    border-color: var(--digit-recognizer-accent);
    color: var(--digit-recognizer-accent-text);
  }
  button:disabled {
    cursor: not-allowed;
    opacity: 0.6;
  }
  .status {
    min-height: 1.4em;
    color: var(--digit-recognizer-muted);
  }
  .busy::before {
    content: '';
    display: inline-block;
    width: 0.9em;
    height: 0.9em;
    margin-inline-end: 0.4em;
    vertical-align: -0.1em;
    border: 2px solid currentColor;
    border-right-color: transparent;
    border-radius: 50%;
    animation: spin 0.8s linear infinite;
  }
  @keyframes spin {
    to {
      transform: rotate(1turn);
    }
  }
  @media (prefers-reduced-motion: reduce) {
    .busy::before {
      animation: none;
    }
  }
  .error {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 0.5rem;
    color: var(--digit-recognizer-error);
    border: 1px solid var(--digit-recognizer-error);
    border-radius: var(--digit-recognizer-radius);
    padding: 0.5rem 0.75rem;
  }
  .error p {
    margin: 0;
    flex: 1 1 12rem;
  }
  .result {
    display: grid;
    gap: 0.5rem;
  }
  .summary {
    display: flex;
    flex-wrap: wrap;
    align-items: baseline;
    gap: 0.25rem 1rem;
  }
  .digits {
    font-size: 2.5em;
    font-weight: 700;
    letter-spacing: 0.08em;
    font-variant-numeric: tabular-nums;
  }
  .no-digit .digits {
    font-size: 1.2em;
    letter-spacing: normal;
  }
  /* Each digit read is a button that opens its alternatives: it looks like the digit, underlined. */
  button.digit {
    display: inline-block;
    min-height: 0;
    min-width: 0.9em;
    padding: 0 0.04em;
    margin: 0 0.02em;
    border: 0;
    border-bottom: 3px solid var(--digit-recognizer-track);
    border-radius: 4px 4px 0 0;
    background: transparent;
    color: inherit;
    font: inherit;
    letter-spacing: inherit;
    line-height: 1.15;
  }
  button.digit:hover {
    background: var(--digit-recognizer-track);
  }
  button.digit.uncertain {
    border-bottom: 3px dashed var(--digit-recognizer-warning);
    color: var(--digit-recognizer-warning);
  }
  button.digit.corrected {
    border-bottom-color: var(--digit-recognizer-accent);
  }
  button.digit[aria-expanded='true'] {
    background: var(--digit-recognizer-track);
    border-bottom-color: var(--digit-recognizer-accent);
  }
  .empty-place {
    display: inline-block;
    width: 0.7em;
    height: 0.9em;
    margin: 0 0.06em;
    vertical-align: -0.05em;
    border-bottom: 3px solid var(--digit-recognizer-border);
  }
  .alternatives {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 0.5rem 0.75rem;
    padding: 0.75rem;
    border: 1px solid var(--digit-recognizer-border);
    border-radius: var(--digit-recognizer-radius);
    background: var(--digit-recognizer-paper);
  }
  .alternatives-title {
    flex: 1 0 100%;
    margin: 0;
    font-weight: 600;
  }
  .alternative-list {
    display: flex;
    flex-wrap: wrap;
    gap: 0.5rem;
    margin: 0;
    padding: 0;
    list-style: none;
  }
  button.alternative {
    display: grid;
    justify-items: center;
    min-width: 3.25rem;
    padding: 0.25rem 0.6rem;
    line-height: 1.2;
  }
  button.alternative.current {
    border-width: 2px;
    border-color: var(--digit-recognizer-accent);
  }
  .alternative-digit {
    font-size: 1.4em;
    font-weight: 700;
    font-variant-numeric: tabular-nums;
  }
  .alternative-probability {
    font-size: 0.8em;
    color: var(--digit-recognizer-muted);
  }
  .type-digit {
    display: inline-flex;
    align-items: center;
    gap: 0.5rem;
    color: var(--digit-recognizer-muted);
  }
  .type-digit-input {
    width: 3rem;
    min-height: 44px;
    font: inherit;
    font-size: 1.3em;
    font-weight: 700;
    text-align: center;
    color: var(--digit-recognizer-text);
    background: var(--digit-recognizer-paper);
    border: 1px solid var(--digit-recognizer-border);
    border-radius: var(--digit-recognizer-radius);
  }
  .count-message {
    margin: 0;
    color: var(--digit-recognizer-warning);
    font-weight: 600;
  }
  .uncertain-label {
    color: var(--digit-recognizer-warning);
    font-weight: 600;
  }
  .source {
    color: var(--digit-recognizer-muted);
    font-size: 0.9em;
  }
  .message {
    margin: 0;
  }
  .segments {
    display: flex;
    flex-wrap: wrap;
    gap: 0.75rem;
    margin: 0;
    padding: 0;
    list-style: none;
  }
  .segment {
    display: grid;
    grid-template-columns: auto auto;
    gap: 0.25rem 0.5rem;
    align-items: center;
    padding: 0.5rem;
    border: 1px solid var(--digit-recognizer-border);
    border-radius: var(--digit-recognizer-radius);
  }
  .segment.uncertain {
    border: 2px dashed var(--digit-recognizer-warning);
  }
  .segment canvas {
    width: 56px;
    height: 56px;
    image-rendering: pixelated;
    background: #000;
    border-radius: 4px;
  }
  .segment-digit {
    font-size: 1.6em;
    font-weight: 700;
  }
  .segment-confidence {
    font-size: 0.85em;
    color: var(--digit-recognizer-muted);
  }
  .bars {
    grid-column: 1 / -1;
    display: grid;
    grid-template-columns: repeat(10, 1fr);
    gap: 2px;
    margin: 0;
    padding: 0;
    list-style: none;
  }
  .bar {
    display: grid;
    grid-template-rows: 32px auto;
    justify-items: center;
    font-size: 0.75em;
    color: var(--digit-recognizer-muted);
  }
  .bar-track {
    position: relative;
    width: 10px;
    height: 32px;
    background: var(--digit-recognizer-track);
    border-radius: 2px;
    overflow: hidden;
  }
  .bar-fill {
    position: absolute;
    inset: auto 0 0 0;
    height: calc(var(--p) * 100%);
    background: var(--digit-recognizer-accent);
  }
  .bar.top {
    color: var(--digit-recognizer-text);
    font-weight: 700;
  }
  .visually-hidden {
    position: absolute;
    width: 1px;
    height: 1px;
    margin: -1px;
    padding: 0;
    overflow: hidden;
    clip: rect(0 0 0 0);
    white-space: nowrap;
    border: 0;
  }
`;
