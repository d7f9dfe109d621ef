// `pnpm api:check` / `pnpm api:update`: the public API of every published package, one API Extractor
// report per export entry (`packages/<dir>/etc/<dir>.api.md`, `<dir>-node.api.md` for `./node`), made from
// the built declarations (`dist/*.d.ts`; build first) with the shared settings in api-extractor.json.
// check: fails when a built API differs from its committed report and prints the command that updates it.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { ConsoleMessageId, Extractor, ExtractorConfig } from '@microsoft/api-extractor';
import { publishablePackages, ROOT } from './lib/packages.mjs';

const update = process.argv.includes('--update');
const shared = ExtractorConfig.loadFile(join(ROOT, 'api-extractor.json'));
const temp = mkdtempSync(join(tmpdir(), 'fbt-api-report-'));

/** `[reportFileName, declaration file]` for each code entry of the package's `exports`. */
function entries(pkg) {
  const dir = basename(pkg.dir);
  return Object.keys(pkg.manifest.exports)
    .filter((subpath) => subpath !== './package.json')
    .map((subpath) =>
      subpath === '.'
        ? [dir, 'dist/index.d.ts']
        : [`${dir}-${subpath.slice(2)}`, `dist/${subpath.slice(2)}.d.ts`],
    );
}

const outdated = [];
try {
  for (const pkg of publishablePackages()) {
    if (update) mkdirSync(join(pkg.dir, 'etc'), { recursive: true });
    for (const [reportFileName, declarations] of entries(pkg)) {
      const config = ExtractorConfig.prepare({
        configObject: {
          ...shared,
          projectFolder: pkg.dir,
          mainEntryPointFilePath: join(pkg.dir, declarations),
          apiReport: { ...shared.apiReport, reportFileName, reportTempFolder: temp },
        },
        configObjectFullPath: join(ROOT, 'api-extractor.json'),
        packageJsonFullPath: join(pkg.dir, 'package.json'),
      });
      const result = Extractor.invoke(config, {
        localBuild: update,
        printApiReportDiff: !update,
        messageCallback: filterMessages,
      });
      const report = `packages/${basename(pkg.dir)}/etc/${reportFileName}.api.md`;
      if (result.apiReportChanged) {
        console.log(`api ${report}: ${update ? 'updated' : 'DIFFERS from the built API (diff above)'}`);
        if (!update) outdated.push(report);
      } else if (!result.succeeded) {
        console.log(
          `api ${report}: FAILED, ${result.errorCount} error(s), ${result.warningCount} warning(s)`,
        );
        outdated.push(report);
      } else {
        console.log(`api ${report}: unchanged`);
      }
    }
  }
} finally {
  rmSync(temp, { recursive: true, force: true });
}
if (outdated.length > 0) {
  console.error(
    `api-report: ${outdated.length} report(s) out of date; review the change, then run \`pnpm api:update\` and commit packages/*/etc/`,
  );
  process.exit(1);
}

/**
 * Hides API Extractor's progress lines and its advice to copy the report out of a temporary folder that
 * this script deletes; the diff, other warnings and errors still print.
 */
function filterMessages(message) {
  const progress = message.logLevel === 'info' || message.logLevel === 'verbose';
  if (progress || message.messageId === ConsoleMessageId.ApiReportNotCopied) message.handled = true;
}
