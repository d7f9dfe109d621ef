/** What the playground page asks its worker to do: train one network on two moons. */
export interface TrainRequest {
  /** The forward activation of the hidden layer. */
  readonly forward: string;
  /** The backward rule of the hidden layer. */
  readonly rule: string;
  /** Hidden units. */
  readonly hidden: number;
  /** Epochs over the training points. */
  readonly epochs: number;
  /** Adam's learning rate. */
  readonly lr: number;
  /** Seed of the data, the initial weights and the batches. */
  readonly seed: number;
}

/** The side of the square grid on which the worker evaluates the decision boundary. */
export const GRID_SIDE = 48;
/** The x range of the plane the grid covers (two moons spans about −1 to 2). */
export const X_RANGE = [-1.5, 2.5] as const;
/** The y range of the plane the grid covers (two moons spans about −0.5 to 1). */
export const Y_RANGE = [-1.25, 1.75] as const;

/** What the worker posts back. */
export type TrainMessage =
  | {
      readonly kind: 'data';
      /** The training points, x₀ y₀ x₁ y₁ …, and their labels. */
      readonly points: Float32Array;
      readonly labels: Int32Array;
      /** The backend the worker trains on. */
      readonly backend: string;
    }
  | {
      readonly kind: 'epoch';
      readonly epoch: number;
      /** Mean training loss over the epoch's batches. */
      readonly loss: number;
      readonly testAccuracy: number;
      /** P(class 1) on the GRID_SIDE × GRID_SIDE grid, row by row from the top. */
      readonly grid: Float32Array;
    }
  | { readonly kind: 'error'; readonly message: string };
