import type { RunSpec } from '../experiments/types';
import type { EpochMetrics } from '../results/records';
import { runWork } from './workload';

/** Where progress goes: a writable text stream and whether it is a terminal. */
export interface ProgressSink {
  write(text: string): void;
  readonly isTTY: boolean;
}

interface Active {
  readonly run: RunSpec;
  epoch: number;
  seconds: number;
  last: EpochMetrics | null;
}

const BAR_WIDTH = 20;

/** Plain-log mode prints about ten epoch lines per run: every k-th epoch and the last. */
function shouldLog(epoch: number, total: number): boolean {
  return epoch > 0 && (epoch === total || epoch % Math.ceil(total / 10) === 0);
}

/** `1m05s` style durations. */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  const m = Math.floor(s / 60);
  return m > 0 ? `${m}m${String(s % 60).padStart(2, '0')}s` : `${s}s`;
}

function runName(run: RunSpec): string {
  return `${run.experiment}/${run.config} seed ${run.seed}`;
}

function pct(x: number | null): string {
  return x === null ? '–' : `${(100 * x).toFixed(1)}%`;
}

function describe(a: Active): string {
  const total = a.run.settings.epochs;
  const eta = a.epoch > 0 ? formatDuration((a.seconds / a.epoch) * (total - a.epoch)) : '?';
  const m = a.last;
  const loss =
    m?.trainLoss === null || m === null
      ? '–'
      : typeof m.trainLoss === 'string'
        ? `${m.trainLoss} (diverged)`
        : m.trainLoss.toFixed(4);
  return `epoch ${a.epoch}/${total} loss ${loss} train ${pct(m?.trainAccuracy ?? null)} test ${pct(m?.testAccuracy ?? null)} ETA ${eta}`;
}

/**
 * Reports run progress: on a terminal, a bar for the whole suite (runs done, time elapsed and left)
 * above one redrawn bar per active run (epoch, loss, accuracy, ETA); elsewhere (CI, pipes), one plain
 * line per event, each finished run with the suite's count and time left. The suite's time left is
 * its remaining work (`runWork`) at the rate measured so far.
 */
export class Progress {
  private readonly active = new Map<string, Active>();
  private done = 0;
  private drawnLines = 0;
  private totalWork: number;
  private finishedWork = 0;
  private startedAt: number | null = null;

  /** `runs`: every planned run, those that will be skipped included; `clock`: milliseconds now. */
  constructor(
    private readonly sink: ProgressSink,
    private readonly runs: readonly RunSpec[],
    private readonly clock: () => number = Date.now,
  ) {
    this.totalWork = runs.reduce((sum, r) => sum + runWork(r.settings), 0);
  }

  private get total(): number {
    return this.runs.length;
  }

  /** Seconds since the first run started, and the estimated seconds left (null before any work is done). */
  private suiteTimes(): { elapsed: number; left: number | null } {
    if (this.startedAt === null) return { elapsed: 0, left: null };
    const elapsed = (this.clock() - this.startedAt) / 1000;
    let doneWork = this.finishedWork;
    for (const a of this.active.values())
      doneWork += (runWork(a.run.settings) * a.epoch) / a.run.settings.epochs;
    const left = doneWork > 0 && elapsed > 0 ? (elapsed * (this.totalWork - doneWork)) / doneWork : null;
    return { elapsed, left };
  }

  private suiteLine(): string {
    const { elapsed, left } = this.suiteTimes();
    const shareDone = left === null || elapsed + left === 0 ? 0 : elapsed / (elapsed + left);
    const filled = Math.round(BAR_WIDTH * Math.min(1, Math.max(0, shareDone)));
    return `${'█'.repeat(filled)}${'░'.repeat(BAR_WIDTH - filled)} suite: runs ${this.done}/${this.total}, ${formatDuration(elapsed)} elapsed, ETA ${left === null ? '?' : formatDuration(left)}`;
  }

  private key(run: RunSpec): string {
    return `${run.experiment}/${run.config}/${run.seed}`;
  }

  private log(line: string): void {
    if (this.sink.isTTY) {
      this.clear();
      this.sink.write(`${line}\n`);
      this.draw();
    } else {
      this.sink.write(`${line}\n`);
    }
  }

  private clear(): void {
    if (this.drawnLines > 0) this.sink.write(`\x1b[${this.drawnLines}A\x1b[J`);
    this.drawnLines = 0;
  }

  private draw(): void {
    if (!this.sink.isTTY) return;
    const lines = [this.suiteLine()];
    for (const a of this.active.values()) {
      const filled = Math.round((BAR_WIDTH * a.epoch) / a.run.settings.epochs);
      lines.push(`${'█'.repeat(filled)}${'░'.repeat(BAR_WIDTH - filled)} ${runName(a.run)} ${describe(a)}`);
    }
    this.sink.write(`${lines.join('\n')}\n`);
    this.drawnLines = lines.length;
  }

  /** A run was skipped because it already finished (resume). */
  skipped(run: RunSpec): void {
    this.done++;
    this.totalWork -= runWork(run.settings);
    this.log(`skip  ${runName(run)} (finished earlier)`);
  }

  /** A run started. */
  started(run: RunSpec): void {
    this.startedAt ??= this.clock();
    this.active.set(this.key(run), { run, epoch: 0, seconds: 0, last: null });
    if (this.sink.isTTY) {
      this.clear();
      this.draw();
    } else this.log(`start ${runName(run)}`);
  }

  /** A run finished an epoch (epoch 0 = the initial evaluation). */
  epoch(run: RunSpec, metrics: EpochMetrics): void {
    const a = this.active.get(this.key(run));
    if (a === undefined) return;
    a.epoch = metrics.epoch;
    a.seconds += metrics.seconds;
    a.last = metrics;
    if (this.sink.isTTY) {
      this.clear();
      this.draw();
    } else if (shouldLog(metrics.epoch, run.settings.epochs))
      this.log(`      ${runName(run)} ${describe(a)}`);
  }

  /** A run ended, successfully or with an error message. */
  finished(run: RunSpec, error?: string): void {
    const a = this.active.get(this.key(run));
    this.active.delete(this.key(run));
    this.done++;
    this.finishedWork += runWork(run.settings);
    const { left } = this.suiteTimes();
    const suite = `[${this.done}/${this.total}${left === null ? '' : `, suite ETA ${formatDuration(left)}`}]`;
    if (error !== undefined) this.log(`FAIL  ${runName(run)}: ${error} ${suite}`);
    else
      this.log(
        `done  ${runName(run)} test ${pct(a?.last?.testAccuracy ?? null)} in ${formatDuration(a?.seconds ?? 0)} ${suite}`,
      );
  }

  /** Removes the live bars (call before printing anything else). */
  close(): void {
    if (this.sink.isTTY) this.clear();
  }
}
