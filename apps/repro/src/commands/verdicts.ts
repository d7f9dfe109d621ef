import { buildReport } from '../report/write';
import type { CliIo } from './context';

/** Builds REPORT.md in `out` and prints each claim's verdict and the report's path. */
export async function writeReportWithVerdicts(out: string, io: Pick<CliIo, 'stdout'>): Promise<void> {
  const report = await buildReport(out);
  io.stdout.write('verdicts:\n');
  for (const c of report.claims) io.stdout.write(`  ${c.verdict.padEnd(13)} ${c.statement}\n`);
  io.stdout.write(`report: ${report.files[report.files.length - 1]}\n`);
}
