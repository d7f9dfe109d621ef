import type { Command } from 'commander';
import { forTerminal } from '../escape';
import { collectQueue } from '../queue/collect';
import { checkReachable, parseQueueUrl } from '../queue/connection';
import { withResultsLock } from '../results/lock';
import { checkOutDir } from '../run/out-dir';
import type { CommandContext } from './context';
import { writeReportWithVerdicts } from './verdicts';

/** Adds `fbt-repro collect`: writes a queue's finished runs into a results folder and builds REPORT.md. */
export function addCollectCommand(program: Command, { io, setExit }: CommandContext): void {
  program
    .command('collect')
    .description('write the finished runs on a Redis job queue into a results directory and build REPORT.md')
    .requiredOption('--queue <url>', 'redis://[[user]:password@]host:port[/db], or rediss://… for TLS')
    .option('--out <dir>', 'results directory', 'results')
    .action(async (options: { queue: string; out: string }) => {
      const target = parseQueueUrl(options.queue, 'submitter');
      checkOutDir(options.out);
      await checkReachable(target);
      await withResultsLock(options.out, 'collect', async () => {
        const outcome = await collectQueue(target, options.out);
        io.stdout.write(
          `collected ${outcome.written} runs (${outcome.present} already in ${options.out}, ${outcome.failed.length} failed${outcome.failed.map((f) => forTerminal(`; ${f.experiment}/${f.config} seed ${f.seed}: ${f.reason}`)).join('')})\n`,
        );
        if (outcome.written + outcome.present > 0) await writeReportWithVerdicts(options.out, io);
        setExit(outcome.failed.length > 0 ? 1 : 0);
      });
    });
}
