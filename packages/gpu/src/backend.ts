import {
  BackendError,
  DisposedError,
  ShapeError,
  formatShape,
  sizeOf,
  type Backend,
  type DataId,
  type DType,
  type Shape,
  type TensorInfo,
  type TypedArray,
} from '@fbt/tensor';
import {
  createDevice,
  type CompiledKernel,
  type GpuDevice,
  type GpuDeviceInfo,
  type GpuModeRequest,
  type KernelResult,
} from './device';
import { HELPER_FUNCTIONS } from './functions';

/** Storage of the gpu backend: a texture (GL modes) or an array (gpu.js `cpu` mode); int32 is held as float. */
class GpuData {
  constructor(
    public value: KernelResult | null,
    readonly size: number,
    readonly dtype: DType,
  ) {}
}

/**
 * A kernel program: statements computing output element `i` (a float holding the flat output index)
 * from input arrays `x0 … xn` (flat, row-major) and, when given, the number array `p`; they end in
 * `return`. Shapes are baked into the text; a program is compiled once per text, output size and
 * input sizes.
 */
export interface GpuProgram {
  /** Names the kernel in error messages. */
  readonly name: string;
  /** The statements (see above). */
  readonly body: string;
  /** Upper bound of every loop in `body` (gpu.js `loopMaxIterations`); 1 when there are none. */
  readonly loopMax?: number;
}

const release = (value: KernelResult | null): void => {
  if (value !== null && !(value instanceof Float32Array)) value.delete();
};

/**
 * The gpu.js backend of @fbt/tensor. Tensors live in float32 textures that stay on the device
 * between kernels (gpu.js pipeline mode); `readSync`/`read` read them back, `disposeData` deletes
 * them. Every kernel is a `GpuProgram` compiled once per source text (shapes and attrs are part of
 * it), output size and input sizes, and cached. int32 tensors are stored as floats (exact up to
 * 2²⁴) and rounded back on read.
 */
export class GpuBackend implements Backend {
  readonly name: string;
  /** Which gpu.js mode runs the kernels, and why. */
  readonly info: GpuDeviceInfo;
  private readonly device: GpuDevice;
  private readonly kernels = new Map<string, CompiledKernel>();
  private live = 0;
  private destroyed = false;
  private standIn: KernelResult | null = null;

  /** @param name the registry name; @param mode the gpu.js mode to ask for. */
  constructor(name = 'gpu', mode: GpuModeRequest = 'auto') {
    this.name = name;
    this.device = createDevice(mode);
    this.info = this.device.info;
    for (const fn of HELPER_FUNCTIONS) this.device.addFunction(fn.source, fn.args);
  }

  /** Largest tensor (in elements) a texture can hold: the square of the maximum texture side. */
  get maxTensorSize(): number {
    return this.info.maxTextureSize * this.info.maxTextureSize;
  }

  write(values: TypedArray, shape: Shape, dtype: DType): DataId {
    this.assertFits(values.length, shape, 'write');
    const floats = values instanceof Float32Array ? values : Float32Array.from(values);
    let value: KernelResult;
    if (values.length === 0 || !this.info.accelerated) value = floats === values ? floats.slice() : floats;
    else value = this.kernel('// upload\nreturn x0[i];', values.length, 1, [values.length])(floats);
    this.live++;
    return new GpuData(value, values.length, dtype);
  }

  readSync(dataId: DataId): TypedArray {
    const data = this.data(dataId, 'readSync');
    const value = data.value!;
    const floats =
      value instanceof Float32Array ? value.slice(0, data.size) : value.toArray().slice(0, data.size);
    if (data.dtype === 'float32') return floats;
    const ints = new Int32Array(data.size);
    for (let k = 0; k < data.size; k++) ints[k] = Math.round(floats[k]!);
    return ints;
  }

  read(dataId: DataId): Promise<TypedArray> {
    return Promise.resolve(this.readSync(dataId));
  }

  disposeData(dataId: DataId): void {
    const data = dataId as GpuData;
    if (data.value === null) return;
    if (!this.destroyed) release(data.value);
    data.value = null;
    this.live--;
  }

  numDataIds(): number {
    return this.live;
  }

  ready(): Promise<void> {
    return Promise.resolve();
  }

  /** Number of compiled kernels in the cache (one per program text, output size and input sizes). */
  numCompiledKernels(): number {
    return this.kernels.size;
  }

