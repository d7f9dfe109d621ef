import type { WindowGeometry } from '../../geometry/window';
import type { Shape } from '../../shape';
import { planStrided } from '../cpu/iterate';
import type { WasmStorage } from './storage';

/** Bytes of the parameter block: one strided plan (rank ≤ 32, ≤ 4 operands) and one window geometry. */
const PLAN_BYTES = 4 * (1 + 32 * 5);
const GEOMETRY_BYTES = 4 * 16;

/**
 * The block of linear memory through which kernels receive their structured parameters: a strided
 * iteration plan and a window geometry, written here and read by the module at the address returned.
 */
export class ParamBlock {
  private readonly at: number;

  /** Allocates the block from `storage`. */
  constructor(private readonly storage: WasmStorage) {
    this.at = storage.alloc(PLAN_BYTES + GEOMETRY_BYTES);
  }

  /**
   * Writes the strided iteration plan of `shape` for operands addressed by `strides` (one list per
   * operand, at most four) and returns its address.
   */
  plan(shape: Shape, strides: readonly (readonly number[])[]): number {
    const plan = planStrided(shape, strides);
    const i32 = this.storage.int32();
    const rank = plan.dims.length;
    const base = this.at >>> 2;
    i32[base] = rank;
    i32.set(plan.dims, base + 1);
    plan.strides.forEach((s, k) => i32.set(s, base + 1 + rank * (k + 1)));
    return this.at;
  }

  /** The rank of the plan at `plan` (after merging dimensions: 1 for a single contiguous row). */
  planRank(plan: number): number {
    return this.storage.int32()[plan >>> 2]!;
  }

  /**
   * Writes a window geometry (plus `outChannels`, and `allTaps`: a convolution must multiply every
   * tap, padding included) and returns its address.
   */
  geometry(g: WindowGeometry, outChannels = 0, allTaps = false): number {
    const at = this.at + PLAN_BYTES;
    const window = [g.n, g.c, g.h, g.w, g.kh, g.kw, g.sh, g.sw, g.ph, g.pw, g.dh, g.dw, g.oh, g.ow];
    this.storage.int32().set([...window, outChannels, allTaps ? 1 : 0], at >>> 2);
    return at;
  }
}
