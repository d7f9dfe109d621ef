/** Types of `plot.mjs` (plain JavaScript, so that Node runs the generators without a build step). */

/** How a series is drawn. `dots` is for random draws, one dot per point. */
export type SeriesStyle = 'solid' | 'dashed' | 'dotted' | 'dots';

/** One series of a plot: its legend label and its values (at the plot's shared x values). */
export interface Series {
  readonly label: string;
  readonly values: readonly number[];
  readonly style?: SeriesStyle;
}

/** Formats a tick value: at most three decimals, a true minus sign, no "-0". */
export function tickLabel(value: number): string;

/** About `count` evenly spaced "nice" tick values (1, 2, 2.5 or 5 times a power of ten) covering [low, high]. */
export function niceTicks(low: number, high: number, count?: number): number[];

/** A line plot with axes, ticks, axis labels and a legend, as an SVG string. */
export function linePlot(spec: {
  readonly xs: readonly number[];
  readonly series: readonly Series[];
  readonly xLabel: string;
  readonly yLabel: string;
  readonly title: string;
}): string;

/** A grouped bar chart of equally long vectors, one bar per series at each index, as an SVG string. */
export function barPlot(spec: {
  readonly series: readonly Series[];
  readonly xLabel: string;
  readonly yLabel: string;
  readonly title: string;
}): string;

/** A small plot without axes for a table cell, on one line of HTML. */
export function thumbnail(spec: {
  readonly xs?: readonly number[];
  readonly values: readonly number[];
  readonly bars?: boolean;
  readonly title: string;
}): string;
