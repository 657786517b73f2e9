/**
 * Reading on the server: POSTs the candidates this device prepared (their 28x28 pixels, boxes and
 * lattice: a PixelsRequest) to the endpoint and takes back the server's reading, so the server reads
 * exactly what this device prepared, the way this device would. Every failure becomes a
 * RecognizerError: unreachable, too slow, refused or an answer that is not a reading.
 */
import {
  DIGIT_CLASSES,
  type ErrorResponse,
  type InterpretOptions,
  type PixelsRequest,
  type PredictResponse,
  type PreparedDigits,
  type RecognitionResult,
} from '../../model/core/index.js';
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

/** Whether an answer is a reading of these candidates: digits whose inputs are among them, each with its probabilities. */
function isPrediction(body: unknown, candidates: number): body is PredictResponse {
  if (!body || typeof body !== 'object') return false;
  const { segments, digits, text } = body as PredictResponse;
  if (!Array.isArray(segments) || typeof digits !== 'string' || typeof text !== 'string') return false;
  const read = segments.filter((s) => s?.kind === 'digit');
  return (
    read.length === digits.length &&
    segments.every((s) => s && typeof s === 'object' && ['digit', 'separator', 'empty'].includes(s.kind)) &&
    read.every(
      (s) =>
        Number.isInteger(s.input) &&
        s.input >= 0 &&
        s.input < candidates &&
        Array.isArray(s.probabilities) &&
        s.probabilities.length === DIGIT_CLASSES &&
        s.probabilities.every((p) => typeof p === 'number' && Number.isFinite(p)),
    )
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

export class RemoteReader {
  /** The server's model, from its last answer. */
  model: PredictResponse['model'] | undefined;

  constructor(private readonly options: RemoteOptions) {}

  async read(prepared: PreparedDigits, reading: InterpretOptions = {}): Promise<RecognitionResult> {
    const { inputs } = prepared;
    this.options.signal?.throwIfAborted();
    const { endpoint, apiKey, timeoutMs, signal } = this.options;
    const request: PixelsRequest = {
      pixels: inputs.map(compact),
      boxes: prepared.boxes,
      ...(prepared.lattice ? { lattice: prepared.lattice } : {}),
      options: {
        ...(reading.confidenceThreshold !== undefined ? { confidenceThreshold: reading.confidenceThreshold } : {}),
        ...(reading.minDigits !== undefined ? { minDigits: reading.minDigits } : {}),
        ...(reading.maxDigits !== undefined ? { maxDigits: reading.maxDigits } : {}),
      },
    };
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
      if (!isPrediction(body, inputs.length))
        throw new RecognizerError('server', 'The server answered, but not with a reading of these digits.', true);
      const { model, ...result } = body;
      this.model = model;
      return result;
    } catch (error) {
      if (error instanceof RecognizerError) throw error;
      if (timedOut)
        throw new RecognizerError('timeout', `The server did not answer within ${Math.round(timeoutMs / 1000)} s.`, true, { cause: error });
      if (signal?.aborted) throw signal.reason ?? error;
      throw new RecognizerError('network', 'Could not reach the recognition server. Check your connection and retry.', true, {
        cause: error,
      });
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener('abort', forwardAbort);
    }
  }
}
