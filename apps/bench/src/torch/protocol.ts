import { policyFor, WARMUP_POLICY, type Timing, type WarmupPolicy } from '../timing';
import type { Workload } from '../workloads';

/** What python/torch_bench.py reads on stdin: the timing policy, the thread counts, the workloads. */
export interface TorchRequest {
  /** The timing policy of every workload but the training steps. */
  readonly policy: WarmupPolicy;
  /** The training steps' timing policy (`TRAINING_STEP_POLICY`, as the other columns get). */
  readonly stepPolicy: WarmupPolicy;
  readonly threads: readonly number[];
  /** Each workload's `spec` with its id, typed arrays as base64 of their bytes (little-endian). */
  readonly workloads: readonly Record<string, unknown>[];
}

/** PyTorch's result on one workload, at the thread count with the lowest median. */
export interface TorchResult extends Timing {
  readonly id: string;
  /** The `torch.set_num_threads` value that won. */
  readonly threads: number;
  /** Median at every thread count tried, keyed by the count. */
  readonly medianMsByThreads: Readonly<Record<string, number>>;
  /** Outputs of the first run, as the bench's contenders return them. */
  readonly outputs: Float32Array[];
  /** Training steps only: the loss of the last run (NaN when not finite), and how many steps had run by then. */
  readonly lastLoss?: number;
  readonly steps?: number;
}

/** What python/torch_bench.py prints. */
export interface TorchResponse {
  readonly torch: string;
  readonly python: string;
  readonly results: readonly TorchResult[];
}

function toBase64(values: Float32Array | Int32Array): string {
  return Buffer.from(values.buffer, values.byteOffset, values.byteLength).toString('base64');
}

function fromBase64(text: string): Float32Array {
  const bytes = new Uint8Array(Buffer.from(text, 'base64')); // a copy, so the floats are aligned
  return new Float32Array(bytes.buffer, 0, bytes.byteLength >> 2);
}

function encodeValue(value: unknown): unknown {
  if (value instanceof Float32Array || value instanceof Int32Array) return toBase64(value);
  if (Array.isArray(value)) return value.map(encodeValue);
  return value;
}

/** The request for `workloads`, trying each of `threads` (default: 1 and 2 threads). */
export function torchRequest(
  workloads: readonly Workload[],
  threads: readonly number[] = [1, 2],
  policy: WarmupPolicy = WARMUP_POLICY,
): TorchRequest {
  return {
    policy,
    stepPolicy: policyFor('trainingStep'),
    threads,
    workloads: workloads.map(({ id, spec }) => ({
      id,
      ...Object.fromEntries(Object.entries(spec).map(([key, value]) => [key, encodeValue(value)])),
    })),
  };
}

function fail(what: string): never {
  throw new Error(`torch_bench.py printed unexpected JSON: ${what}`);
}

function numberField(record: Record<string, unknown>, key: string): number {
  const value = record[key];
  if (typeof value !== 'number') fail(`${key} is ${JSON.stringify(value)}, expected a number`);
  return value;
}

function stringField(record: Record<string, unknown>, key: string): string {
  const value = record[key];
  if (typeof value !== 'string') fail(`${key} is ${JSON.stringify(value)}, expected a string`);
  return value;
}

function recordOf(value: unknown, what: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) fail(`${what} is not an object`);
  return value as Record<string, unknown>;
}

function parseResult(value: unknown): TorchResult {
  const record = recordOf(value, 'a result');
  const outputs = record['outputs'];
  if (!Array.isArray(outputs) || !outputs.every((o) => typeof o === 'string'))
    fail('outputs is not a list of base64 strings');
  const byThreads = recordOf(record['medianMsByThreads'], 'medianMsByThreads');
  return {
    id: stringField(record, 'id'),
    threads: numberField(record, 'threads'),
    medianMsByThreads: Object.fromEntries(
      Object.keys(byThreads).map((threads) => [threads, numberField(byThreads, threads)]),
    ),
    medianMs: numberField(record, 'medianMs'),
    minMs: numberField(record, 'minMs'),
    cpuMedianMs: numberField(record, 'cpuMedianMs'),
    samples: numberField(record, 'samples'),
    outputs: (outputs as string[]).map(fromBase64),
    ...('lastLoss' in record
      ? {
          lastLoss: record['lastLoss'] === null ? NaN : numberField(record, 'lastLoss'),
          steps: numberField(record, 'steps'),
        }
      : {}),
  };
}

/** Parses and checks the JSON python/torch_bench.py printed; throws on anything unexpected. */
export function parseTorchResponse(text: string): TorchResponse {
  const record = recordOf(JSON.parse(text), 'the response');
  const results = record['results'];
  if (!Array.isArray(results)) fail('results is not a list');
  return {
    torch: stringField(record, 'torch'),
    python: stringField(record, 'python'),
    results: results.map(parseResult),
  };
}
