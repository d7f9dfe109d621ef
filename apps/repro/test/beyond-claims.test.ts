import { describe, expect, it } from 'vitest';
import { BEYOND_EXPERIMENTS } from '../src/experiments/beyond';
import { rnnConfigId } from '../src/experiments/beyond/rnn-fashion';
import { SNN_CNN_SURROGATES, SNN_SURROGATES, snnConfigId } from '../src/experiments/beyond/snn-mnist';
import type { Tier } from '../src/experiments/types';
import { evaluateBeyondClaims } from '../src/report/beyond-claims';
import type { SummaryRow } from '../src/report/summary';
import { syntheticRow } from './fixtures';

const row = syntheticRow;

/** Every config of every beyond experiment at `accuracy` (the rows a full run would give). */
function everyConfig(accuracy: (experiment: string, config: string) => number): Map<string, SummaryRow[]> {
  return new Map(
    BEYOND_EXPERIMENTS.map((d) => [
      d.full.name,
      d.full.configs.map((c) => ({ ...row(c.id, [accuracy(d.full.name, c.id)]), initials: [0.1] })),
    ]),
  );
}

function tiers(tier: Tier): Map<string, Tier> {
  return new Map(BEYOND_EXPERIMENTS.map((d) => [d.full.name, tier]));
}

describe('the pre-registered claims of the beyond experiments', () => {
  it('finds every config a claim reads among the experiments’ own config ids, in every tier', () => {
    for (const tier of ['quick', 'default', 'full'] as const) {
      const summaries = new Map(
        BEYOND_EXPERIMENTS.map((d) => {
          const spec = tier === 'full' ? d.full : d[tier].spec;
          return [d.full.name, spec.configs.map((c) => row(c.id, [0.9]))];
        }),
      );
      for (const claim of evaluateBeyondClaims({ summaries, tiers: tiers(tier) }))
        expect(claim.checks.filter((c) => c.status === 'missing').map((c) => c.detail)).toEqual([]);
    }
  });

  it('holds when every rule is within a point of tied, the surrogates clear the bar and tied stays at chance', () => {
    const summaries = everyConfig((experiment, config) =>
      experiment === 'snn-mnist'
        ? config.endsWith('-tied')
          ? 0.098
          : 0.95
        : config.endsWith('tied')
          ? 0.9
          : 0.895,
    );
    const claims = evaluateBeyondClaims({ summaries, tiers: tiers('full') });
    expect(claims.map((c) => c.verdict)).toEqual(['holds', 'holds', 'holds', 'holds']);
  });

  it('does not hold when one rule falls more than a point behind tied', () => {
    const summaries = everyConfig((experiment, config) =>
      config === rnnConfigId('lstm', 'rectangular') ? 0.88 : experiment === 'snn-mnist' ? 0.95 : 0.9,
    );
    const [rnn] = evaluateBeyondClaims({ summaries, tiers: tiers('default') });
    expect(rnn!.verdict).toBe('does not hold');
    expect(rnn!.checks.filter((c) => c.status === 'fail').map((c) => c.what)).toEqual([
      'lstm: rectangular vs tied (final test accuracy)',
    ]);
  });

  it('judges the spiking claim by the tier’s registered bar: 90 % in the full tier, 80 % in the default tier', () => {
    const summaries = everyConfig((experiment, config) =>
      experiment !== 'snn-mnist' ? 0.9 : config.endsWith('-tied') ? 0.1 : 0.85,
    );
    const snn = (tier: Tier) => evaluateBeyondClaims({ summaries, tiers: tiers(tier) })[2]!;
    expect(snn('default').verdict).toBe('holds');
    expect(snn('full').verdict).toBe('does not hold');
    expect(snn('full').checks.filter((c) => c.status === 'fail')).toHaveLength(
      SNN_SURROGATES.length + SNN_CNN_SURROGATES.length,
    );
  });

  it('fails the spiking claim when the tied control learns, and is inconclusive on quick runs or untrained baselines', () => {
    const learningTied = everyConfig((experiment, config) =>
      config === snnConfigId('mlp', 'tied') ? 0.3 : experiment === 'snn-mnist' ? 0.95 : 0.9,
    );
    expect(evaluateBeyondClaims({ summaries: learningTied, tiers: tiers('full') })[2]!.verdict).toBe(
      'does not hold',
    );
    const quick = evaluateBeyondClaims({ summaries: everyConfig(() => 0.95), tiers: tiers('quick') });
    expect(quick.map((c) => c.verdict)).toEqual([
      'inconclusive',
      'inconclusive',
      'inconclusive',
      'inconclusive',
    ]);
    const untrained = evaluateBeyondClaims({ summaries: everyConfig(() => 0.2), tiers: tiers('default') });
    expect(untrained[1]!.verdict).toBe('inconclusive');
    expect(untrained[1]!.checks[0]).toMatchObject({
      status: 'unmet precondition',
      what: 'vit: tied baseline trained',
    });
  });
});
