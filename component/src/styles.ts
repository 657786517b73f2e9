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
