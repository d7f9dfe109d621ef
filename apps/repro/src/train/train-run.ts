import { Adam, SGD, type Module, type Optimizer } from '@fbt/layers';
import { Rng, slice, withBackend, type Tensor } from '@fbt/tensor';
import type { OptimizerSpec, RunSpec } from '../experiments/types';
import type { EpochMetrics, RunMeasurements } from '../results/records';
import { disposeData, loadData, type TrainData } from './data';
import { bitLayers, measureInference } from './inference';
import { buildModel } from './models';
import { objectiveFor } from './objective';
import { probeDirections } from './probe';
import { train } from './trainer';

/** Examples in the fixed batch the direction probe compares gradients on. */
const PROBE_BATCH = 256;

/**
 * Trains one run from its spec: data, model and shuffles all derive from the run's seed (and the
 * tape's generator, which draws the jamming values, is reseeded with it before training), so a
 * rerun is identical.
 * The data are loaded (and cut to their subsets) on the active backend; the model is built and
 * trained with the run's backend active (it must be registered in this thread), which then moves
 * only the examples it uses. The active backend is restored afterwards.
 * Returns what was measured besides the metrics, for the run's record: after the last epoch, a
 * model with layers on bits has its inference timed on the test split (`measureInference`).
 */
export async function trainRun(run: RunSpec, onEpoch: (m: EpochMetrics) => void): Promise<RunMeasurements> {
  const { settings } = run;
  const root = new Rng(run.seed);
  const data = await loadData(settings.dataset, root.fork('data'));
  try {
    return withBackend(run.backend, () => trainOn(run, data, root, onEpoch));
  } finally {
    disposeData(data);
  }
}

/** `measureInference` of a trained model against its float twin (the same parameters, loaded). */
function inferenceOf(model: Module, run: RunSpec, data: TrainData): RunMeasurements {
  const float = buildModel(run.settings, data.inputShape, data.numClasses, new Rng(run.seed), {
    bitPath: false,
  });
  try {
    float.loadStateDict(model.stateDict());
    return { inference: measureInference(model, float, data.test) };
  } finally {
    float.dispose();
  }
}

function trainOn(
  run: RunSpec,
  data: TrainData,
  root: Rng,
  onEpoch: (m: EpochMetrics) => void,
): RunMeasurements {
  const { settings } = run;
  const model = buildModel(settings, data.inputShape, data.numClasses, root.fork('init'));
  const objective = objectiveFor(settings.loss);
  const optimizer = optimizerFor(settings.optimizer, model.parameters());
  const probeBatch = settings.probe ? firstExamples(data, PROBE_BATCH) : null;
  try {
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
        seed: run.seed,
        ...(probeBatch === null
          ? {}
          : { probe: (m: Module) => probeDirections(m, objective, probeBatch.x, probeBatch.y) }),
      },
      onEpoch,
    );
    return bitLayers(model).length === 0 ? {} : inferenceOf(model, run, data);
  } finally {
    // The run's tensors live outside any tidy (parameters, optimizer state, the probe batch): free
    // them now, so a worker training run after run does not hold every earlier model's memory.
    model.dispose();
    optimizer.dispose();
    probeBatch?.x.dispose();
    probeBatch?.y.dispose();
  }
}

/** The optimizer of a spec over `params`: SGD with its momentum, or Adam with PyTorch's defaults but the learning rate. */
export function optimizerFor(spec: OptimizerSpec, params: Tensor[]): Optimizer {
  return spec.name === 'sgd'
    ? new SGD(params, { lr: spec.lr, momentum: spec.momentum })
    : new Adam(params, { lr: spec.lr });
}

/** The first `count` training examples (all of them when there are fewer). */
function firstExamples(data: TrainData, count: number): { x: Tensor; y: Tensor } {
  const n = Math.min(count, data.train.x.shape[0]!);
  const { x, y } = data.train;
  return {
    x: slice(
      x,
      x.shape.map(() => 0),
      [n, ...x.shape.slice(1)],
    ),
    y: slice(y, [0], [n]),
  };
}
