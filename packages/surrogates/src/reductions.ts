import { div, mean, minimum, mul, sqrt, sub, sum, type Tensor } from '@fbt/tensor';
import type { RuleReduction } from './formulas/rules';
import type { Params } from './resolve-params';

/**
 * The gradient transforms that need a reduction, written with tensor ops so they run on every
 * backend; the table entries `clipNorm` and `centralize` point here.
 */
export const REDUCTIONS: Readonly<Record<RuleReduction, (g: Tensor, params: Params) => Tensor>> = {
  /**
   * g·min(1, max/‖g‖₂) over the whole tensor. A zero gradient stays zero (max/0 = ∞ → factor 1).
   */
  clipNorm: (g, params) => mul(g, minimum(div(params['max']!, sqrt(sum(mul(g, g)))), 1)),
  /** g − mean(g) per example: over every axis but the first, or over all elements for rank ≤ 1. */
  centralize: (g) => {
    const axes = g.rank >= 2 ? Array.from({ length: g.rank - 1 }, (_, i) => i + 1) : undefined;
    return sub(g, mean(g, axes, true));
  },
};
