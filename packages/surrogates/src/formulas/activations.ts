import type { ParamConstraint, ParamSpec } from './params';
import { tensorOpFormulas } from './tensor-op';

/**
 * One forward activation φ of the formula table. `expr` and `derivative` are strings in the
 * `mapExpr` language over `z` and the parameter names; every backend compiles them into its kernels
 * and the plain-JS evaluator compiles the same strings, so each formula exists exactly once.
 */
export interface ActivationEntry {
  /** Registry name. */
  readonly name: string;
  /** Other names that resolve to this entry. */
  readonly aliases: readonly string[];
  /** Parameters with defaults and ranges. */
  readonly params: readonly ParamSpec[];
  /** Conditions between parameters. */
  readonly constraints?: readonly ParamConstraint[];
  /** φ(z) in LaTeX, for the docs. */
  readonly latex: string;
  /** φ'(z) in LaTeX, for the docs. */
  readonly derivativeLatex: string;
  /** φ(z) in the expression language. */
  readonly expr: string;
  /** The exact derivative φ'(z) in the expression language (the value `tied` uses). */
  readonly derivative: string;
  /** One line on the activation and its conventions. */
  readonly doc: string;
}

const alpha = (defaultValue: number, doc: string): ParamSpec => ({
  name: 'alpha',
  default: defaultValue,
  min: 0,
  doc,
});

/**
 * The built-in forward activations. Conventions: H(0)=1, sign(0)=+1; at a kink the derivative takes
 * PyTorch's one-sided choice (relu'(0)=0, hardtanh'(±1)=0). `pow` only ever gets a non-negative base,
 * since some GPU languages leave `pow` of a negative base undefined. `relu`, `logistic`, `tanh`,
 * `heaviside` and `sign` are @fbt/tensor's ops of those names: their formulas come from its table.
 */
