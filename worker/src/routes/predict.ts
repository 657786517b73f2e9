/** POST /predict: an image or preprocessed pixels in, the digits read out (PredictResponse). */
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { PredictResponse } from '../../../model/types.js';
import type { Bindings } from '../env.js';
import { ApiError } from '../errors.js';
import { MAX_BODY_BYTES } from '../limits.js';
import { getClassifier, modelInfo } from '../model.js';
import { predictInput } from '../predict-input.js';
import { recognizeInput } from '../recognize-input.js';

export const predict = new Hono<{ Bindings: Bindings }>();

predict.post(
  '/',
  bodyLimit({
    maxSize: MAX_BODY_BYTES,
    onError: () => {
      throw new ApiError(413, 'payload_too_large', `The body is larger than the ${MAX_BODY_BYTES / 1024 / 1024} MB limit.`);
    },
  }),
  predictInput,
  async (c) => {
    const classifier = await getClassifier();
    const result = await recognizeInput(c.var.input, classifier);
    return c.json({ ...result, model: modelInfo } satisfies PredictResponse);
  },
);
