/**
 * Where the element finds its model by default, relative to its own script. The source names the
 * plain file; component/build.mjs replaces this path, for the script pages load, with the model's
 * content-hashed name (`./model/model-<hash>.json`, whose weights are `weights-<hash>.bin`): those
 * are served with `Cache-Control: immutable`, so a second visit reads without asking for them again,
 * and a new model is a new name, never a stale copy. `model-url` overrides it.
 */
export const DEFAULT_MODEL_PATH = './model/model.json';
