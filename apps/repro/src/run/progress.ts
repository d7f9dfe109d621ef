import type { RunSpec } from '../experiments/types';
import type { EpochMetrics } from '../results/records';

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
  const loss = m?.trainLoss === null || m === null ? '–' : m.trainLoss.toFixed(4);
  return `epoch ${a.epoch}/${total} loss ${loss} train ${pct(m?.trainAccuracy ?? null)} test ${pct(m?.testAccuracy ?? null)} ETA ${eta}`;
}

/**
 * Reports run progress: on a terminal, one redrawn bar per active run (epoch, loss, accuracy, ETA)
 * under an overall counter; elsewhere (CI, pipes), one plain line per event.
 */
export class Progress {
  private readonly active = new Map<string, Active>();
  private done = 0;
  private drawnLines = 0;

  constructor(
    private readonly sink: ProgressSink,
    private readonly total: number,
  ) {}

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
    const lines = [`runs ${this.done}/${this.total}`];
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
    this.log(`skip  ${runName(run)} (finished earlier)`);
  }

  /** A run started. */
  started(run: RunSpec): void {
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
    if (error !== undefined) this.log(`FAIL  ${runName(run)}: ${error}`);
    else
      this.log(
        `done  ${runName(run)} test ${pct(a?.last?.testAccuracy ?? null)} in ${formatDuration(a?.seconds ?? 0)}`,
      );
  }

  /** Removes the live bars (call before printing anything else). */
  close(): void {
    if (this.sink.isTTY) this.clear();
  }
}