  /** Frees the GL context; tensors of this backend are unusable afterwards. */
  destroy(): void {
    this.destroyed = true;
    this.kernels.clear();
    this.device.destroy();
  }

  /**
   * Runs `program` over `inputs` and returns a new tensor of `shape` and `dtype`. `params` are
   * passed as the array `p` (values that change between calls without recompiling).
   */
  run(
    program: GpuProgram,
    inputs: readonly TensorInfo[],
    shape: Shape,
    dtype: DType = 'float32',
    params?: Float32Array,
  ): TensorInfo {
    const size = sizeOf(shape);
    this.assertFits(size, shape, program.name);
    const value = size === 0 ? new Float32Array(0) : this.compute(program, inputs, size, params);
    this.live++;
    return { dataId: new GpuData(value, size, dtype), shape, dtype };
  }

  /** Runs `program` with the output written back into `target`'s storage (the old one is freed). */
  runInPlace(
    program: GpuProgram,
    target: TensorInfo,
    inputs: readonly TensorInfo[],
    params?: Float32Array,
  ): TensorInfo {
    const data = this.data(target.dataId, program.name);
    if (data.size > 0) {
      const value = this.compute(program, inputs, data.size, params);
      release(data.value);
      data.value = value;
    }
    return target;
  }

  private compute(
    program: GpuProgram,
    inputs: readonly TensorInfo[],
    size: number,
    params?: Float32Array,
  ): KernelResult {
    const args: (KernelResult | Float32Array)[] = inputs.map((t) => this.value(t, program.name));
    const sizes = inputs.map((t) => Math.max(1, this.data(t.dataId, program.name).size));
    if (params !== undefined) {
      args.push(params.length > 0 ? params : new Float32Array(1));
      sizes.push(Math.max(1, params.length));
    }
    return this.kernel(program.body, size, program.loopMax ?? 1, sizes, params !== undefined)(...args);
  }

  /**
   * The compiled kernel of `body` for an output of `size` elements and arguments of `argSizes`
   * elements (inputs, then `p` when `withParams`). gpu.js bakes each argument's texture size into
   * the shader as a constant and keeps it when the kernel is called again, so a kernel is compiled
   * once per body, output size and argument sizes: a body such as a slice of a tensor's first rows
   * does not name the length of that tensor, and reused on a tensor of another length it would read
   * the wrong texels.
   */
  private kernel(
    body: string,
    size: number,
    loopMax: number,
    argSizes: readonly number[],
    withParams = false,
  ): CompiledKernel {
    const arity = argSizes.length;
    const names = Array.from({ length: withParams ? arity - 1 : arity }, (_, k) => `x${k}`);
    if (withParams) names.push('p');
    const source = `function (${names.join(', ')}) {\nconst i = this.thread.x;\n${body}\n}`;
    const key = `${size}\n${argSizes.join(',')}\n${source}`;
    let compiled = this.kernels.get(key);
    if (compiled === undefined) {
      if (this.destroyed) throw new BackendError(`${this.name} backend: used after destroy()`);
      compiled = this.device.compile(source, { outputSize: size, loopMaxIterations: loopMax });
      this.kernels.set(key, compiled);
    }
    return compiled;
  }

  /** The stored value of an input; an empty input is replaced by a one-element zero texture. */
  private value(info: TensorInfo, op: string): KernelResult {
    const data = this.data(info.dataId, op);
    if (data.size > 0 || !this.info.accelerated) return data.value!;
    this.standIn ??= this.kernel('// stand-in for an empty input\nreturn 0;', 1, 1, [])();
    return this.standIn;
  }

  private data(dataId: DataId, op: string): GpuData {
    if (!(dataId instanceof GpuData))
      throw new BackendError(`${op}: storage does not belong to the ${this.name} backend`);
    if (dataId.value === null) throw new DisposedError(`${op}: read of disposed ${this.name} storage`);
    return dataId;
  }

  private assertFits(size: number, shape: Shape, op: string): void {
    if (size > this.maxTensorSize) {
      throw new ShapeError(
        `${op}: a tensor of shape ${formatShape(shape)} has ${size} elements, more than one ${this.info.maxTextureSize}² texture holds (${this.maxTensorSize}); split it`,
      );
    }
  }
}
