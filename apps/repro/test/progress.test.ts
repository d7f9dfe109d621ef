import { describe, expect, it } from 'vitest';
import { sucOnes } from '../src/experiments/suc-ones';
import type { RunSpec } from '../src/experiments/types';
import { formatDuration, Progress } from '../src/run/progress';

const run: RunSpec = {
  experiment: 'suc-ones',
  config: 'tied',
  seed: 0,
  settings: { ...sucOnes.full.configs[0]!.settings, epochs: 4 },
  tier: 'full',
  backend: 'cpu',
};

const epoch = (e: number) => ({
  epoch: e,
  trainLoss: e === 0 ? null : 0.5,
  trainAccuracy: e === 0 ? null : 0.75,
  testLoss: 0.4,
  testAccuracy: 0.8,
  seconds: e === 0 ? 0 : 10,
});

let now = 0;
const clock = (): number => now;

function capture(
  isTTY: boolean,
  runs: readonly RunSpec[] = [run],
): { progress: Progress; text: () => string } {
  now = 0;
  let text = '';
  return { progress: new Progress({ write: (t) => void (text += t), isTTY }, runs, clock), text: () => text };
}

describe('Progress', () => {
  it('prints plain lines without a terminal: start, epochs with loss/accuracy/ETA, done', () => {
    const { progress, text } = capture(false);
    progress.started(run);
    for (let e = 0; e <= 2; e++) progress.epoch(run, epoch(e));
    now = 20_000;
    progress.finished(run);
    expect(text()).toBe(
      [
        'start suc-ones/tied seed 0',
        '      suc-ones/tied seed 0 epoch 1/4 loss 0.5000 train 75.0% test 80.0% ETA 30s',
        '      suc-ones/tied seed 0 epoch 2/4 loss 0.5000 train 75.0% test 80.0% ETA 20s',
        'done  suc-ones/tied seed 0 test 80.0% in 20s [1/1, suite ETA 0s]',
        '',
      ].join('\n'),
    );
    expect(text()).not.toContain('\x1b');
  });

  it('redraws a bar per active run on a terminal', () => {
    const { progress, text } = capture(true);
    progress.started(run);
    progress.epoch(run, epoch(1));
    progress.epoch(run, epoch(2));
    expect(text()).toContain('\x1b[2A\x1b[J');
    expect(text()).toContain(
      '██████████░░░░░░░░░░ suc-ones/tied seed 0 epoch 2/4 loss 0.5000 train 75.0% test 80.0% ETA 20s',
    );
    progress.finished(run);
    progress.close();
    expect(text().endsWith('\x1b[1A\x1b[J')).toBe(true);
  });

  it('estimates the time left for the whole suite from its work done so far', () => {
    const other: RunSpec = { ...run, seed: 1 };
    const { progress, text } = capture(true, [run, other]);
    progress.started(run);
    progress.epoch(run, epoch(1));
    now = 20_000;
    progress.epoch(run, epoch(2));
    // half of one of two equal runs done in 20 s: three quarters of the work left, 60 s
    expect(text()).toContain('█████░░░░░░░░░░░░░░░ suite: runs 0/2, 20s elapsed, ETA 1m00s');
    progress.close();
  });

  it('formats durations', () => {
    expect(formatDuration(5.4)).toBe('5s');
    expect(formatDuration(65)).toBe('1m05s');
  });
});
