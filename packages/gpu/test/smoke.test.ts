import { describe, expect, it } from 'vitest';
import { GL_AVAILABLE, runBoth, worstExcess } from './setup';

describe.skipIf(!GL_AVAILABLE)('smoke', () => {
  it('add', () => {
    const r = runBoth('add', [{ shape: [3, 5] }, { shape: [5] }]);
    expect(r.gpuShape).toEqual(r.cpuShape);
    expect(worstExcess(r.cpu, r.gpu, 1e-6, 1e-6)).toBe(0);
  });
});
