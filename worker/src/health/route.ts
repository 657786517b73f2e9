/** GET /healthz: liveness plus the model version, after making sure the model really loads. */
import { Hono } from 'hono';
import type { Bindings } from '../env.js';
import { getClassifier, modelInfo } from '../model.js';

export const health = new Hono<{ Bindings: Bindings }>();

health.get('/', async (c) => {
  await getClassifier();
  return c.json({ status: 'ok', model: modelInfo });
});
