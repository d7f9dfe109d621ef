import type { Backend, DataId, TensorInfo } from '../../backend/interface';
import type { DType, TypedArray } from '../../dtype';
import { DisposedError } from '../../errors';
import type { Shape } from '../../shape';

/** Storage of the CPU backend: the typed array itself. */
interface CpuData {
  values: TypedArray | null;
}

/**
 * The pure-TypeScript reference backend. Storage is a typed array on the JS heap, so reads are
 * free and garbage collection frees it; kernels are plain loops over typed arrays.
 */
export class CpuBackend implements Backend {
  /** The garbage collector frees typed arrays by itself. */
  readonly collectsStorage = true;
  private live = 0;

  /** @param name - The registry name (default `cpu`). */
  constructor(readonly name: string = 'cpu') {}

  write(values: TypedArray, _shape: Shape, _dtype: DType): DataId {
    this.live++;
    const data: CpuData = { values };
    return data;
  }

  readSync(dataId: DataId): TypedArray {
    const values = (dataId as CpuData).values;
    if (values === null) throw new DisposedError('cpu backend: read of disposed storage');
    return values;
  }

  read(dataId: DataId): Promise<TypedArray> {
    return Promise.resolve(this.readSync(dataId));
  }

  disposeData(dataId: DataId): void {
    const data = dataId as CpuData;
    if (data.values !== null) {
      data.values = null;
      this.live--;
    }
  }

  numDataIds(): number {
    return this.live;
  }

  ready(): Promise<void> {
    return Promise.resolve();
  }

  /** Wraps freshly computed values as a kernel output. */
  output(values: TypedArray, shape: Shape): TensorInfo {
    return {
      dataId: this.write(values, shape, values instanceof Int32Array ? 'int32' : 'float32'),
      shape,
      dtype: values instanceof Int32Array ? 'int32' : 'float32',
    };
  }
}
