/**
 * The preparation worker: runs the recognition core's preprocessing and segmentation (reading.ts
 * `prepare`) off the page's main thread, so an image the core needs seconds for never freezes the
 * page. Built beside the element's script (component/build.mjs) and started by
 * preparation-thread.ts, which also says where it cannot start.
 */
import { RecognizerError } from './errors.js';
import { buffersOf, type PreparationFailure, type PrepareRequest, type WorkerMessage } from './preparation-protocol.js';
import { prepare } from './reading.js';

/** The parts of DedicatedWorkerGlobalScope used here (the project's TypeScript lib is the DOM's). */
const scope = self as unknown as {
  postMessage(message: WorkerMessage, transfer?: Transferable[]): void;
  addEventListener(type: 'message', listener: (event: MessageEvent<PrepareRequest>) => void): void;
};

function failureOf(error: unknown): PreparationFailure {
  if (error instanceof RecognizerError) return { code: error.code, message: error.message, retryable: error.retryable };
  return { message: error instanceof Error ? error.message : String(error) };
}

scope.addEventListener('message', ({ data: { id, image, options } }) => {
  try {
    const digits = prepare(image, options);
    scope.postMessage({ type: 'prepared', id, digits }, buffersOf(digits.inputs));
  } catch (error) {
    scope.postMessage({ type: 'failed', id, failure: failureOf(error) });
  }
});

scope.postMessage({ type: 'ready' });
