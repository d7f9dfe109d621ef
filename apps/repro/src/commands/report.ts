import { join } from 'node:path';
import type { Command } from 'commander';
import { UsageError } from '../errors';
import { DOCS_ASSETS, writeDocsAssets } from '../report/docs';
import { buildReport, checkResultsDir } from '../report/write';
import { withResultsLock } from '../results/lock';
import { checkReportTarget } from '../run/out-dir';
import type { CliIo, CommandContext } from './context';

/** Options of `report`. */
interface ReportOptions {
  docs?: string;
  overwrite?: boolean;
}

/** `report`: rebuilds a results folder's report, or writes its assets into the docs site (`--docs`). */
async function reportCommand(dir: string, options: ReportOptions, io: CliIo): Promise<void> {
  if (options.docs === undefined) {
    if (options.overwrite === true) throw new UsageError('report: --overwrite needs --docs <site>');
    checkResultsDir(dir);
    checkReportTarget(dir);
    const outcome = await withResultsLock(dir, 'report', () => buildReport(dir));
    io.stdout.write(`rebuilt ${outcome.files.length} files for ${outcome.experiments.join(', ')}\n`);
    return;
  }
  if (options.docs === '') throw new UsageError('report: --docs is empty; expected the docs site folder');
  const command = `fbt-repro report ${dir} --docs ${options.docs}${options.overwrite === true ? ' --overwrite' : ''}`;
  const files = await writeDocsAssets(dir, options.docs, { overwrite: options.overwrite === true, command });
  io.stdout.write(`wrote ${files.length} files under ${join(options.docs, DOCS_ASSETS)}\n`);
}

/** Adds `fbt-repro report <dir>`. */
export function addReportCommand(program: Command, { io }: CommandContext): void {
  program
    .command('report')
    .description('rebuild tables, plots and REPORT.md from saved metrics, without training')
    .argument('<dir>', 'a results directory written by `run`')
    .option(
      '--docs <site>',
      'instead, write its tables and SVG figures into the docs site at <site> (public/repro/), leaving <dir> as it is',
    )
    .option('--overwrite', 'with --docs: replace the reproduction assets already there')
    .action(async (dir: string, options: ReportOptions) => reportCommand(dir, options, io));
}
