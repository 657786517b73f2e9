/** What the framework examples keep of each `digit-recognized` event, and how they word it. */
import type { DigitRecognizedDetail, RecognizerMode } from '../../component/src/index.js';

export interface Reading {
  id: number;
  digits: string;
  status: DigitRecognizedDetail['status'];
  source: DigitRecognizedDetail['source'];
  durationMs: number;
}

/** The element's `mode` values, for the examples' "where to read" menu. */
export const MODES: { value: RecognizerMode; label: string }[] = [
  { value: 'auto', label: 'On this device, else the server (auto)' },
  { value: 'local', label: 'On this device only (local)' },
  { value: 'remote', label: 'On the server only (remote)' },
];

export function describeSource(reading: Reading): string {
  const where = reading.source === 'local' ? 'on this device' : 'by the server';
  const sure = reading.status === 'uncertain' ? ' (not sure)' : '';
  return `read ${where} in ${reading.durationMs} ms${sure}`;
}
