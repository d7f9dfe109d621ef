import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, tempDir } from './helpers';
import { UNIT_STUDY } from './fixtures';

const valid = UNIT_STUDY;

/** Where a case runs: a fresh folder, the `--out` inside it (absent) and a file that is not a folder. */
interface Place {
  readonly dir: string;
  readonly out: string;
  readonly file: string;
}

/** One bad input: the arguments (given its place), and what the one line must say. */
type Case = readonly [what: string, argv: (p: Place) => string[], message: RegExp];

const mlp = { model: { kind: 'mlp', hidden: [8] }, loss: 'cross-entropy' };
const digits = { dataset: { name: 'digits', testFraction: 0.2 } };
const mnist = (extra: object) => ({ ...mlp, dataset: { name: 'mnist', ...extra } });

/** A config file with `valid` changed by `change` (or raw text), run into the case's --out. */
function config(change: Record<string, unknown> | string): (p: Place) => string[] {
  return (p) => {
    const path = join(p.dir, 'study.json');
    writeFileSync(path, typeof change === 'string' ? change : JSON.stringify({ ...valid, ...change }));
    return ['run', '--config', path, '--out', p.out];
  };
}

/** A config file whose text is `valid` with `key` set to raw JSON text. */
function rawField(key: string, json: string): (p: Place) => string[] {
  const text = JSON.stringify({ ...valid, [key]: '@@' }).replace('"@@"', json);
  return config(text);
}

/** `run suc-ones` with extra arguments, into the case's --out. */
function run(...args: string[]): (p: Place) => string[] {
  return (p) => ['run', 'suc-ones', ...args, '--out', p.out];
}

/** Inputs of a million features: a small data set under very large weight matrices. */
const wide = {
  dataset: { name: 'ones', d: 1_000_000, n: 10, tau: 0.5, testFraction: 0.2 },
  loss: 'cross-entropy',
};

/** A config changed by `change`, run on the wasm backend. */
function onWasm(change: Record<string, unknown>): (p: Place) => string[] {
  return (p) => [...config(change)(p), '--backend', 'wasm'];
}

const deep = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;

