import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { suc } from './fixtures';
import { hashTree, sameFiles } from './faulty-fs';
import { cli, expectWholeFiles, leftoverTemps, tempDir } from './helpers';
import { describeTmpfs, inTmpfs } from './tmpfs';

/** The built CLI, run inside the mount namespace. */
const CLI = fileURLToPath(new URL('../dist/cli.js', import.meta.url));

/**
 * Copies `seed` onto a fresh 2 MiB tmpfs, runs the shell command `prepare` there (`$T` is the
 * tmpfs), then the CLI with `args`, and copies what is left (without the filler of a full disk) to a
 * folder it returns.
 */
function onTmpfs(
  seed: string,
  prepare: string,
  args: string,
): { code: number; stderr: string; after: string } {
  const after = tempDir();
  const result = inTmpfs(
    tempDir(),
    '2m',
    `cp -a "$SEED/." "$T/" && ${prepare} && { "$NODE" "$CLI" ${args}; echo "exit $?" >&2; } ;
     rm -f "$T/filler" 2>/dev/null; cp -a "$T/." "$AFTER/"`,
    { SEED: seed, AFTER: after, NODE: process.execPath, CLI },
  );
  const match = /exit (\d+)\n$/.exec(result.stderr);
  if (match === null) throw new Error(`the namespace script failed: ${result.stderr}`);
  return { code: Number(match[1]), stderr: result.stderr.slice(0, match.index), after };
}

/** Fills the tmpfs but `freeKiB` KiB. */
const fill = (freeKiB: number): string =>
  `(dd if=/dev/zero of="$T/filler" bs=4k 2>/dev/null; true) && truncate -s -${freeKiB}K "$T/filler"`;

/** Earlier results: two finished suc-ones runs and their report. */
async function earlierResults(): Promise<string> {
  const out = tempDir();
  suc(out, 'tied', 0, [0.5, 0.9, 1], [1, 1]);
  suc(out, 'tied', 1, [0.5, 0.8, 1], [1, 1]);
  expect((await cli('report', out)).code).toBe(0);
  return out;
}

const NEW_RUN =
  'run suc-ones --full --configs constant --seeds 0 --epochs 2 --backend cpu --workers 1 --out "$T"';

describeTmpfs('a real full disk: a 2 MiB tmpfs in a private mount namespace (issue 23, group 1)', () => {
  it.skipIf(!existsSync(CLI))(
    'run and report: never exit 0, one line naming the file, earlier results byte-identical, the rest whole',
    async () => {
      const seed = await earlierResults();
      const before = hashTree(seed);
      // 0 KiB: nothing fits; 8: the run's files fit, not the report; 24: some of the report fits.
      for (const [freeKiB, args] of [
        [0, NEW_RUN],
        [8, NEW_RUN],
        [24, NEW_RUN],
        // Two runs on two worker threads: a thread's write error stops the pool.
        [8, NEW_RUN.replace('--seeds 0', '--seeds 0,1').replace('--workers 1', '--workers 2')],
        [0, 'report "$T"'],
      ] as const) {
        const what = `${args.split(' ')[0]} with ${freeKiB} KiB free`;
        const { code, stderr, after } = onTmpfs(seed, fill(freeKiB), args);
        expect(code, `${what}: ${stderr}`).toBe(1);
        expect(stderr, what).toMatch(
          /^fbt-repro: cannot write \S+: no space left on the device \(ENOSPC\)\n$/,
        );
        const hashes = hashTree(after);
        for (const rel of before.keys())
          if (rel.includes('seed-')) expect(hashes.get(rel), `${what}: ${rel}`).toBe(before.get(rel));
        expectWholeFiles(after);
        expect(leftoverTemps(after), what).toEqual([]);
        // Each report file is the earlier one or the complete new one (a fault-free rebuild gives it).
        const left = sameFiles(before, hashes);
        expect((await cli('report', after)).code).toBe(0);
        const rebuilt = hashTree(after);
        for (const [rel, hash] of left)
          expect([before.get(rel), rebuilt.get(rel)], `${what}: ${rel}`).toContain(hash);
      }
    },
    120_000,
  );

  it.skipIf(!existsSync(CLI))(
    'a read-only results folder (EROFS): report and run refuse it in one line before any work, exit 2 (issue 23, group 7)',
    async () => {
      const seed = await earlierResults();
      for (const [args, message] of [
        ['report "$T"', /^fbt-repro: report: cannot write in \S+ \(EROFS\)\n$/],
        [NEW_RUN, /^fbt-repro: --out \S+: cannot write in \S+ \(EROFS\)\n$/],
      ] as const) {
        const { code, stderr, after } = onTmpfs(seed, 'mount -o remount,ro "$T"', args);
        expect(stderr).toMatch(message);
        expect(code).toBe(2);
        expect(hashTree(after)).toEqual(hashTree(seed));
      }
    },
    60_000,
  );
});
