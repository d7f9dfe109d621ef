import { exprHelpers, type ExprHelper } from '@fbt/tensor';

/**
 * The helper functions added to every kernel of a device, as source text (so that bundlers cannot
 * rewrite them before gpu.js parses them), float32 numbers in and out: exact integer division and
 * the gpu spellings of the expression language's built-ins
 * (`exprHelpers('gpu')`, from `EXPR_FUNCTION_TABLE`), which the elementwise kernels call too.
 */
export const HELPER_FUNCTIONS: readonly ExprHelper[] = [
  {
    // floor(a / b) for non-negative integers a, b held in floats; exact where a float divide may round
    // 21 / 7 to 2.9999998.
    name: 'fbtIdiv',
    args: ['a', 'b'],
    source: `function fbtIdiv(a, b) {
  let q = Math.floor((a + 0.5) / b);
  const r = a - q * b;
  if (r < 0) { q = q - 1; }
  if (r >= b) { q = q + 1; }
  return q;
}`,
  },
  ...exprHelpers('gpu'),
];
