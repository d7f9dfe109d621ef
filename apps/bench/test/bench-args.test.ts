import { describe, expect, it } from 'vitest';
import { BENCH_USAGE, BenchUsageError, benchMode } from '../src/bench-args';

describe('benchMode', () => {
  it('runs with no arguments and helps with --help or -h', () => {
    expect(benchMode([])).toBe('run');
    expect(benchMode(['--help'])).toBe('help');
    expect(benchMode(['-h'])).toBe('help');
    expect(BENCH_USAGE).toContain('FBT_PYTHON');
  });

  it('refuses an unknown flag, naming it', () => {
    expect(() => benchMode(['--threads', '4'])).toThrow(BenchUsageError);
    expect(() => benchMode(['--threads', '4'])).toThrow(/'--threads'.*expected: bench \[--help\]/);
  });

  it('refuses a stray argument, naming it', () => {
    expect(() => benchMode(['matmul'])).toThrow(/'matmul'.*expected: bench \[--help\]/);
  });
});
