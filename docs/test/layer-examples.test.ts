import { describe, expect, it } from 'vitest';
import { accuracyOf, runExample } from './run-example';

/*
 * The examples of the "Beyond the paper" guide: each prints exactly what its `// →` comments say
 * (the guide quotes them), and what it prints shows the layer learning.
 */
describe('the examples of the Beyond the paper guide', () => {
  it('GRU (docs/examples/gru.ts): tied and constant/rectangular gates both far above chance (about 0.5)', async () => {
    const { printed, promised } = await runExample('gru', () => import('../examples/gru'));
    expect(promised).toHaveLength(2);
    expect(printed).toEqual(promised);
    for (const line of printed) expect(accuracyOf(line)).toBeGreaterThan(0.85);
  }, 120_000);

  it('transformer (docs/examples/transformer.ts): far above chance', async () => {
    const { printed, promised } = await runExample('transformer', () => import('../examples/transformer'));
    expect(promised).toHaveLength(1);
    expect(printed).toEqual(promised);
    expect(accuracyOf(printed[0]!)).toBeGreaterThan(0.9);
  }, 120_000);

  it('spiking (docs/examples/spiking.ts): atan learns DIGITS, tied stays at chance', async () => {
    const { printed, promised } = await runExample('spiking', () => import('../examples/spiking'));
    expect(promised).toHaveLength(2);
    expect(printed).toEqual(promised);
    const [atan, tied] = printed.map(accuracyOf);
    expect(atan).toBeGreaterThanOrEqual(0.9);
    expect(tied).toBeLessThanOrEqual(0.15);
  }, 180_000);
});
