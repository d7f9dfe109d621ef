import { manualSeed } from '@fbt/autograd';
import { SGD } from '@fbt/layers';
import { Rng, slice, withBackend } from '@fbt/tensor';
import type { RunSpec } from '../experiments/types';
import type { EpochMetrics } from '../results/records';
import { loadData, type TrainData } from './data';
import { buildModel } from './models';
import { objectiveFor } from './objective';
import { probeDirections } from './probe';
import { train } from './trainer';

/** Examples in the fixed batch the direction probe compares gradients on. */
const PROBE_BATCH = 256;

/**
 * Trains one run from its spec: data, model and shuffles all derive from the run's seed (and the
 * tape's generator, which draws the jamming values, is reseeded with it), so a rerun is identical.
 * The data are loaded (and cut to their subsets) on the active backend; the model is built and
 * trained with the run's backend active (it must be registered in this thread), which then moves
 * only the examples it uses. The active backend is restored afterwards.
 */
export async function trainRun(run: RunSpec, onEpoch: (m: EpochMetrics) => void): Promise<void> {
  const { settings } = run;
  const root = new Rng(run.seed);
  manualSeed(run.seed);
  const data = await loadData(settings.dataset, root.fork('data'));
  withBackend(run.backend, () => trainOn(run, data, root, onEpoch));
}

function trainOn(run: RunSpec, data: TrainData, root: Rng, onEpoch: (m: EpochMetrics) => void): void {
  const { settings } = run;
  const model = buildModel(settings, data.inputShape, data.numClasses, root.fork('init'));
  const objective = objectiveFor(settings.loss);
  const optimizer = new SGD(model.parameters(), {
    lr: settings.optimizer.lr,
    momentum: settings.optimizer.momentum,
  });
  let probe: undefined | ((m: typeof model) => ReturnType<typeof probeDirections>);
  if (settings.probe) {
    const count = Math.min(PROBE_BATCH, data.train.x.shape[0]!);
    const x = slice(
      data.train.x,
      data.train.x.shape.map(() => 0),
      [count, ...data.train.x.shape.slice(1)],
    );
    const y = slice(data.train.y, [0], [count]);
    probe = (m) => probeDirections(m, objective, x, y);
  }
  train(
    {
      model,
      objective,
      optimizer,
      train: data.train,
      test: data.test,
      epochs: settings.epochs,
      batchSize: settings.batchSize,
      shuffleSeed: root.fork('shuffle').nextUint32(),
      ...(probe === undefined ? {} : { probe }),
    },
    onEpoch,
  );
}
