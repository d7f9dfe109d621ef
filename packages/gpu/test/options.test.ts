import { describe, expect, it } from 'vitest';
import { ArgumentError } from '@fbt/tensor';
import { registerGpuBackend } from '../src';

describe('registerGpuBackend', () => {
  it('refuses unknown option keys, naming the key and the valid ones', () => {
    const call = () => registerGpuBackend({ name: 'gpu-options-test', device: 'gl' } as never);
    expect(call).toThrow(ArgumentError);
    expect(call).toThrow(
      "registerGpuBackend: unknown option 'device'; valid options: mode, name, priority, onFallback",
    );
  });
});
