/**
 * Which classifier reads the prepared candidates: on the device (WebGL) or on the server, by `mode`.
 * In `auto`, the device is tried first and anything that stops it (no WebGL, a model that does not
 * load, a lost GPU context) sends the candidates to the server instead. Either way the core's reader
 * chooses the digits from the same candidates with the same options, so both give the same answer.
 */
import { readPrepared, type InterpretOptions, type PreparedDigits, type RecognitionResult } from '../../model/core/index.js';
import { RecognizerError } from './errors.js';
import { isLocalClassifierLoaded, loadLocalClassifier } from './local-classifier.js';
import { RemoteReader } from './remote-classifier.js';

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
  result: RecognitionResult;
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

  async classify(prepared: PreparedDigits, options: InterpretOptions, config: EngineConfig, signal: AbortSignal): Promise<Classification> {
    let fallbackReason: string | undefined;
    if (config.mode !== 'remote') {
      if (config.mode === 'local' || !this.localFailure) {
        try {
          const local = await loadLocalClassifier(config.modelUrl, config.timeoutMs);
          signal.throwIfAborted();
          return { result: readPrepared(prepared, await local.predict(prepared.inputs), options), source: 'local' };
        } catch (error) {
          signal.throwIfAborted();
          const failure =
            error instanceof RecognizerError
              ? error
              : new RecognizerError(
                  'webgl-unavailable',
                  `Reading on this device failed: ${error instanceof Error ? error.message : String(error)}`,
                  false,
                  { cause: error },
                );
          if (config.mode === 'local') throw failure;
          this.localFailure = failure;
        }
      }
      fallbackReason = this.localFailure?.message;
    }
    const remote = new RemoteReader({ endpoint: config.endpoint, apiKey: config.apiKey, timeoutMs: config.timeoutMs, signal });
    const result = await remote.read(prepared, options);
    return { result, source: 'remote', ...(fallbackReason ? { fallbackReason } : {}) };
  }
}
