/**
 * Static SVG plots for the generated reference pages: line plots with axes, ticks, axis labels and
 * a legend; grouped bar charts for the gradient transforms; small thumbnails for the summary tables.
 * Pure functions of numbers (no DOM), so the pages are computed once at build time.
 *
 * Colours come from CSS classes (`fbt-series-0`, … in `.vitepress/theme/custom.css`) that follow
 * the site's light and dark themes; the `stroke`/`fill` attributes are fallbacks for a bare SVG.
 */

/** Fallback colours of the series, in order (the theme's CSS overrides them). */
const PALETTE = ['#3451b2', '#8e8e93', '#d97706', '#10b981', '#a855f7'];

/** Rounds a coordinate for the SVG text. */
const r = (v) => (Math.round(v * 10) / 10).toString();

/** Escapes text for an SVG text node or attribute. */
function esc(text) {
  return String(text)
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;');
}

/** Formats a tick value: at most three decimals, a true minus sign, no "-0". */
export function tickLabel(value) {
  const rounded = Math.round(value * 1000) / 1000;
  if (Object.is(rounded, -0) || rounded === 0) return '0';
  return String(rounded).replace('-', '−');
}

/**
 * Evenly spaced "nice" tick values (steps of 1, 2 or 5 times a power of ten) covering [low, high],
 * about `count` of them. The range is widened to the outer ticks.
 */
export function niceTicks(low, high, count = 5) {
  const span = high - low;
  const raw = span / Math.max(1, count - 1);
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * power).find((s) => s >= raw) ?? 10 * power;
  const first = Math.floor(low / step + 1e-9) * step;
  const last = Math.ceil(high / step - 1e-9) * step;
  const ticks = [];
  for (let v = first; v <= last + step / 2; v += step) ticks.push(Math.round(v / step) * step);
  return ticks;
}

/** The y range of the finite values of every series, always including 0. */
function valueRange(series) {
  const finite = series.flatMap((s) => s.values.filter(Number.isFinite));
  const low = Math.min(0, ...finite);
  const high = Math.max(0, ...finite);
  return high - low < 1e-9 ? [low, low + 1] : [low, high];
}

/** The `stroke-dasharray` attribute of a line style. */
function dashArray(style) {
  if (style === 'dashed') return ' stroke-dasharray="6 4"';
  if (style === 'dotted') return ' stroke-dasharray="1.5 3"';
  return '';
}

/** The drawing of one series inside the plot area (a polyline, or dots for random draws). */
function seriesShape(s, index, xs, x, y) {
  const colour = PALETTE[index % PALETTE.length];
  const cls = `fbt-series-${index}`;
  const points = xs.map((v, i) => [v, s.values[i]]).filter(([, v]) => Number.isFinite(v));
  if (s.style === 'dots') {
    return points
      .map(([u, v]) => `<circle class="${cls}" cx="${r(x(u))}" cy="${r(y(v))}" r="1.6" fill="${colour}" />`)
      .join('');
  }
  const dash = dashArray(s.style);
  const coords = points.map(([u, v]) => `${r(x(u))},${r(y(v))}`).join(' ');
  return `<polyline class="${cls}" points="${coords}" fill="none" stroke="${colour}" stroke-width="2"${dash} />`;
}

/** The legend swatch of one series. */
function legendSwatch(s, index, x0, y0) {
  const colour = PALETTE[index % PALETTE.length];
  const cls = `fbt-series-${index}`;
  if (s.style === 'dots') {
    return [6, 12, 18]
      .map((d) => `<circle class="${cls}" cx="${r(x0 + d)}" cy="${r(y0)}" r="1.6" fill="${colour}" />`)
      .join('');
  }
  const dash = dashArray(s.style);
  return `<line class="${cls}" x1="${r(x0)}" y1="${r(y0)}" x2="${r(x0 + 24)}" y2="${r(y0)}" stroke="${colour}" stroke-width="2"${dash} />`;
}

