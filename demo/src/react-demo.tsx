/**
 * <digit-recognizer> in React, as an ordinary custom element: React sets its properties (React 19
 * assigns props to a custom element's properties when it has them) and listens to its events with
 * addEventListener through a ref, which works in every React version.
 *
 * The page loads /digit-recognizer.js before this bundle, so the element is defined before React
 * renders it. Built by demo/build.mjs into /react-demo.js.
 */
import { StrictMode, useEffect, useRef, useState, type DetailedHTMLProps, type HTMLAttributes } from 'react';
import { createRoot } from 'react-dom/client';
import type { DigitRecognizer } from '../../component/src/digit-recognizer.js';
import type { RecognizerMode } from '../../component/src/engine.js';
import type { DigitRecognizedEvent } from '../../component/src/events.js';
import { describeSource, MODES, type Reading } from './readings.js';

declare module 'react' {
  // eslint-disable-next-line @typescript-eslint/no-namespace -- augments React's own JSX namespace, which only namespace syntax can do
  namespace JSX {
    interface IntrinsicElements {
      'digit-recognizer': DetailedHTMLProps<HTMLAttributes<DigitRecognizer>, DigitRecognizer> &
        Partial<Pick<DigitRecognizer, 'mode' | 'multiple' | 'autoPredict' | 'label' | 'name'>>;
    }
  }
}

function App() {
  const recognizer = useRef<DigitRecognizer>(null);
  const [mode, setMode] = useState<RecognizerMode>('auto');
  const [multiple, setMultiple] = useState(true);
  const [readings, setReadings] = useState<Reading[]>([]);

  useEffect(() => {
    const el = recognizer.current;
    if (!el) return;
    const onRecognized = ({ detail }: DigitRecognizedEvent) => {
      setReadings((previous) =>
        [
          {
            id: Date.now() + Math.random(),
            digits: detail.digits,
            status: detail.status,
            source: detail.source,
            durationMs: detail.durationMs,
          },
          ...previous,
        ].slice(0, 5),
      );
    };
    el.addEventListener('digit-recognized', onRecognized);
    return () => el.removeEventListener('digit-recognized', onRecognized);
  }, []);

  const latest = readings[0];
  return (
    <div className="example-grid">
      <section className="panel" aria-labelledby="pad-title">
        <h2 id="pad-title">The element</h2>
        <div className="options">
          <label>
            Where to read{' '}
            <select value={mode} onChange={(event) => setMode(event.target.value as RecognizerMode)}>
              {MODES.map(({ value, label }) => (
                <option key={value} value={value}>
                  {label}
                </option>
              ))}
            </select>
          </label>
          <label>
            <input type="checkbox" checked={multiple} onChange={(event) => setMultiple(event.target.checked)} /> Read a whole number
          </label>
        </div>
        <digit-recognizer ref={recognizer} mode={mode} multiple={multiple} label="Drawing area (React example)" />
      </section>
      <section className="panel" aria-labelledby="state-title">
        <h2 id="state-title">React state</h2>
        <p className="latest-label">
          Last number, from the <code>digit-recognized</code> event:
        </p>
        <output className="latest" data-testid="latest">
          {latest ? latest.digits || 'no digit' : '–'}
        </output>
        <p className="latest-source" data-testid="latest-source">
          {latest ? describeSource(latest) : 'Draw or upload a number.'}
        </p>
        {readings.length > 1 && (
          <>
            <h3>Before that</h3>
            <ol className="history">
              {readings.slice(1).map((reading) => (
                <li key={reading.id}>
                  <strong>{reading.digits || 'no digit'}</strong> {describeSource(reading)}
                </li>
              ))}
            </ol>
          </>
        )}
      </section>
    </div>
  );
}

createRoot(document.getElementById('app')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
