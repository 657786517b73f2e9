/** POST /predict: an image or preprocessed pixels in, the digits read out (PredictResponse). */
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { validator } from 'hono/validator';
import type { PredictResponse } from '../../../model/core/index.js';
import type { Bindings } from '../env.js';
import { ApiError, quote } from '../errors.js';
import { MAX_BODY_BYTES } from '../limits.js';
import { accessControl } from '../middleware/access.js';
import { bodyDeadline } from '../middleware/body-deadline.js';
import { getClassifier, modelInfo } from '../model.js';
import { predictInput } from './read-input.js';
import { recognizeInput } from './recognize.js';

export const predict = new Hono<{ Bindings: Bindings }>();

/** `?single=true`: the image shows one digit, so it is never split into several (e.g. a broken 5). */
const options = validator('query', (query) => {
  const single = query.single;
  if (single === undefined || single === 'false') return { single: false };
  if (single === 'true' || single === '') return { single: true };
  throw new ApiError(400, 'invalid_request', `Query parameter "single" must be true or false, not ${quote(single)}.`);
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
