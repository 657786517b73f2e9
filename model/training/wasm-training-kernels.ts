/**
 * Makes the WASM backend fast enough to train conv nets in Node:
 * - `Conv2DBackpropFilter` (missing in tfjs-backend-wasm) and `Conv2DBackpropInput` (present but a
 *   naive loop, ~5x slower than the forward conv) rebuilt from the backend's XNNPACK forward conv;
 * - the FusedBatchNorm gradient without its `tile` of the whole activation (broadcasting suffices).
 * Proven against the CPU backend in model/test/wasm-training-kernels.test.ts.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { KernelConfig, NamedTensorInfoMap, TensorInfo } from '@tensorflow/tfjs-core';

interface ConvGradAttrs {
  strides: [number, number] | number;
  pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
  dataFormat: 'NHWC' | 'NCHW';
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
  filterShape?: [number, number, number, number];
  inputShape?: [number, number, number, number];
}

/** Runs another registered wasm kernel directly on backend data, bypassing the engine's bookkeeping. */
function run(name: string, backend: tf.KernelBackend, inputs: NamedTensorInfoMap, attrs: object): TensorInfo {
  const kernel = tf.getKernel(name, 'wasm');
  if (!kernel) throw new Error(`wasm backend has no ${name} kernel`);
  return kernel.kernelFunc({ inputs, backend, attrs: attrs as tf.NamedAttrMap }) as TensorInfo;
}

/** Pads (positive amounts) and crops (negative amounts) rows and columns of an NHWC tensor. */
function padOrCrop(
  backend: tf.KernelBackend,
  x: TensorInfo,
  top: number,
  bottom: number,
  left: number,
  right: number,
  temporaries: TensorInfo[],
): TensorInfo {
  let out = x;
  if (top > 0 || bottom > 0 || left > 0 || right > 0) {
    out = run(
      'PadV2',
      backend,
      { x: out },
      {
        paddings: [
          [0, 0],
          [Math.max(top, 0), Math.max(bottom, 0)],
          [Math.max(left, 0), Math.max(right, 0)],
          [0, 0],
        ],
        constantValue: 0,
      },
    );
    temporaries.push(out);
  }
  if (top < 0 || bottom < 0 || left < 0 || right < 0) {
    const [n, h, w, c] = out.shape;
    out = run(
      'Slice',
      backend,
      { x: out },
      {
        begin: [0, Math.max(-top, 0), Math.max(-left, 0), 0],
        size: [n, h! - Math.max(-top, 0) - Math.max(-bottom, 0), w! - Math.max(-left, 0) - Math.max(-right, 0), c],
      },
    );
    temporaries.push(out);
  }
  return out;
}

function checkFormat(attrs: ConvGradAttrs, name: string): void {
  if (attrs.dataFormat === 'NCHW') throw new Error(`${name} (wasm): only NHWC is supported`);
}

/**
 * dW[fh,fw,ci,co] = sum_{n,oh,ow} x[n, oh*s+fh-top, ow*s+fw-left, ci] * dy[n,oh,ow,co]:
 * a valid conv of x^T [ci,H,W,n] with dy^T [oh,ow,n,co] as the filter, dilated by the stride.
 */
export const wasmConv2DBackpropFilter: KernelConfig = {
  kernelName: tf.Conv2DBackpropFilter,
  backendName: 'wasm',
  kernelFunc: ({ inputs, backend: kernelBackend, attrs }) => {
    const backend = kernelBackend as tf.KernelBackend;
    const { x, dy } = inputs as unknown as { x: TensorInfo; dy: TensorInfo };
    const a = attrs as unknown as ConvGradAttrs;
    checkFormat(a, 'Conv2DBackpropFilter');
    const info = tf.backend_util.computeConv2DInfo(
      x.shape as [number, number, number, number],
      a.filterShape!,
      a.strides,
      1,
      a.pad,
      a.dimRoundingMode,
    );
    const { filterHeight, filterWidth, strideHeight, strideWidth, outHeight, outWidth } = info;
    const { top, left } = info.padInfo;
    const neededHeight = filterHeight + (outHeight - 1) * strideHeight;
    const neededWidth = filterWidth + (outWidth - 1) * strideWidth;
    const temporaries: TensorInfo[] = [];
    const input = padOrCrop(backend, x, top, neededHeight - top - x.shape[1]!, left, neededWidth - left - x.shape[2]!, temporaries);
    const xT = run('Transpose', backend, { x: input }, { perm: [3, 1, 2, 0] });
    const dyT = run('Transpose', backend, { x: dy }, { perm: [1, 2, 0, 3] });
    const dwT = run(
      'Conv2D',
      backend,
      { x: xT, filter: dyT },
      { strides: [1, 1], pad: 'valid', dataFormat: 'NHWC', dilations: [strideHeight, strideWidth] },
    );
    temporaries.push(xT, dyT, dwT);
    const dw = run('Transpose', backend, { x: dwT }, { perm: [1, 2, 0, 3] });
    for (const t of temporaries) backend.disposeData(t.dataId);
    return dw;
  },
};

/**
 * dx = correlation of dy, dilated by the stride (zeros between rows/columns) and padded by
 * (filter - 1 - pad), with the filter rotated 180 degrees and its in/out channels swapped.
 */