/** Axes, grid, ticks and labels of a plot area; returns the SVG elements. */
function frame({ left, top, width, height, xTicks, yTicks, x, y, xLabel, yLabel }) {
  const bottom = top + height;
  const parts = [];
  for (const t of yTicks) {
    parts.push(
      `<line class="fbt-grid" x1="${left}" y1="${r(y(t))}" x2="${left + width}" y2="${r(y(t))}" stroke="currentColor" stroke-opacity="${t === 0 ? 0.45 : 0.12}" />`,
      `<text class="fbt-tick" x="${left - 6}" y="${r(y(t) + 4)}" text-anchor="end">${tickLabel(t)}</text>`,
    );
  }
  for (const t of xTicks) {
    parts.push(
      `<line class="fbt-grid" x1="${r(x(t))}" y1="${top}" x2="${r(x(t))}" y2="${bottom}" stroke="currentColor" stroke-opacity="${t === 0 ? 0.45 : 0.12}" />`,
      `<line class="fbt-axis" x1="${r(x(t))}" y1="${bottom}" x2="${r(x(t))}" y2="${bottom + 4}" stroke="currentColor" />`,
      `<text class="fbt-tick" x="${r(x(t))}" y="${bottom + 16}" text-anchor="middle">${tickLabel(t)}</text>`,
    );
  }
  parts.push(
    `<line class="fbt-axis fbt-x-axis" x1="${left}" y1="${bottom}" x2="${left + width}" y2="${bottom}" stroke="currentColor" />`,
    `<line class="fbt-axis fbt-y-axis" x1="${left}" y1="${top}" x2="${left}" y2="${bottom}" stroke="currentColor" />`,
    `<text class="fbt-label" x="${r(left + width / 2)}" y="${bottom + 32}" text-anchor="middle">${esc(xLabel)}</text>`,
    `<text class="fbt-label" transform="translate(12 ${r(top + height / 2)}) rotate(-90)" text-anchor="middle">${esc(yLabel)}</text>`,
  );
  return parts;
}

/** The legend rows under a plot; returns the SVG elements. */
function legend(entries, left, top) {
  return entries.map((s, i) => {
    const y0 = top + i * 18;
    return `${legendSwatch(s, i, left, y0)}<text class="fbt-legend" x="${left + 32}" y="${r(y0 + 4)}">${esc(s.label)}</text>`;
  });
}

/** Opens an SVG element with its accessible label. */
function svgOpen(cls, width, height, label) {
  return `<svg class="${cls}" role="img" aria-label="${esc(label)}" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" xmlns="http://www.w3.org/2000/svg" font-family="system-ui, sans-serif" font-size="12" fill="currentColor">`;
}

/**
 * The geometry shared by every chart: the plot area (left, top, width, height), the SVG's width
 * (`total`) and height, and where the legend of `seriesCount` rows starts.
 *
 * @param {number} seriesCount
 */
function chartLayout(seriesCount) {
  const left = 52;
  const top = 10;
  const width = 420;
  const height = 180;
  const legendTop = top + height + 52;
  return {
    left,
    top,
    width,
    height,
    total: left + width + 16,
    legendTop,
    svgHeight: legendTop + seriesCount * 18,
  };
}

/**
 * A line plot of several series over the same x values, with axes, ticks, axis labels and a legend.
 *
 * @param {object} spec
 * @param {number[]} spec.xs The x values shared by every series.
 * @param {{label: string, values: number[], style?: 'solid'|'dashed'|'dotted'|'dots'}[]} spec.series
 * @param {string} spec.xLabel
 * @param {string} spec.yLabel
 * @param {string} spec.title The accessible label.
 */
export function linePlot({ xs, series, xLabel, yLabel, title }) {
  const { left, top, width, height, total, legendTop, svgHeight } = chartLayout(series.length);
  const xTicks = niceTicks(xs[0], xs.at(-1), 7).filter((t) => t >= xs[0] && t <= xs.at(-1));
  const [low, high] = valueRange(series);
  const yTicks = niceTicks(low, high, 5);
  const yLow = Math.min(low, yTicks[0]);
  const yHigh = Math.max(high, yTicks.at(-1));
  const x = (v) => left + ((v - xs[0]) / (xs.at(-1) - xs[0])) * width;
  const y = (v) => top + height - ((v - yLow) / (yHigh - yLow)) * height;
  return [
    svgOpen('fbt-chart', total, svgHeight, title),
    ...frame({ left, top, width, height, xTicks, yTicks, x, y, xLabel, yLabel }),
    // Later series are drawn first, so the first (the subject of the plot) lies on top.
    ...series.map((s, i) => seriesShape(s, i, xs, x, y)).reverse(),
    ...legend(series, left, legendTop),
    '</svg>',
  ].join('');
}

