import { noGrad } from '@fbt/autograd';
import {
  Activation,
  BatchNorm1d,
  BatchNorm2d,
  BinaryConv2d,
  BinaryLinear,
  Flatten,
  Sequential,
  exportBinary,
  loadBinary,
  saveBinary,
} from '@fbt/layers';
import { Rng, randn, sign, tidy, withBackend, type Tensor } from '@fbt/tensor';
import { decodeBase64 } from './idx-parse';

/** A small binary CNN on ±1 inputs `[N, 1, 6, 6]`: every binary layer takes the bit path (K = 9, 144, 10). */
export function binaryModel(seed: number): Sequential {
  const rng = new Rng(seed);
  return new Sequential(
    new BinaryConv2d(1, 4, 3, { rng, padding: 1, binaryInput: true }),
    new BatchNorm2d(4),
    new Activation('sign'),
    new Flatten(),
    new BinaryLinear(144, 10, { rng, binaryInput: true }),
    new BatchNorm1d(10),
    new Activation('sign'),
    new BinaryLinear(10, 3, { rng, binaryInput: true, bias: true }),
  );
}

/** The seeded ±1 batch the exported model runs on. */
function batch(): Tensor {
  return sign(randn([5, 1, 6, 6], new Rng(3)));
}

/** What Node hands the page: the exported model's safetensors (base64) and its output bits in Node. */
export interface BinaryModelFile {
  readonly base64: string;
  /** The trained model's eval-mode outputs on the batch, on `cpu` (the bit path). */
  readonly expected: number[];
}

/**
 * Node's side: `binaryModel(1)` after one training-mode call (so BatchNorm has statistics),
 * `exportBinary`, `saveBinary`; with its eval-mode outputs.
 */
export function binaryModelFile(): BinaryModelFile {
  return withBackend('cpu', () =>
    noGrad(() =>
      tidy(() => {
        const model = binaryModel(1);
        model.call(batch());
        model.eval();
        const bytes = saveBinary(exportBinary(model));
        let text = '';
        for (const byte of bytes) text += String.fromCharCode(byte);
        return { base64: btoa(text), expected: Array.from(model.call(batch()).dataSync()) };
      }),
    ),
  );
}

/** The exported model's outputs on one backend. */
export interface BinaryModelRun {
  readonly backend: string;
  readonly outputs: number[];
}

/** Loads the file into `exportBinary(binaryModel(99))` and runs it on the batch, on each of `backends`. */
export function runBinaryModel(base64: string, backends: readonly string[]): BinaryModelRun[] {
  const bytes = decodeBase64(base64);
  return backends.map((backend) =>
    withBackend(backend, () =>
      noGrad(() =>
        tidy(() => {
          const model = exportBinary(binaryModel(99));
          loadBinary(model, bytes);
          return { backend, outputs: Array.from(model.call(batch()).dataSync()) };
        }),
      ),
    ),
  );
}
