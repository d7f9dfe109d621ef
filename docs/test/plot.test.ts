import { describe, expect, it } from 'vitest';
import { barPlot, linePlot, niceTicks, thumbnail, tickLabel } from '../scripts/plot.mjs';

const xs = [-3, -2, -1, 0, 1, 2, 3];

describe('plot.mjs', () => {
  it('chooses nice ticks that cover the range', () => {
    expect(niceTicks(-3, 3, 7)).toEqual([-3, -2, -1, 0, 1, 2, 3]);
    expect(niceTicks(0, 1, 5)).toEqual([0, 0.25, 0.5, 0.75, 1]);
    expect(niceTicks(-0.17, 3, 5)).toEqual([-1, 0, 1, 2, 3]);
  });

  it('labels ticks with a true minus and no negative zero', () => {
    expect(tickLabel(-0.5)).toBe('−0.5');
    expect(tickLabel(-0)).toBe('0');
    expect(tickLabel(0.1 + 0.2)).toBe('0.3');
  });

  it('draws a line plot with both axes, tick labels and one legend entry per series', () => {
    const svg = linePlot({
      xs,
      series: [
        { label: 'ψ(z)', values: xs.map((z) => (Math.abs(z) <= 1 ? 1 : 0)) },
        { label: 'φ′(z)', values: xs.map(() => 0), style: 'dashed' },
      ],
      xLabel: 'z',
      yLabel: 'factor',
      title: 'test plot',
    });
    expect(svg).toMatch(/^<svg class="fbt-chart" role="img" aria-label="test plot"/);
    expect(svg.match(/fbt-x-axis/g)).toHaveLength(1);
    expect(svg.match(/fbt-y-axis/g)).toHaveLength(1);
    expect(svg.match(/class="fbt-tick"/g)!.length).toBeGreaterThanOrEqual(7 + 3);
    const legend = [...svg.matchAll(/class="fbt-legend"[^>]*>([^<]*)</g)].map((m) => m[1]);
    expect(legend).toEqual(['ψ(z)', 'φ′(z)']);
    expect(svg).toContain('stroke-dasharray="6 4"');
  });

  it('draws one bar per element and series, and a one-line thumbnail', () => {
    const svg = barPlot({
      series: [
        { label: 'after', values: [1, -1, 0.5] },
        { label: 'before', values: [2, -2, 1] },
      ],
      xLabel: 'k',
      yLabel: 'g',
      title: 'bars',
    });
    expect(svg.match(/<rect /g)).toHaveLength(6);
    const thumb = thumbnail({ xs, values: xs.map((z) => z * z), title: 'thumb' });
    expect(thumb).not.toContain('\n');
    expect(thumb).toContain('class="fbt-thumb"');
  });
});