export const wasmConv2DBackpropInput: KernelConfig = {
  kernelName: tf.Conv2DBackpropInput,
  backendName: 'wasm',
  kernelFunc: ({ inputs, backend: kernelBackend, attrs }) => {
    const backend = kernelBackend as tf.KernelBackend;
    const { dy, filter } = inputs as unknown as { dy: TensorInfo; filter: TensorInfo };
    const a = attrs as unknown as ConvGradAttrs;
    checkFormat(a, 'Conv2DBackpropInput');
    const inputShape = a.inputShape!;
    const info = tf.backend_util.computeConv2DInfo(
      inputShape,
      filter.shape as [number, number, number, number],
      a.strides,
      1,
      a.pad,
      a.dimRoundingMode,
    );
    const { filterHeight, filterWidth, strideHeight, strideWidth, outHeight, outWidth, inChannels, outChannels } = info;
    const { top, left } = info.padInfo;
    const [n, height, width] = inputShape;
    const temporaries: TensorInfo[] = [];
    let grad = dy;
    if (strideHeight > 1 || strideWidth > 1) {
      // [n,oh,ow,c] -> [n,oh,1,ow,1,c] -> pad to [n,oh,sh,ow,sw,c] -> [n,oh*sh,ow*sw,c], then trim the trailing zeros.
      const expanded = run('Reshape', backend, { x: grad }, { shape: [n, outHeight, 1, outWidth, 1, outChannels] });
      const spread = run(
        'PadV2',
        backend,
        { x: expanded },
        {
          paddings: [
            [0, 0],
            [0, 0],
            [0, strideHeight - 1],
            [0, 0],
            [0, strideWidth - 1],
            [0, 0],
          ],
          constantValue: 0,
        },
      );
      const flat = run('Reshape', backend, { x: spread }, { shape: [n, outHeight * strideHeight, outWidth * strideWidth, outChannels] });
      grad = run(
        'Slice',
        backend,
        { x: flat },
        { begin: [0, 0, 0, 0], size: [n, (outHeight - 1) * strideHeight + 1, (outWidth - 1) * strideWidth + 1, outChannels] },
      );
      temporaries.push(expanded, spread, flat, grad);
    }
    const padTop = filterHeight - 1 - top;
    const padLeft = filterWidth - 1 - left;
    const padded = padOrCrop(
      backend,
      grad,
      padTop,
      height + filterHeight - 1 - padTop - grad.shape[1]!,
      padLeft,
      width + filterWidth - 1 - padLeft - grad.shape[2]!,
      temporaries,
    );
    const reversed = run('Reverse', backend, { x: filter }, { dims: [0, 1] });
    const swapped = run('Transpose', backend, { x: reversed }, { perm: [0, 1, 3, 2] });
    temporaries.push(reversed, swapped);
    const dx = run(
      'Conv2D',
      backend,
      { x: padded, filter: swapped },
      { strides: [1, 1], pad: 'valid', dataFormat: 'NHWC', dilations: [1, 1] },
    );
    for (const t of temporaries) backend.disposeData(t.dataId);
    if (dx.shape[3] !== inChannels) throw new Error('Conv2DBackpropInput (wasm): channel mismatch');
    return dx;
  },
};

/** The FusedBatchNorm gradient of tfjs-core, with broadcasting in place of `tile`. */
export const fusedBatchNormGradient: tf.GradConfig = {
  kernelName: tf.FusedBatchNorm,
  inputsToSave: ['x', 'mean', 'variance', 'scale'],
  gradFunc: (dy, saved, attrs) => {
    const { varianceEpsilon } = attrs as unknown as { varianceEpsilon: number };
    const [x, mean, variance, scale] = saved as [tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor | undefined];
    const dyT = dy as tf.Tensor;
    const scaleValue = scale ?? tf.scalar(1);
    const reductionAxes = tf.backend_util.getReductionAxes(mean.shape, x.shape);
    const reduce = (t: tf.Tensor) => tf.reshape(mean.rank === 1 ? tf.sum(t, reductionAxes) : t, mean.shape);
    const oneOverSqrtVariance = tf.rsqrt(tf.add(variance, tf.scalar(varianceEpsilon)));
    const dyTimesScale = tf.mul(dyT, scaleValue);
    return {
      x: () => tf.reshape(tf.mul(dyTimesScale, oneOverSqrtVariance), x.shape),
      mean: () => reduce(tf.mul(tf.neg(oneOverSqrtVariance), dyTimesScale)),
      variance: () => reduce(tf.mul(tf.mul(tf.mul(tf.pow(oneOverSqrtVariance, 3), tf.scalar(-0.5)), tf.sub(x, mean)), dyTimesScale)),
      scale: () => reduce(tf.mul(dyT, tf.mul(tf.sub(x, mean), oneOverSqrtVariance))),
      offset: () => reduce(dyT),
    };
  },
};

let registered = false;

/** Registers the training kernels and gradient once. */
export function registerWasmTrainingKernels(): void {
  if (registered) return;
  registered = true;
  for (const config of [wasmConv2DBackpropFilter, wasmConv2DBackpropInput]) {
    if (tf.getKernel(config.kernelName, 'wasm')) tf.unregisterKernel(config.kernelName, 'wasm');
    tf.registerKernel(config);
  }
  if (tf.getGradient(tf.FusedBatchNorm)) tf.unregisterGradient(tf.FusedBatchNorm);
  tf.registerGradient(fusedBatchNormGradient);
}