const configCases: Case[] = [
  ['epochs 1e308', config({ epochs: 1e308 }), /"epochs" is 1e\+308; expected an integer from 1 to 10000$/],
  ['epochs 0', config({ epochs: 0 }), /"epochs" is 0; expected an integer from 1 to 10000/],
  ['epochs 1.5', config({ epochs: 1.5 }), /"epochs" is 1\.5; expected an integer/],
  ['epochs as a string', config({ epochs: '3' }), /"epochs" is "3"; expected an integer/],
  ['epochs 10001', config({ epochs: 10001 }), /"epochs" is 10001; expected an integer from 1 to 10000/],
  ['epochs missing', config({ epochs: undefined }), /"epochs" is missing; expected an integer/],
  [
    'batchSize 1e7',
    config({ batchSize: 1e7 }),
    /"batchSize" is 10000000; expected an integer from 1 to 1000000/,
  ],
  ['batchSize null', config({ batchSize: null }), /"batchSize" is null; expected an integer/],
  [
    'lr -1',
    config({ optimizer: { name: 'sgd', lr: -1 } }),
    /^fbt-repro: .*study\.json: "optimizer\.lr" is -1; expected a positive number$/,
  ],
  ['lr 0', config({ optimizer: { name: 'sgd', lr: 0 } }), /"optimizer\.lr" is 0; expected a positive number/],
  [
    'lr 1e4',
    config({ optimizer: { name: 'sgd', lr: 1e4 } }),
    /"optimizer\.lr" is 10000; expected a positive number up to 1000/,
  ],
  [
    'momentum 2',
    config({ optimizer: { name: 'sgd', lr: 0.1, momentum: 2 } }),
    /"optimizer\.momentum" is 2; expected a number from 0 to 1/,
  ],
  [
    'an unknown optimizer',
    config({ optimizer: { name: 'rmsprop', lr: 0.1 } }),
    /"optimizer\.name" is "rmsprop"; expected one of sgd, adam$/,
  ],
  [
    'optimizer extra key',
    config({ optimizer: { name: 'sgd', lr: 0.1, decay: 1 } }),
    /unknown key "optimizer\.decay"; expected one of name, lr, momentum/,
  ],
  ['optimizer not an object', config({ optimizer: 'sgd' }), /"optimizer" is "sgd"; expected an object/],
  [
    'seed 2^32',
    config({ seeds: [0, 4294967296] }),
    /"seeds\[1\]" is 4294967296; expected an integer from 0 to 4294967295/,
  ],
  ['negative seed', config({ seeds: [-1] }), /"seeds\[0\]" is -1; expected an integer from 0/],
  ['fractional seed', config({ seeds: [0.5] }), /"seeds\[0\]" is 0\.5; expected an integer/],
  ['repeated seed', config({ seeds: [1, 1] }), /"seeds" is \[1,1\]; expected distinct seeds/],
  ['no seeds', config({ seeds: [] }), /"seeds" is \[\]; expected a non-empty array/],
  [
    '1001 seeds',
    config({ seeds: Array.from({ length: 1001 }, (_, i) => i) }),
    /"seeds" is \[0,1,2,3,4,5,6,7,8,9,…\]; expected a non-empty array of at most 1000/,
  ],
  [
    'unknown forward',
    config({ forwards: ['swish'] }),
    /"forwards\[0\]" is "swish"; expected one of logistic, relu/,
  ],
  ['no forwards', config({ forwards: [] }), /"forwards" is \[\]; expected a non-empty array/],
  ['unknown rule', config({ rules: [{ name: 'wobbly' }] }), /"rules\[0\]": .*wobbly/],
  [
    'rule without a name',
    config({ rules: [{}] }),
    /"rules\[0\]\.name" is missing; expected a non-empty string/,
  ],
  [
    'rule extra key',
    config({ rules: [{ name: 'tied', scale: 2 }] }),
    /unknown key "rules\[0\]\.scale"; expected one of name, params/,
  ],
  [
    'rule param not a number',
    config({ rules: [{ name: 'rectangular', params: { a: 'x' } }] }),
    /"rules\[0\]\.params\.a" is "x"; expected a finite number/,
  ],
  [
    'rule param 1e7',
    config({ rules: [{ name: 'rectangular', params: { a: 1e7 } }] }),
    /"rules\[0\]\.params\.a" is 10000000; expected a number from -1000000 to 1000000/,
  ],
  [
    'rule param __proto__',
    rawField('rules', '[{"name":"rectangular","params":{"__proto__":1}}]'),
    /"rules\[0\]\.params\.__proto__" uses a reserved key name; expected names of letters and digits/,
  ],
  [
    'rule param named a-b',
    config({ rules: [{ name: 'rectangular', params: { 'a-b': 1 } }] }),
    /"rules\[0\]\.params" has key "a-b"; expected parameter names of letters and digits/,
  ],
  [
    'rule params an array',
    config({ rules: [{ name: 'tied', params: [1] }] }),
    /"rules\[0\]\.params" is \[1\]; expected an object of numbers/,
  ],
  [
    'a rule twice',
    config({ rules: [{ name: 'tied' }, { name: 'tied' }] }),
    /the grid lists config "logistic-tied" twice/,
  ],
  ['name with a slash', config({ name: '../x' }), /"name" is "\.\.\/x"; expected letters, digits/],
  [
    'name of a built-in experiment',
    config({ name: 'suc-ones' }),
    /name "suc-ones" is a built-in experiment; choose another name/,
  ],
  [
    'name of 200 characters',
    config({ name: 'a'.repeat(200) }),
    /"name" is "a{58}…; expected a name of at most 100 characters/,
  ],
  ['name missing', config({ name: undefined }), /"name" is missing; expected a non-empty string/],
  [
    'description of 5000 characters',
    config({ description: 'd'.repeat(5000) }),
    /"description" is "d{58}…; expected a string of at most 1000/,
  ],
  [
    'unknown top-level key',
    config({ extra: 1 }),
    /unknown key "extra"; expected one of name, description, model/,
  ],
  ['top-level __proto__', rawField('__proto__', '{"polluted":true}'), /"__proto__" uses a reserved key name/],
  [
    'unknown model',
    config({ model: { kind: 'cnn' } }),
    /"model\.kind" is "cnn"; expected one of unit, mlp, lenet5, binary-mlp/,
  ],
  ['model not an object', config({ model: 'mlp' }), /"model" is "mlp"; expected an object/],
  [
    'hidden width 0',
    config({ ...mlp, ...digits, model: { kind: 'mlp', hidden: [0] } }),
    /"model\.hidden\[0\]" is 0; expected an integer from 1 to 1000000/,
  ],
  [
    'no hidden layers',
    config({ ...mlp, ...digits, model: { kind: 'mlp', hidden: [] } }),
    /"model\.hidden" is \[\]; expected a non-empty array/,
  ],
  [
    'unit with hidden widths',
    config({ model: { kind: 'unit', hidden: [4] } }),
    /unknown key "model\.hidden"; expected one of kind/,
  ],
  [
    'weight matrix over 2^30 elements',
    config({ ...mlp, ...digits, model: { kind: 'mlp', hidden: [10000, 1000000] } }),
    /"model\.hidden\[1\]" is 1000000; expected a width whose weight matrix \(10000 × width\)/,
  ],
  [
    'Ones data over 2^30 elements',
    config({ dataset: { name: 'ones', d: 1000000, n: 2000, tau: 0.5, testFraction: 0.2 } }),
    /"dataset\.n" is 2000; expected n × d up to 2\^30/,
  ],
  [
    'lenet5 on the Ones data',
    config({ ...mlp, model: { kind: 'lenet5' } }),
    /"dataset\.name" is "ones"; expected mnist or fashion-mnist for model "lenet5"/,
  ],
  [
    'bce with a multi-output model',
    config({ ...digits, model: { kind: 'mlp', hidden: [8] } }),
    /"loss" is "bce"; expected cross-entropy for model "mlp"/,
  ],
  [
    'mse with a binary MLP',
    config({ ...digits, loss: 'mse', model: { kind: 'binary-mlp', hidden: [8] } }),
    /"loss" is "mse"; expected cross-entropy for model "binary-mlp"/,
  ],
  [
    'cross-entropy with one output',
    config({ loss: 'cross-entropy' }),
    /"loss" is "cross-entropy"; expected bce or mse for model "unit"/,
  ],
  [
    'one output on ten classes',
    config({ ...digits }),
    /"dataset\.name" is "digits"; expected ones for model "unit"/,
  ],
  [
    'an empty test set',
    config({ dataset: { name: 'ones', d: 4, n: 100, tau: 0.5, testFraction: 0.001 } }),
    /"dataset\.testFraction" is 0\.001; expected a fraction that leaves both splits non-empty for 100 examples \(test set: 0\)/,
  ],
  [
    'an empty training set',
    config({ ...mlp, dataset: { name: 'digits', testFraction: 0.9999 } }),
    /"dataset\.testFraction" is 0\.9999; expected a fraction that leaves both splits non-empty for 1797/,
  ],
  [
    'tau 1',
    config({ dataset: { name: 'ones', d: 4, n: 100, tau: 1, testFraction: 0.2 } }),
    /"dataset\.tau" is 1; expected a number strictly between 0 and 1/,
  ],
  [
    'MNIST trainSize 1e9',
    config(mnist({ trainSize: 1e9 })),
    /"dataset\.trainSize" is 1000000000; expected an integer from 1 to 60000/,
  ],
  [
    'MNIST testSize 0',
    config(mnist({ testSize: 0 })),
    /"dataset\.testSize" is 0; expected an integer from 1 to 10000/,
  ],
  [
    'unknown dataset',
    config({ dataset: { name: 'cifar' } }),
    /"dataset\.name" is "cifar"; expected one of ones, digits, mnist, fashion-mnist/,
  ],
  ['unknown loss', config({ loss: 'hinge' }), /"loss" is "hinge"; expected one of bce, mse, cross-entropy/],
  ['a 10 000-character loss', config({ loss: 'x'.repeat(10000) }), /"loss" is "x{58}…; expected one of bce/],
  ['probe "yes"', config({ probe: 'yes' }), /"probe" is "yes"; expected true or false/],
  ['a top level that is an array', config('[1]'), /"\(top level\)" is \[1\]; expected an object/],
  ['a top level that is null', config('null'), /"\(top level\)" is null; expected an object/],
  ['not JSON', config('{ name: '), /study\.json is not valid JSON/],
  ['an empty file', config(''), /study\.json is not valid JSON/],
  [
    'a value 16 deep (17 levels with the top)',
    rawField('description', deep(16)),
    /study\.json: "description" is nested more than 16 levels deep; expected a config of at most 16 levels$/,
  ],
  [
    'a value 15 deep is checked as usual',
    rawField('description', deep(15)),
    /"description" is \[\[\[\[\[…\]\]\]\]\]; expected a non-empty string/,
  ],
  [
    'a 10 000-deep value under an unknown key',
    rawField('notes', deep(10000)),
    /"notes" is nested more than 16 levels/,
  ],
  ['a 10 000-deep model', rawField('model', deep(10000)), /"model" is nested more than 16 levels deep/],
  ['a 10 000-deep top level', config(deep(10000)), /"\(top level\)" is nested more than 16 levels deep/],
  [
    'a model of 10^9 parameters on wasm (issue 23, group 9)',
    onWasm({ ...wide, model: { kind: 'mlp', hidden: [1000] } }),
    /study\/.*: its weight matrix model\.hidden\[0\] \(1000 × 1000000\) needs 3\.7 GiB, and one tensor must stay below 1 GiB; the wasm backend's memory holds at most 4 GiB: use --backend cpu or a smaller model$/,
  ],
  [
    'a model whose weights, gradients and momentum exceed 4 GiB on wasm',
    onWasm({ ...wide, model: { kind: 'mlp', hidden: [250, 1000000] } }),
    /: its 503000252 parameters need 5\.6 GiB with their gradients and the optimizer's state; the wasm backend's memory holds at most 4 GiB/,
  ],
  [
    'a config path that is a folder',
    (p) => ['run', '--config', p.dir, '--out', p.out],
    /cannot read config file .*: EISDIR/,
  ],
  [
    'a config file that is missing',
    (p) => ['run', '--config', join(p.dir, 'nope.json'), '--out', p.out],
    /cannot read config file .*nope\.json: ENOENT/,
  ],
];

const flagCases: Case[] = [
  [
    '--epochs 99999999999999999999',
    run('--epochs', '99999999999999999999'),
    /--epochs must be a positive integer up to 10000/,
  ],
  ['--epochs 10001', run('--epochs', '10001'), /--epochs must be a positive integer up to 10000/],
  ['--epochs -1', run('--epochs', '-1'), /--epochs must be a positive integer/],
  ['--epochs 1e3', run('--epochs', '1e3'), /--epochs must be a positive integer/],
  ['--epochs 0', run('--epochs', '0'), /--epochs must be a positive integer/],
  ['--batch-size 0', run('--batch-size', '0'), /--batch-size must be a positive integer up to 1000000/],
  [
    '--batch-size 10000000',
    run('--batch-size', '10000000'),
    /--batch-size must be a positive integer up to 1000000/,
  ],
  ['--lr 1e308', run('--lr', '1e308'), /--lr must be a positive number up to 1000/],
  ['--lr abc', run('--lr', 'abc'), /--lr must be a positive number/],
  ['--lr NaN', run('--lr', 'NaN'), /--lr must be a positive number/],
  ['--lr Infinity', run('--lr', 'Infinity'), /--lr must be a positive number/],
  ['--lr empty', run('--lr', ''), /--lr must be a positive number/],
  ['--lr -0.1', run('--lr', '-0.1'), /--lr must be a positive number/],
  ['--seeds 4294967296', run('--seeds', '4294967296'), /--seeds must be at most 1000 seeds below 2\^32/],
  [
    '--seeds that collide mod 2^32',
    run('--seeds', '0,4294967296'),
    /--seeds must be at most 1000 seeds below 2\^32 \(larger seeds repeat smaller ones\)/,
  ],
  ['--seeds empty', run('--seeds', ''), /--seeds must be a comma-separated list/],
  ['--seeds repeated', run('--seeds', '3,3'), /--seeds lists a seed twice/],
  ['--workers 0', run('--workers', '0'), /--workers must be a positive integer up to 1024/],
  ['--workers 100000', run('--workers', '100000'), /--workers must be a positive integer up to 1024/],
  ['--attempts 0', run('--attempts', '0'), /--attempts must be a positive integer up to 100/],
  ['--attempts 1000', run('--attempts', '1000'), /--attempts must be a positive integer up to 100/],
  [
    'worker --concurrency 100000',
    () => ['worker', '--concurrency', '100000'],
    /--concurrency must be a positive integer up to 1024/,
  ],
  [
    'worker --lock-ms 10^12',
    () => ['worker', '--lock-ms', '1000000000000'],
    /--lock-ms must be a positive integer up to 86400000/,
  ],
  ['--out empty', () => ['run', 'suc-ones', '--out', ''], /--out is empty; expected a folder path/],
  [
    '--out a file',
    (p) => ['run', 'suc-ones', '--out', p.file],
    /--out .*notes\.txt: .*notes\.txt is a file; expected a folder/,
  ],
  [
    '--out inside a file',
    (p) => ['run', 'suc-ones', '--out', join(p.file, 'results')],
    /--out .*: .*notes\.txt is a file; expected a folder/,
  ],
  [
    '--out /dev/null',
    () => ['run', 'suc-ones', '--out', '/dev/null'],
    /--out \/dev\/null: \/dev\/null is a file/,
  ],
  ['a 5000-character experiment name', run('x'.repeat(5000)), /unknown experiment 'x{59}…'/],
  ['a 5000-character unknown flag', run(`--${'y'.repeat(5000)}`), /unknown option '--y{57}…'/],
  ['--configs with a slash', run('--configs', 'a/b'), /--configs must be comma-separated/],
  ['--quick with --full', run('--quick', '--full'), /option '--quick' cannot be used with option '--full'/],
  ['--backend tpu', run('--backend', 'tpu'), /--backend: unknown backend 'tpu'/],
  ['run without experiments', (p) => ['run', '--out', p.out], /name at least one experiment/],
  ['an unknown command', () => ['train'], /unknown command 'train'/],
  ['fetch of an unknown data set', () => ['fetch', 'cifar'], /fetch: unknown data set 'cifar'/],
  [
    'report on a file',
    (p) => ['report', p.file],
    /report: .*notes\.txt is a file; expected a results directory/,
  ],
  [
    'report on a missing folder',
    (p) => ['report', join(p.dir, 'none')],
    /report: cannot read .*none \(ENOENT\)/,
  ],
  ['report on an empty folder', (p) => ['report', p.dir], /report: no finished runs under/],
  [
    'report on an empty path',
    () => ['report', ''],
    /report: the directory is empty; expected a results directory/,
  ],
];

function place(): Place {
  const dir = tempDir();
  const file = join(dir, 'notes.txt');
  writeFileSync(file, 'not a folder');
  return { dir, out: join(dir, 'results'), file };
}

describe('bad input: exit 2, one line of at most 300 characters, nothing written', () => {
  it('has at least 60 cases', () => {
    expect(configCases.length + flagCases.length).toBeGreaterThanOrEqual(60);
  });

  for (const [what, argv, message] of [...configCases, ...flagCases]) {
    it(what, async () => {
      const p = place();
      const { code, stdout, stderr } = await cli(...argv(p));
      expect(stderr).toMatch(/^fbt-repro: [^\n]*\n$/);
      expect(stderr.length - 1).toBeLessThanOrEqual(300);
      expect(stderr.trimEnd()).toMatch(message);
      expect(code).toBe(2);
      expect(stdout).toBe('');
      expect(existsSync(p.out)).toBe(false);
      expect(readFileSync(p.file, 'utf8')).toBe('not a folder');
    });
  }

  it('a config nested 100 000 deep is refused in one line within 2 s (issue 23)', async () => {
    const p = place();
    const path = join(p.dir, 'study.json');
    const seeds = `${'['.repeat(100_000)}0${']'.repeat(100_000)}`;
    writeFileSync(path, JSON.stringify({ ...valid, seeds: '@@' }).replace('"@@"', seeds));
    const started = performance.now();
    const { code, stderr } = await cli('run', '--config', path, '--out', p.out);
    expect(performance.now() - started).toBeLessThan(2000);
    expect(code).toBe(2);
    expect(stderr).toMatch(
      /^fbt-repro: .*study\.json: "seeds" is nested more than 16 levels deep; expected a config of at most 16 levels\n$/,
    );
    expect(existsSync(p.out)).toBe(false);
  });

  it('a bad FBT_THREADS in the environment', async () => {
    const p = place();
    const saved = process.env.FBT_THREADS;
    process.env.FBT_THREADS = 'many';
    try {
      const { code, stdout, stderr } = await cli('run', 'suc-ones', '--quick', '--out', p.out);
      expect(stderr).toBe("fbt-repro: FBT_THREADS: got 'many'; expected an integer from 1 to 64\n");
      expect(code).toBe(2);
      expect(stdout).toBe('');
      expect(existsSync(p.out)).toBe(false);
    } finally {
      if (saved === undefined) delete process.env.FBT_THREADS;
      else process.env.FBT_THREADS = saved;
    }
  });

  it('an --out folder that cannot be written in', async () => {
    if (process.getuid?.() === 0) return; // root may write anywhere
    const p = place();
    mkdirSync(p.out, { mode: 0o500 });
    const { code, stderr } = await cli('run', 'suc-ones', '--out', join(p.out, 'inner'));
    expect(code).toBe(2);
    expect(stderr).toMatch(/cannot write in .*results \(EACCES\)/);
  });
});

describe('no arguments', () => {
  it('prints the help on stdout and exits 0, like --help', async () => {
    const { code, stdout, stderr } = await cli();
    expect(code).toBe(0);
    expect(stderr).toBe('');
    expect(stdout).toMatch(/^Usage: fbt-repro \[options\] \[command\]/);
    expect(stdout).toContain('report');
  });
});
