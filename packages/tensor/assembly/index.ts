// The kernels of @fbt/tensor's wasm backend. Every pointer is a byte offset into this module's
// memory; tensor blocks come from `alloc`/`free`, work buffers are the kernels' own or, for the
// kernels a thread pool runs (see parallel.ts), the caller's.
export { alloc, free } from './memory';
export { gemm, gemmWorkspace } from './gemm';
export { binary, unary, stridedCopy, axpy, scale } from './elementwise';
export { rowStateBytes } from './plan';
// Operation codes, read by name on the JS side so the two cannot drift.
export { ADD, SUB, MUL, DIV, MIN, MAX, GT, GE, LT, LE, EQ, NE } from './elementwise';
export { NEG, ABS, SQRT, SQUARE, RELU, STEP, SIGN, RECIPROCAL } from './elementwise';
export { SUM, MAXIMUM, MINIMUM, SQUARED_DEVIATION } from './reduce';
export { reduce, reduceWorkspace } from './reduce';
export { softmax } from './softmax';
export { im2col, col2im, conv, convWorkspace, allFinite } from './conv';
export { CONV_FORWARD, CONV_INPUT_GRADIENT, CONV_FILTER_GRADIENT } from './conv';
export { maxPool, maxPoolBackward, avgPool, avgPoolBackward } from './pool';
export { peak } from './peak';
// Elementary functions imported by the modules that `mapExpr` compiles from expressions.
export { exp, log, tanh, pow } from './math';
export {
  packSigns,
  unpackSigns,
  binaryGemm,
  binaryGemmWorkspace,
  binaryPeak,
  binaryTilePairs,
  packIm2col,
} from './binary';
// The split every pool kernel uses, exported for the shares the pool's threads compute in JS.
export { shareStart } from './parallel';
