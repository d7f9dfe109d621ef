import type { PlottedData } from './trainer';

/** Class colours of the points (and, paler, of the regions), for up to ten classes. */
const PALETTE: readonly (readonly [number, number, number])[] = [
  [52, 81, 178],
  [217, 119, 6],
  [22, 163, 74],
  [190, 24, 93],
  [124, 58, 237],
  [8, 145, 178],
  [161, 98, 7],
  [71, 85, 105],
  [220, 38, 38],
  [101, 163, 13],
];

const rgb = ([r, g, b]: readonly number[]): string => `rgb(${r}, ${g}, ${b})`;

/**
 * Paints the decision boundary: each grid cell in the colour of its most probable class, paler the
 * less sure the model is (`grid` holds `classes` probabilities per cell, row by row from the top),
 * then the training points in their class colours.
 */
export function drawBoundary(
  canvas: HTMLCanvasElement,
  data: PlottedData,
  grid: Float32Array | null,
  side: number,
): void {
  const c = canvas.getContext('2d');
  const { bounds, classes } = data;
  if (!c || !bounds) return;
  const { width, height } = canvas;
  c.fillStyle = '#fff';
  c.fillRect(0, 0, width, height);
  if (grid) {
    const [cw, ch] = [width / side, height / side];
    for (let cell = 0; cell < side * side; cell++) {
      let best = 0;
      for (let k = 1; k < classes; k++)
        if (grid[cell * classes + k]! > grid[cell * classes + best]!) best = k;
      const sure = (grid[cell * classes + best]! - 1 / classes) / (1 - 1 / classes);
      const mix = 0.15 + 0.35 * sure;
      c.fillStyle = rgb(PALETTE[best % PALETTE.length]!.map((v) => Math.round(255 + (v - 255) * mix)));
      c.fillRect((cell % side) * cw, Math.floor(cell / side) * ch, cw + 1, ch + 1);
    }
  }
  for (let i = 0; i < data.labels.length; i++) {
    const px = ((data.points[2 * i]! - bounds.x0) / (bounds.x1 - bounds.x0)) * width;
    const py = ((bounds.y1 - data.points[2 * i + 1]!) / (bounds.y1 - bounds.y0)) * height;
    c.fillStyle = rgb(PALETTE[data.labels[i]! % PALETTE.length]!);
    c.beginPath();
    c.arc(px, py, 2.2, 0, 2 * Math.PI);
    c.fill();
  }
}
