import { backward, manualSeed } from '@fbt/autograd';
import { DataLoader, trainTestSplit, twoMoons } from '@fbt/datasets';
import { Activation, Linear, SGD, Sequential, accuracy, crossEntropy } from '@fbt/layers';
import { Rng, engine, tidy, withBackend } from '@fbt/tensor';

/** The settings of the seeded two-moons run. */
export interface TrainingSettings {
  /** Seed of the data, the split, the initial weights, the batch order and the jamming draws. */
  readonly seed: number;
  /** Points in the two-moons set. */
  readonly points: number;
  /** Fraction of the points held out for the test accuracy. */
  readonly testFraction: number;
  /** Standard deviation of the noise on every coordinate. */
  readonly noise: number;
  /** Width of the two hidden layers. */
  readonly hidden: number;
  /** Rows per SGD step. */
  readonly batchSize: number;
  /** Passes over the training rows. */
  readonly epochs: number;
  /** SGD learning rate. */
  readonly lr: number;
  /** SGD momentum. */
  readonly momentum: number;
}

/** The run both the page and Node train: 2 → 16 → 16 → 2, 80 SGD steps of 30 points. */
export const TRAINING: TrainingSettings = {
  seed: 7,
  points: 400,
  testFraction: 0.25,
  noise: 0.1,
  hidden: 16,
  batchSize: 30,
  epochs: 8,
  lr: 0.2,
  momentum: 0.9,
};

/** What one training run produced. */
export interface TrainingRun {
  /** The backend it ran on. */
  readonly backend: string;
  /** The minibatch cross-entropy of every step, before the update. */
  readonly losses: number[];
  /** Fraction of the held-out points classified correctly after training. */
  readonly accuracy: number;
}

function network(settings: TrainingSettings, rng: Rng): Sequential {
  const { hidden } = settings;
  return new Sequential(
    new Linear(2, hidden, { rng }),
    new Activation('heaviside', 'rectangular'),
    new Linear(hidden, hidden, { rng }),
    new Activation('tanh', 'fullJam'),
    new Linear(hidden, 2, { rng }),
  );
}

/**
 * Trains an MLP with decoupled backward passes on seeded two moons with momentum SGD on backend
 * `backendName`. Hidden layer 1 is Heaviside forward with the rectangular surrogate backward;
 * hidden layer 2 is tanh forward with jamming backward (ψ = u ~ U[0, 1) from the tape's generator,
 * reseeded here). Layer 2 is continuous on purpose: behind two Heaviside layers the loss would be
 * blind to last-bit differences in the kernels, so backends that round differently would still
 * agree exactly. Everything random comes from `settings.seed`, so a backend gives the same losses
 * wherever its kernels round the same way.
 *
 * @example
 * const { losses, accuracy } = await trainTwoMoons('cpu');
 */
export async function trainTwoMoons(backendName: string, settings = TRAINING): Promise<TrainingRun> {
  await engine().findBackend(backendName).ready();
  return withBackend(backendName, () =>
    tidy(() => {
      manualSeed(settings.seed);
      const rng = new Rng(settings.seed);
      const points = twoMoons({ n: settings.points, noise: settings.noise, rng: rng.fork('data') });
      const { train, test } = trainTestSplit(points.x, points.y, {
        testFraction: settings.testFraction,
        rng: rng.fork('split'),
      });
      const model = network(settings, rng.fork('weights'));
      const optimizer = new SGD(model.parameters(), { lr: settings.lr, momentum: settings.momentum });
      const loader = new DataLoader(train.x, train.y, {
        batchSize: settings.batchSize,
        shuffle: true,
        rng: rng.fork('batches'),
      });
      const losses: number[] = [];
      model.train();
      for (let epoch = 0; epoch < settings.epochs; epoch++) {
        for (const batch of loader.epoch(epoch)) {
          tidy(() => {
            const loss = crossEntropy(model.call(batch.x), batch.y);
            losses.push(loss.dataSync()[0]!);
            optimizer.zeroGrad();
            backward(loss);
            optimizer.step();
          });
        }
      }
      model.eval();
      return { backend: backendName, losses, accuracy: accuracy(model.call(test.x), test.y) };
    }),
  );
}
