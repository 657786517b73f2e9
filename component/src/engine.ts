/**
 * Which classifier reads the digits: on the device (WebGL) or on the server, by `mode`.
 * In `auto`, the device is tried first and anything that stops it (no WebGL, a model that does not
 * load, a lost GPU context) sends the digits to the server instead.
 */
import { RecognizerError } from './errors.js';
import { isLocalClassifierLoaded, loadLocalClassifier } from './local-classifier.js';
import { RemoteClassifier } from './remote-classifier.js';

export type RecognizerMode = 'auto' | 'local' | 'remote';
export type RecognitionSource = 'local' | 'remote';

export interface EngineConfig {
  mode: RecognizerMode;
  modelUrl: string;
  endpoint: string;
  apiKey?: string | undefined;
  timeoutMs: number;
}

export interface Classification {
  probabilities: number[][];
  source: RecognitionSource;
  /** Why the device was not used in `auto` mode, when it was not. */
  fallbackReason?: string;
}

export class Engine {
  /** In auto mode, the first local failure: later recognitions go straight to the server. */
  private localFailure: RecognizerError | undefined;

  /** Whether the next classification first has to load tfjs and the model (worth telling the user). */
  needsLoading(config: EngineConfig): boolean {
    return config.mode !== 'remote' && !this.localFailure && !isLocalClassifierLoaded(config.modelUrl);
  }

  /** Starts loading the on-device model early (e.g. when the user starts drawing); never throws. */
  preload(config: EngineConfig): void {
    if (config.mode === 'remote' || this.localFailure) return;
    loadLocalClassifier(config.modelUrl, config.timeoutMs).catch(() => {
      // Reported when a recognition needs it.
    });
  }

  async classify(inputs: Float32Array[], config: EngineConfig, signal: AbortSignal): Promise<Classification> {
    let fallbackReason: string | undefined;
    if (config.mode !== 'remote') {
      if (config.mode === 'local' || !this.localFailure) {
        try {
          const local = await loadLocalClassifier(config.modelUrl, config.timeoutMs);
          signal.throwIfAborted();
          return { probabilities: await local.predict(inputs), source: 'local' };
        } catch (error) {
          signal.throwIfAborted();
          const failure = error instanceof RecognizerError ? error : new RecognizerError('webgl-unavailable', `Reading on this device failed: ${error instanceof Error ? error.message : String(error)}`, false, { cause: error });
          if (config.mode === 'local') throw failure;
          this.localFailure = failure;
        }
      }
      fallbackReason = this.localFailure?.message;
    }
    const remote = new RemoteClassifier({ endpoint: config.endpoint, apiKey: config.apiKey, timeoutMs: config.timeoutMs, signal });
    const probabilities = await remote.predict(inputs);
    return { probabilities, source: 'remote', ...(fallbackReason ? { fallbackReason } : {}) };
  }
}
