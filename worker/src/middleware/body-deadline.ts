/**
 * The body deadline: a slow or endless upload gets 408 request_timeout once the deadline passes
 * without the whole body read (bodyLimit reads a chunked body itself, so the deadline wraps everything
 * after it). Once the input is read (`c.var.input` set), the timer no longer matters: recognition is
 * bounded by the CPU limit instead. Hono's timeout middleware would end the whole request, recognition
 * included, so this one watches the body only.
 */
import { createMiddleware } from 'hono/factory';
import type { Bindings } from '../env.js';
import { ApiError } from '../errors.js';
import { BODY_READ_TIMEOUT_MS } from '../limits.js';
import type { PredictInput } from '../predict/read-input.js';

/** BODY_TIMEOUT_SECONDS when set to a positive number, else BODY_READ_TIMEOUT_MS. */
function bodyTimeoutMs(env: Bindings | undefined): number {
  const seconds = Number(env?.BODY_TIMEOUT_SECONDS);
  return Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : BODY_READ_TIMEOUT_MS;
}

export const bodyDeadline = createMiddleware<{ Bindings: Bindings; Variables: { input: PredictInput } }>(async (c, next) => {
  const ms = bodyTimeoutMs(c.env);
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      if (c.get('input') === undefined)
        reject(new ApiError(408, 'request_timeout', `The request body did not arrive within ${ms / 1000} seconds.`));
    }, ms);
  });
  try {
    await Promise.race([next(), deadline]);
  } finally {
    clearTimeout(timer);
  }
});
