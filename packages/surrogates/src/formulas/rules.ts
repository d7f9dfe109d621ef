import type { ParamConstraint, ParamSpec } from './params';

/** Name of the fresh random input a stochastic rule reads: `u` ~ U[0,1) or `n` ~ N(0,1), per element. */
export type RuleDraw = 'uniform' | 'normal';

/** The gradient transforms that need a reduction over the whole gradient, implemented with tensor ops. */
export type RuleReduction = 'clipNorm' | 'centralize';

/**
 * How a rule computes the gradient passed down from the upstream gradient g and the pre-activation z:
 * - `factor`: g·ψ, with ψ an expression over `z`, the parameters, `u` (when `draw` is `uniform`) and
 *   `dphi`, which stands for the forward activation's exact derivative φ'(z);
 * - `map`: an expression over `g`, `z`, the parameters and the draw (`u` or `n`, when `draw` is set);
 * - `reduction`: a transform needing a reduction, implemented by tensor ops (see `reductions.ts`).
 */
export type RuleForm =
  | { readonly kind: 'factor'; readonly psi: string }
  | { readonly kind: 'map'; readonly grad: string }
  | { readonly kind: 'reduction'; readonly reduction: RuleReduction };

/** Where a rule comes from, used to group the docs' table. */
export type RuleFamily = 'paper' | 'direction' | 'transform' | 'surrogate' | 'user';

/** One backward rule of the formula table. */
export interface RuleEntry {
  /** Registry name. */
  readonly name: string;
  /** Other names that resolve to this entry. */
  readonly aliases: readonly string[];
  /** Parameters with defaults and ranges. */
  readonly params: readonly ParamSpec[];
  /** Conditions between parameters. */
  readonly constraints?: readonly ParamConstraint[];
  /** ψ(z) (for factor rules) or the transformed gradient, in LaTeX. */
  readonly latex: string;
  /** The formula in the expression language, or the reduction that implements it. */
  readonly form: RuleForm;
  /** The random input the rule reads, fresh per element and per backward call. */
  readonly draw?: RuleDraw;
  /** Grouping for the docs. */
  readonly family: RuleFamily;
  /** One line on the rule and where it comes from. */
  readonly doc: string;
}

const interval = (a: number, b: number): ParamSpec[] => [
  { name: 'a', default: a, doc: 'left end of the window' },
  { name: 'b', default: b, doc: 'right end of the window' },
];
const ordered: ParamConstraint[] = [{ expr: 'a < b', text: 'a < b' }];
const positive = (name: string, value: number, doc: string): ParamSpec => ({
  name,
  default: value,
  min: 0,
  exclusiveMin: true,
  doc,
});

/**
 * The built-in backward rules. Sources for the surrogates: SuperSpike (Zenke & Ganguli 2018) for
 * `fastSigmoid`, SpikingJelly for `sigmoidSurrogate`, `atan`, `erf`, `piecewiseQuadratic`,
 * Bi-Real Net (Liu et al. 2018) for `approxSign`, BNN+ (Darabi et al. 2019) for `swishSign`.
 * Each ψ is written so that it cannot overflow to NaN for any finite z.
 */
