import type { Bounds, Report } from './run';
import type { Settings } from './settings';

/** What the playground page asks a worker to do: train one network. */
export interface TrainRequest {
  /** The run. */
  readonly settings: Settings;
  /** Report after every this many steps. */
  readonly reportEvery: number;
  /** The side of the square grid on which the decision boundary is evaluated (2-D sets). */
  readonly gridSide: number;
  /** Where the DIGITS CSV (gzip) is served, for the `digits` set. */
  readonly digitsUrl: string;
}

/** What a worker posts back. */
export type TrainMessage =
  | {
      readonly kind: 'data';
      /** The training points, x₀ y₀ x₁ y₁ …, of a 2-D set (empty otherwise), and their labels. */
      readonly points: Float32Array;
      readonly labels: Int32Array;
      /** The plane the grid covers (2-D sets), or null. */
      readonly bounds: Bounds | null;
      /** Number of classes. */
      readonly classes: number;
      /** The backend the worker trains on and its kernel threads, e.g. `wasm backend, 2 threads`. */
      readonly backend: string;
    }
  | ({ readonly kind: 'report' } & Report)
  | { readonly kind: 'done' }
  | { readonly kind: 'error'; readonly message: string };