export const ACTIVATIONS: readonly ActivationEntry[] = [
  {
    name: 'linear',
    aliases: ['identity'],
    params: [],
    latex: String.raw`z`,
    derivativeLatex: String.raw`1`,
    expr: 'z',
    derivative: '1',
    doc: 'Identity.',
  },
  {
    name: 'relu',
    aliases: [],
    params: [],
    latex: String.raw`\max(0, z)`,
    derivativeLatex: String.raw`\mathbb{1}[z > 0]`,
    ...tensorOpFormulas('relu'),
    doc: "Rectified linear unit (the tensor op `relu`); relu'(0) = 0.",
  },
  {
    name: 'relu6',
    aliases: [],
    params: [],
    latex: String.raw`\min(\max(0, z), 6)`,
    derivativeLatex: String.raw`\mathbb{1}[0 < z < 6]`,
    expr: 'min(max(z, 0), 6)',
    derivative: '(z > 0 && z < 6 ? 1 : 0)',
    doc: 'ReLU clipped at 6.',
  },
  {
    name: 'leakyRelu',
    aliases: ['leaky_relu'],
    params: [alpha(0.01, 'slope for z ≤ 0')],
    latex: String.raw`\begin{cases} z & z > 0 \\ \alpha z & z \le 0 \end{cases}`,
    derivativeLatex: String.raw`\begin{cases} 1 & z > 0 \\ \alpha & z \le 0 \end{cases}`,
    expr: '(z > 0 ? z : alpha * z)',
    derivative: '(z > 0 ? 1 : alpha)',
    doc: 'Leaky ReLU.',
  },
  {
    name: 'elu',
    aliases: [],
    params: [alpha(1, 'saturation value −α for z → −∞')],
    latex: String.raw`\begin{cases} z & z > 0 \\ \alpha (e^{z} - 1) & z \le 0 \end{cases}`,
    derivativeLatex: String.raw`\begin{cases} 1 & z > 0 \\ \alpha e^{z} & z \le 0 \end{cases}`,
    expr: '(z > 0 ? z : alpha * (exp(z) - 1))',
    derivative: '(z > 0 ? 1 : alpha * exp(z))',
    doc: 'Exponential linear unit.',
  },
  {
    name: 'logistic',
    aliases: ['sigmoid'],
    params: [],
    latex: String.raw`\sigma(z) = \frac{1}{1 + e^{-z}}`,
    derivativeLatex: String.raw`\sigma(z)\,(1 - \sigma(z)) = \frac{e^{-|z|}}{(1 + e^{-|z|})^2}`,
    ...tensorOpFormulas('sigmoid'),
    doc: 'Logistic sigmoid (the tensor op `sigmoid`); the derivative is written in |z| so it never overflows.',
  },
  {
    name: 'tanh',
    aliases: [],
    params: [],
    latex: String.raw`\tanh z`,
    derivativeLatex: String.raw`1 - \tanh^2 z`,
    ...tensorOpFormulas('tanh'),
    doc: 'Hyperbolic tangent (the tensor op `tanh`).',
  },
  {
    name: 'hardtanh',
    aliases: [],
    params: [],
    latex: String.raw`\min(\max(z, -1), 1)`,
    derivativeLatex: String.raw`\mathbb{1}[-1 < z < 1]`,
    expr: 'min(max(z, -1), 1)',
    derivative: '(z > -1 && z < 1 ? 1 : 0)',
    doc: 'Hard tanh: z clipped to [−1, 1].',
  },
  {
    name: 'softplus',
    aliases: [],
    params: [],
    latex: String.raw`\log(1 + e^{z}) = \max(z, 0) + \log(1 + e^{-|z|})`,
    derivativeLatex: String.raw`\sigma(z)`,
    expr: 'max(z, 0) + log(1 + exp(-abs(z)))',
    derivative: '1 / (1 + exp(-z))',
    doc: 'Softplus in the stable form that never overflows.',
  },
  {
    name: 'silu',
    aliases: ['swish'],
    params: [],
    latex: String.raw`z\,\sigma(z)`,
    derivativeLatex: String.raw`\sigma(z)\,\bigl(1 + z\,(1 - \sigma(z))\bigr)`,
    expr: 'z / (1 + exp(-z))',
    derivative: '(1 / (1 + exp(-z))) * (1 + z * (1 - 1 / (1 + exp(-z))))',
    doc: 'Sigmoid-weighted linear unit (swish with β = 1).',
  },
  {
    name: 'gelu',
    aliases: [],
    params: [],
    latex: String.raw`\tfrac{z}{2}\bigl(1 + \operatorname{erf}(z/\sqrt{2})\bigr)`,
    derivativeLatex: String.raw`\tfrac{1}{2}\bigl(1 + \operatorname{erf}(z/\sqrt{2})\bigr) + \frac{z\,e^{-z^2/2}}{\sqrt{2\pi}}`,
    expr: '0.5 * z * (1 + erf(z / sqrt(2)))',
    derivative: '0.5 * (1 + erf(z / sqrt(2))) + z * exp(-0.5 * z * z) / sqrt(2 * PI)',
    doc: 'Gaussian error linear unit, exact (erf) form.',
  },
  {
    name: 'heaviside',
    aliases: ['step'],
    params: [],
    latex: String.raw`H(z) = \mathbb{1}[z \ge 0]`,
    derivativeLatex: String.raw`0 \text{ (a.e.)}`,
    ...tensorOpFormulas('step'),
    doc: 'Heaviside step with H(0) = 1 and H(NaN) = NaN (the tensor op `step`); its derivative is 0 almost everywhere.',
  },
  {
    name: 'sign',
    aliases: [],
    params: [],
    latex: String.raw`\operatorname{sign}(z) = \begin{cases} 1 & z \ge 0 \\ -1 & z < 0 \end{cases}`,
    derivativeLatex: String.raw`0 \text{ (a.e.)}`,
    ...tensorOpFormulas('sign'),
    doc: 'Sign with sign(±0) = +1 and sign(NaN) = NaN (the tensor op `sign`); its derivative is 0 almost everywhere.',
  },
  {
    name: 'staircase',
    aliases: ['quantize'],
    params: [
      { name: 'levels', default: 4, min: 2, integer: true, doc: 'number of output values (2 = a step at ½)' },
    ],
    latex: String.raw`\frac{\lfloor (L-1)\,\operatorname{clip}(z, 0, 1) + \tfrac12 \rfloor}{L-1}`,
    derivativeLatex: String.raw`0 \text{ (a.e.)}`,
    expr: 'floor((levels - 1) * min(max(z, 0), 1) + 0.5) / (levels - 1)',
    derivative: '0',
    doc: 'Uniform quantizer on [0, 1] with L levels 0, 1/(L−1), …, 1 (rounds half up).',
  },
];
