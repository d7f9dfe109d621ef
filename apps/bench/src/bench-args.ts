import { parseArgs } from 'node:util';
import { NO_XVFB } from './gpu';
import { PYTHON_ENV } from './torch/python';

/** What `pnpm bench` (dist/main.js) prints for `--help`. */
export const BENCH_USAGE = [
  'usage: bench [--help]',
  'Times every workload on every backend and peer, prints the tables and writes results/latest.json.',
  'It takes no other arguments; settings come from the environment:',
  `  ${PYTHON_ENV}=<python>     the Python with torch for the pytorch column (default: python3, /usr/bin/python3)`,
  `  ${NO_XVFB}=1     do not rerun under xvfb-run for the fbt-gpu column`,
].join('\n');

/** A bad command line of the bench: the caller prints its message as one line and exits 2. */
export class BenchUsageError extends Error {}

/**
 * Reads the bench's command line: `'help'` for `--help` / `-h`, `'run'` for none. Refuses any
 * other flag or a stray argument, naming it, before any work starts (a mistyped flag must not
 * silently run the whole bench).
 */
export function benchMode(argv: readonly string[]): 'run' | 'help' {
  try {
    const { values } = parseArgs({
      args: [...argv],
      options: { help: { type: 'boolean', short: 'h' } },
      strict: true,
      allowPositionals: false,
    });
    return values.help === true ? 'help' : 'run';
  } catch (error) {
    throw new BenchUsageError(`${(error as Error).message}; expected: bench [--help] (no other arguments)`);
  }
}