export const RULES: readonly RuleEntry[] = [
  {
    name: 'tied',
    aliases: ['exact'],
    params: [],
    latex: String.raw`\psi(z) = \varphi'(z)`,
    form: { kind: 'factor', psi: 'dphi' },
    family: 'paper',
    doc: 'Ordinary backpropagation: the forward activation’s exact derivative.',
  },
  {
    name: 'constant',
    aliases: ['ste', 'straightThrough'],
    params: [{ name: 'c', default: 1, doc: 'the constant factor' }],
    latex: String.raw`\psi(z) = c`,
    form: { kind: 'factor', psi: 'c' },
    family: 'paper',
    doc: 'Passes g·c whatever z is (c = 1: the straight-through estimator).',
  },
  {
    name: 'rectangular',
    aliases: ['rect', 'boxcar'],
    params: interval(-0.5, 0.5),
    constraints: ordered,
    latex: String.raw`\psi(z) = \mathbb{1}[a \le z \le b]`,
    form: { kind: 'factor', psi: '(z >= a && z <= b ? 1 : 0)' },
    family: 'paper',
    doc: 'A window: 1 inside [a, b] (ends included), 0 outside.',
  },
  {
    name: 'triangular',
    aliases: ['triangle'],
    params: [positive('w', 1, 'half-width of the base')],
    latex: String.raw`\psi(z) = \max\!\bigl(0,\ 1 - |z|/w\bigr)`,
    form: { kind: 'factor', psi: 'max(0, 1 - abs(z) / w)' },
    family: 'paper',
    doc: 'A triangle of height 1 at z = 0 and base [−w, w].',
  },
  {
    name: 'fullJam',
    aliases: ['jam'],
    params: [],
    latex: String.raw`\psi(z) = u,\ u \sim \mathcal{U}[0,1)`,
    form: { kind: 'factor', psi: 'u' },
    draw: 'uniform',
    family: 'paper',
    doc: 'Jamming: a fresh uniform draw per element and per backward call, ignoring z.',
  },
  {
    name: 'positiveJam',
    aliases: [],
    params: [],
    latex: String.raw`\psi(z) = u\,\mathbb{1}[z \ge 0],\ u \sim \mathcal{U}[0,1)`,
    form: { kind: 'factor', psi: '(z >= 0 ? u : 0)' },
    draw: 'uniform',
    family: 'paper',
    doc: 'Jamming where z ≥ 0, exactly 0 where z < 0.',
  },
  {
    name: 'rectangularJam',
    aliases: ['rectJam'],
    params: interval(-5, 5),
    constraints: ordered,
    latex: String.raw`\psi(z) = u\,\mathbb{1}[a \le z \le b],\ u \sim \mathcal{U}[0,1)`,
    form: { kind: 'factor', psi: '(z >= a && z <= b ? u : 0)' },
    draw: 'uniform',
    family: 'paper',
    doc: 'Jamming inside the window [a, b], 0 outside.',
  },
  {
    name: 'support',
    aliases: [],
    params: [],
    latex: String.raw`\psi(z) = \mathbb{1}[\varphi'(z) \ne 0]`,
    form: { kind: 'factor', psi: '(abs(dphi) > 0 ? 1 : 0)' },
    family: 'direction',
    doc: 'Keeps where the tied gradient flows, drops its magnitude.',
  },
  {
    name: 'scale',
    aliases: [],
    params: [{ name: 's', default: 1, doc: 'the factor' }],
    latex: String.raw`g \mapsto s\,g`,
    form: { kind: 'map', grad: 'g * s' },
    family: 'transform',
    doc: 'Multiplies the incoming gradient by s.',
  },
  {
    name: 'noise',
    aliases: [],
    params: [{ name: 'sigma', default: 0.1, min: 0, doc: 'standard deviation of the added noise' }],
    latex: String.raw`g \mapsto g + \sigma n,\ n \sim \mathcal{N}(0,1)`,
    form: { kind: 'map', grad: 'g + sigma * n' },
    draw: 'normal',
    family: 'transform',
    doc: 'Adds Gaussian noise, fresh per element and per backward call.',
  },
  {
    name: 'clipNorm',
    aliases: [],
    params: [positive('max', 1, 'largest allowed L2 norm')],
    latex: String.raw`g \mapsto g \cdot \min\!\bigl(1,\ \mathrm{max} / \lVert g \rVert_2\bigr)`,
    form: { kind: 'reduction', reduction: 'clipNorm' },
    family: 'transform',
    doc: 'Rescales the whole gradient tensor so its L2 norm is at most max.',
  },
  {
    name: 'centralize',
    aliases: [],
    params: [],
    latex: String.raw`g \mapsto g - \operatorname{mean}(g)`,
    form: { kind: 'reduction', reduction: 'centralize' },
    family: 'transform',
    doc: 'Subtracts the mean per example (over every axis but the first; over all elements for rank ≤ 1).',
  },
  {
    name: 'sigmoidSurrogate',
    aliases: ['sigmoidSg'],
    params: [positive('alpha', 4, 'steepness')],
    latex: String.raw`\psi(z) = \alpha\,\sigma(\alpha z)\,(1 - \sigma(\alpha z))`,
    form: { kind: 'factor', psi: 'alpha * exp(-abs(alpha * z)) / pow(1 + exp(-abs(alpha * z)), 2)' },
    family: 'surrogate',
    doc: 'Derivative of σ(αz) (SpikingJelly’s Sigmoid surrogate); peak α/4 at 0.',
  },
  {
    name: 'fastSigmoid',
    aliases: ['superSpike'],
    params: [positive('k', 25, 'slope')],
    latex: String.raw`\psi(z) = \frac{1}{(1 + k|z|)^2}`,
    form: { kind: 'factor', psi: '1 / pow(1 + k * abs(z), 2)' },
    family: 'surrogate',
    doc: 'SuperSpike’s fast sigmoid (snnTorch’s fast_sigmoid); peak 1 at 0.',
  },
  {
    name: 'atan',
    aliases: ['arctan'],
    params: [positive('alpha', 2, 'steepness')],
    latex: String.raw`\psi(z) = \frac{\alpha/2}{1 + (\pi \alpha z / 2)^2}`,
    form: { kind: 'factor', psi: '(alpha / 2) / (1 + (PI * alpha * z / 2) * (PI * alpha * z / 2))' },
    family: 'surrogate',
    doc: 'Derivative of ½ + arctan(παz/2)/π (SpikingJelly’s ATan); peak α/2 at 0.',
  },
  {
    name: 'erf',
    aliases: [],
    params: [positive('alpha', 2, 'steepness')],
    latex: String.raw`\psi(z) = \frac{\alpha}{\sqrt{\pi}}\,e^{-\alpha^2 z^2}`,
    form: { kind: 'factor', psi: 'alpha / sqrt(PI) * exp(-(alpha * z) * (alpha * z))' },
    family: 'surrogate',
    doc: 'Derivative of ½·erfc(−αz) (SpikingJelly’s Erf), a Gaussian; peak α/√π at 0.',
  },
  {
    name: 'piecewiseQuadratic',
    aliases: [],
    params: [positive('alpha', 1, 'inverse half-width')],
    latex: String.raw`\psi(z) = \max\!\bigl(0,\ \alpha - \alpha^2 |z|\bigr)`,
    form: { kind: 'factor', psi: 'max(0, alpha - alpha * alpha * abs(z))' },
    family: 'surrogate',
    doc: 'Derivative of SpikingJelly’s PiecewiseQuadratic: a triangle of height α on [−1/α, 1/α].',
  },
  {
    name: 'clippedSte',
    aliases: ['hardtanhSte'],
    params: [positive('clip', 1, 'half-width of the pass band')],
    latex: String.raw`\psi(z) = \mathbb{1}[|z| \le \mathrm{clip}]`,
    form: { kind: 'factor', psi: '(abs(z) <= clip ? 1 : 0)' },
    family: 'surrogate',
    doc: 'Straight-through estimator cancelled outside |z| ≤ clip (BinaryNet).',
  },
  {
    name: 'approxSign',
    aliases: [],
    params: [],
    latex: String.raw`\psi(z) = (2 - 2|z|)\,\mathbb{1}[|z| \le 1]`,
    form: { kind: 'factor', psi: '(abs(z) <= 1 ? 2 - 2 * abs(z) : 0)' },
    family: 'surrogate',
    doc: 'Bi-Real Net’s ApproxSign: derivative of a piecewise quadratic sign.',
  },
  {
    name: 'swishSign',
    aliases: ['signSwish'],
    params: [positive('beta', 5, 'steepness')],
    latex: String.raw`\psi(z) = \frac{\beta\,\bigl(2 - \beta z \tanh(\beta z / 2)\bigr)}{2\cosh^2(\beta z / 2)}`,
    form: {
      kind: 'factor',
      psi: '2 * beta * (2 - beta * z * tanh(beta * z / 2)) * exp(-beta * abs(z)) / pow(1 + exp(-beta * abs(z)), 2)',
    },
    family: 'surrogate',
    doc: 'Derivative of BNN+’s SignSwish 2σ(βz)(1 + βz(1 − σ(βz))) − 1; peak β at 0.',
  },
];