/**
 * A grouped bar chart: for each index k of an example vector, one bar per series.
 *
 * @param {object} spec
 * @param {{label: string, values: number[]}[]} spec.series Equally long vectors.
 * @param {string} spec.xLabel
 * @param {string} spec.yLabel
 * @param {string} spec.title The accessible label.
 */
export function barPlot({ series, xLabel, yLabel, title }) {
  const { left, top, width, height, total, legendTop, svgHeight } = chartLayout(series.length);
  const n = series[0].values.length;
  const [low, high] = valueRange(series);
  const yTicks = niceTicks(low, high, 5);
  const yLow = Math.min(low, yTicks[0]);
  const yHigh = Math.max(high, yTicks.at(-1));
  const slot = width / n;
  const x = (k) => left + (k + 0.5) * slot;
  const y = (v) => top + height - ((v - yLow) / (yHigh - yLow)) * height;
  const barWidth = (slot * 0.7) / series.length;
  const bars = series.flatMap((s, i) =>
    s.values.map((v, k) => {
      const x0 = x(k) - (slot * 0.7) / 2 + i * barWidth;
      const [y0, y1] = [y(Math.max(0, v)), y(Math.min(0, v))];
      return `<rect class="fbt-series-${i} fbt-bar" x="${r(x0)}" y="${r(y0)}" width="${r(barWidth)}" height="${r(Math.max(0.5, y1 - y0))}" fill="${PALETTE[i % PALETTE.length]}" />`;
    }),
  );
  const xTicks = Array.from({ length: n }, (_, k) => k);
  return [
    svgOpen('fbt-chart', total, svgHeight, title),
    ...frame({ left, top, width, height, xTicks, yTicks, x, y, xLabel, yLabel }),
    ...bars,
    ...legend(
      series.map((s) => ({ ...s, style: 'solid' })),
      left,
      legendTop,
    ),
    '</svg>',
  ].join('');
}

/**
 * A small plot without axes for a summary table: the first series as a line (or bars), the zero
 * line faint. One line of HTML, so it fits in a Markdown table cell.
 */
export function thumbnail({ xs, values, bars = false, title }) {
  const width = 96;
  const height = 28;
  const pad = 2;
  const [low, high] = valueRange([{ values }]);
  const y = (v) => height - pad - ((v - low) / (high - low)) * (height - 2 * pad);
  const zero = `<line x1="0" y1="${r(y(0))}" x2="${width}" y2="${r(y(0))}" stroke="currentColor" stroke-opacity="0.3" />`;
  let shape;
  if (bars) {
    const slot = width / values.length;
    shape = values
      .map((v, k) => {
        const [y0, y1] = [y(Math.max(0, v)), y(Math.min(0, v))];
        return `<rect class="fbt-series-0" x="${r(k * slot + slot * 0.15)}" y="${r(y0)}" width="${r(slot * 0.7)}" height="${r(Math.max(0.5, y1 - y0))}" fill="${PALETTE[0]}" />`;
      })
      .join('');
  } else {
    const x = (v) => pad + ((v - xs[0]) / (xs.at(-1) - xs[0])) * (width - 2 * pad);
    const points = xs
      .map((u, i) => [u, values[i]])
      .filter(([, v]) => Number.isFinite(v))
      .map(([u, v]) => `${r(x(u))},${r(y(v))}`)
      .join(' ');
    shape = `<polyline class="fbt-series-0" points="${points}" fill="none" stroke="${PALETTE[0]}" stroke-width="1.5" />`;
  }
  return `${svgOpen('fbt-thumb', width, height, title)}${zero}${shape}</svg>`;
}
