/** POST /predict: an image or preprocessed pixels in, the digits read out (PredictResponse). */
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { createMiddleware } from 'hono/factory';
import { validator } from 'hono/validator';
import type { PredictResponse } from '../../../model/core/index.js';
import { accessControl } from '../access.js';
import type { Bindings } from '../env.js';
import { ApiError } from '../errors.js';
import { BODY_READ_TIMEOUT_MS, MAX_BODY_BYTES } from '../limits.js';
import { getClassifier, modelInfo } from '../model.js';
import { predictInput, type PredictInput } from '../predict-input.js';
import { recognizeInput } from '../recognize-input.js';

export const predict = new Hono<{ Bindings: Bindings }>();

/** `?single=true`: the image shows one digit, so it is never split into several (e.g. a broken 5). */
const options = validator('query', (query) => {
  const single = query.single;
  if (single === undefined || single === 'false') return { single: false };
  if (single === 'true' || single === '') return { single: true };
  throw new ApiError(400, 'invalid_request', `Query parameter "single" must be true or false, not ${JSON.stringify(single)}.`);
});

/** The body deadline: BODY_TIMEOUT_SECONDS when set to a positive number, else BODY_READ_TIMEOUT_MS. */
function bodyTimeoutMs(env: Bindings | undefined): number {
  const seconds = Number(env?.BODY_TIMEOUT_SECONDS);
  return Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : BODY_READ_TIMEOUT_MS;
}

/**
 * A slow or endless upload gets 408 request_timeout once the deadline passes without the whole body
 * read (bodyLimit reads a chunked body itself, so the deadline wraps everything after it). Once the
 * input is read, the timer no longer matters: recognition is bounded by the CPU limit instead.
 */
const bodyDeadline = createMiddleware<{ Bindings: Bindings; Variables: { input: PredictInput } }>(async (c, next) => {
  const ms = bodyTimeoutMs(c.env);
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      if (c.get('input') === undefined) reject(new ApiError(408, 'request_timeout', `The request body did not arrive within ${ms / 1000} seconds.`));
    }, ms);
  });
  try {
    await Promise.race([next(), deadline]);
  } finally {
    clearTimeout(timer);
  }
});

predict.post(
  '/',
  // API key and rate limit (both off unless configured), before the body is read.
  accessControl,
  bodyDeadline,
  bodyLimit({
    maxSize: MAX_BODY_BYTES,
    onError: () => {
      throw new ApiError(413, 'payload_too_large', `The body is larger than the ${MAX_BODY_BYTES / 1024 / 1024} MB limit.`);
    },
  }),
  options,
  predictInput,
  async (c) => {
    const classifier = await getClassifier();
    const result = await recognizeInput(c.var.input, classifier, c.req.valid('query'));
    return c.json({ ...result, model: modelInfo } satisfies PredictResponse);
  },
);
