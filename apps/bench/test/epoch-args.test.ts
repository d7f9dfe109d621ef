import { describe, expect, it } from 'vitest';
import { epochBatchSizes } from '../src/epoch/args';

describe('epoch mode command line', () => {
  it('takes --batch as positive integers separated by commas, 256 and 64 by default', () => {
    expect(epochBatchSizes([])).toEqual([256, 64]);
    expect(epochBatchSizes(['--batch', '128'])).toEqual([128]);
    expect(epochBatchSizes(['--batch=32,16'])).toEqual([32, 16]);
  });

  it.each([
    [['--batch', '0'], '--batch 0: expected positive integers separated by commas, e.g. 256,64'],
    [['--batch', '64,x'], '--batch 64,x: expected positive integers separated by commas, e.g. 256,64'],
    [['--batch', '1.5'], '--batch 1.5: expected positive integers separated by commas, e.g. 256,64'],
    [['--batch', ''], '--batch : expected positive integers separated by commas, e.g. 256,64'],
    [['--batches', '64'], /^Unknown option '--batches'.*; expected: epoch \[--batch 256,64\]$/],
    [['64'], /^Unexpected argument '64'.*; expected: epoch \[--batch 256,64\]$/],
    [['--batch'], /^Option '--batch <value>' argument missing; expected: epoch \[--batch 256,64\]$/],
  ])('refuses %j with one line naming it', (argv, message) => {
    expect(() => epochBatchSizes(argv)).toThrow(message);
  });
});
