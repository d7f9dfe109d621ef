import { z } from 'zod';
import { TIERS } from '../experiments/types';
import { PATH_SEGMENT } from './layout';

const nonFiniteLoss = z.enum(['NaN', 'Infinity', '-Infinity']);
const loss = z.union([z.number(), nonFiniteLoss]);

/** A layer on bits as `InferenceTiming.bitLayers` names it: `5: BinaryLinear 256→256`. */
const BIT_LAYER = /^[\w.]+: BinaryLinear \d+→\d+$/;

/**
 * The parts of a `config.json` the report relies on. Loose: fields it does not read may differ
 * between versions of the app.
 */
export const runRecordShape = z.looseObject({
  run: z.looseObject({
    experiment: z.string().regex(PATH_SEGMENT),
    config: z.string().regex(PATH_SEGMENT),
    seed: z.int().min(0),
    tier: z.enum(TIERS),
    backend: z.string(),
    settings: z.looseObject({
      model: z.looseObject({ kind: z.string() }),
      dataset: z.looseObject({ name: z.string() }),
      forward: z.string(),
      rule: z.looseObject({ name: z.string() }),
      epochs: z.int().min(0),
      batchSize: z.int().min(1),
    }),
  }),
  environment: z.looseObject({ backend: z.string(), packages: z.record(z.string(), z.string()) }),
  inference: z
    .object({
      images: z.int().min(1),
      floatMs: z.number().positive(),
      packedMs: z.number().positive(),
      speedUp: z.number().positive(),
      outputsEqual: z.boolean(),
      bitLayers: z.array(z.string().regex(BIT_LAYER)).min(1),
    })
    .optional(),
});

/**
 * One line of `metrics.jsonl`. A NaN test loss written before losses were recorded by name reads
 * as `null`.
 */
export const epochMetricsShape = z.looseObject({
  epoch: z.int().min(0),
  trainLoss: loss.nullable(),
  trainAccuracy: z.number().nullable(),
  testLoss: loss.nullable(),
  testAccuracy: z.number(),
  seconds: z.number(),
  diverged: z.literal(true).optional(),
  probe: z
    .array(z.looseObject({ layer: z.string(), cosine: z.number(), signAgreement: z.number() }))
    .optional(),
});

/**
 * A finished job's return value as a queue holds it (see `RunJobResult`): a run record and its
 * metrics, checked like a local run's files before anything is written.
 */
export const runJobResultShape = z.object({ record: runRecordShape, metrics: z.array(epochMetricsShape) });

/** The first problem zod found, as `"run.seed": expected int, received string`. */
export function firstIssue(error: z.ZodError): string {
  const issue = error.issues[0]!;
  return `"${issue.path.join('.') || '(top level)'}": ${issue.message}`;
}
