/**
 * Classification on the server: POSTs the already preprocessed 28x28 digits (a PixelsRequest) to
 * the endpoint and reads the probabilities back, so the server classifies exactly what this
 * device prepared. Every failure becomes a RecognizerError: unreachable, too slow, refused or an
 * answer that is not a prediction.
 */
import type { Classifier, ErrorResponse, PixelsRequest, PredictResponse } from '../../model/core/index.js';
import { RecognizerError } from './errors.js';

export interface RemoteOptions {
  endpoint: string;
  /** Sent as `Authorization: Bearer <apiKey>` when set. */
  apiKey?: string | undefined;
  timeoutMs: number;
  /** Aborts the request when the element starts a newer recognition. */
  signal?: AbortSignal | undefined;
}

/** Float32 values printed with 9 significant digits parse back to the identical float32: exact and short. */
function compact(input: Float32Array): number[] {
  return Array.from(input, (v) => (v === 0 ? 0 : Number(v.toPrecision(9))));
}

function isPrediction(body: unknown, count: number): body is PredictResponse {
  if (!body || typeof body !== 'object') return false;
  const segments = (body as PredictResponse).segments;
  return (
    Array.isArray(segments) &&
    segments.length === count &&
    segments.every((s) => Array.isArray(s?.probabilities) && s.probabilities.length === 10 && s.probabilities.every((p) => typeof p === 'number' && Number.isFinite(p)))
  );
}

async function errorMessage(response: Response): Promise<string> {
  try {
    const body = (await response.json()) as Partial<ErrorResponse>;
    if (typeof body.error?.message === 'string') return body.error.message;
  } catch {
    // Not JSON: the status line is all we have.
  }
  return response.statusText || `HTTP ${response.status}`;
}

export class RemoteClassifier implements Classifier {
  /** The server's model, from its last answer. */
  model: PredictResponse['model'] | undefined;

  constructor(private readonly options: RemoteOptions) {}

  async predict(inputs: readonly Float32Array[]): Promise<number[][]> {
    if (inputs.length === 0) return [];
    this.options.signal?.throwIfAborted();
    const { endpoint, apiKey, timeoutMs, signal } = this.options;
    const request: PixelsRequest = { pixels: inputs.length === 1 ? compact(inputs[0]!) : inputs.map(compact) };
    const headers: Record<string, string> = { 'Content-Type': 'application/json', Accept: 'application/json' };
    if (apiKey) headers.Authorization = `Bearer ${apiKey}`;

    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, timeoutMs);
    const forwardAbort = () => controller.abort(signal?.reason);
    signal?.addEventListener('abort', forwardAbort, { once: true });
    try {
      const response = await fetch(endpoint, { method: 'POST', headers, body: JSON.stringify(request), signal: controller.signal });
      if (!response.ok) {
        const message = await errorMessage(response);
        // 408, 429 and 5xx are passing conditions; anything else will fail the same way again.
        const retryable = response.status === 408 || response.status === 429 || response.status >= 500;
        throw new RecognizerError('server', `The server could not read the digits (${response.status}): ${message}`, retryable);
      }
      let body: unknown;
      try {
        body = await response.json();
      } catch (error) {
        if (controller.signal.aborted) throw error;
        throw new RecognizerError('server', 'The server answered with something that is not JSON.', true, { cause: error });
      }
      if (!isPrediction(body, inputs.length)) throw new RecognizerError('server', 'The server answered, but not with a prediction for these digits.', true);
      this.model = body.model;
      return body.segments.map((s) => s.probabilities);
    } catch (error) {
      if (error instanceof RecognizerError) throw error;
      if (timedOut) throw new RecognizerError('timeout', `The server did not answer within ${Math.round(timeoutMs / 1000)} s.`, true, { cause: error });
      if (signal?.aborted) throw signal.reason ?? error;
      throw new RecognizerError('network', 'Could not reach the recognition server. Check your connection and retry.', true, { cause: error });
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener('abort', forwardAbort);
    }
  }
}
