/**
 * The tfjs backend the worker runs on: the pure-JS CPU backend (see README for the measured choice).
 * Production mode skips tfjs' debug checks (NaN scans of every kernel output).
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';

export async function useBackend(): Promise<string> {
  tf.enableProdMode();
  if (!(await tf.setBackend('cpu'))) throw new Error('the tfjs cpu backend failed to initialize');
  await tf.ready();
  return tf.getBackend();
}
