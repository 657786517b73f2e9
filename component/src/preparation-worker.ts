/**
 * The preparation worker: runs the recognition core's preprocessing and segmentation
 * (preparation.ts) off the page's main thread, so an image the core needs seconds for never freezes
 * the page. Built beside the element's script (component/build.mjs) and started by
 * preparation-thread.ts, which also says where it cannot start. Where no worker can start, the
 * element imports this same script as a module and calls `prepareOrFail` on the page's thread: the
 * worker's side of the protocol only starts inside a worker.
 */
import { RecognizerError } from './errors.js';
import type { PreparedDigits } from '../../model/core/index.js';
import { buffersOf, type PreparationFailure, type PrepareRequest, type WorkerMessage } from './preparation-protocol.js';
import { prepare, type PreparationOptions, type PreparationSource } from './preparation.js';

function failureOf(error: unknown): PreparationFailure {
  if (error instanceof RecognizerError) return { code: error.code, message: error.message, retryable: error.retryable };
  return { message: error instanceof Error ? error.message : String(error) };
}

/**
 * Prepares one image or drawing, as plain data either way: this script's RecognizerError is not the page's
 * class when the page imports it, so a failure travels as `{ code, message }`, as from the worker.
 */
export function prepareOrFail(
  source: PreparationSource,
  options: PreparationOptions,
): { digits: PreparedDigits } | { failure: PreparationFailure } {
  try {
    return { digits: prepare(source, options) };
  } catch (error) {
    return { failure: failureOf(error) };
  }
}

/** The parts of DedicatedWorkerGlobalScope used here (the project's TypeScript lib is the DOM's). */
interface WorkerScope {
  postMessage(message: WorkerMessage, transfer?: Transferable[]): void;
  addEventListener(type: 'message', listener: (event: MessageEvent<PrepareRequest>) => void): void;
}

declare const WorkerGlobalScope: (new () => unknown) | undefined;

if (typeof WorkerGlobalScope !== 'undefined' && self instanceof WorkerGlobalScope) {
  const scope = self as unknown as WorkerScope;
  scope.addEventListener('message', ({ data: { id, source, options } }) => {
    const prepared = prepareOrFail(source, options);
    if ('digits' in prepared) scope.postMessage({ type: 'prepared', id, digits: prepared.digits }, buffersOf(prepared.digits.inputs));
    else scope.postMessage({ type: 'failed', id, failure: prepared.failure });
  });
  scope.postMessage({ type: 'ready' });
}
