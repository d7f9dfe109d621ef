import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { FbtDataError, loadDigits, parseDigitsCsv } from '../src/node';

describe('DIGITS', () => {
  it('loads 1797 samples of 64 features 0..16 with labels 0..9 from the package', () => {
    const { features, labels } = loadDigits();
    expect(features.shape).toEqual([1797, 64]);
    expect(features.dtype).toBe('float32');
    expect(labels.shape).toEqual([1797]);
    expect(labels.dtype).toBe('int32');
    const counts = new Array<number>(10).fill(0);
    for (const label of labels.dataSync()) counts[label]! += 1;
    // scikit-learn's load_digits class counts
    expect(counts).toEqual([178, 182, 177, 183, 181, 182, 181, 179, 174, 180]);
    const pixels = features.dataSync();
    expect(Math.min(...pixels)).toBe(0);
    expect(Math.max(...pixels)).toBe(16);
    // first sample, first row of its 8×8 image
    expect(Array.from(pixels.subarray(0, 8))).toEqual([0, 0, 5, 13, 9, 1, 0, 0]);
    expect(labels.dataSync()[0]).toBe(0);
  });

  it('parses the same data from plain and gzip bytes (browser path)', () => {
    const gz = readFileSync(new URL('../data/digits.csv.gz', import.meta.url));
    const fromGz = parseDigitsCsv(gz.buffer.slice(gz.byteOffset, gz.byteOffset + gz.byteLength));
    const fromText = parseDigitsCsv(gunzipSync(gz));
    expect(Array.from(fromGz.features.dataSync())).toEqual(Array.from(fromText.features.dataSync()));
    expect(Array.from(fromGz.labels.dataSync())).toEqual(Array.from(fromText.labels.dataSync()));
  });

  it('accepts CRLF line ends and a missing final newline', () => {
    const row = (label: number): string => [...new Array<number>(64).fill(3), label].join(',');
    const { features, labels } = parseDigitsCsv(new TextEncoder().encode(`${row(1)}\r\n${row(2)}`));
    expect(features.shape).toEqual([2, 64]);
    expect(Array.from(labels.dataSync())).toEqual([1, 2]);
  });

  const bad: [string, string, RegExp][] = [
    ['too few fields', '1,2,3\n', /line 1: 3 fields; expected 65/],
    [
      'a pixel above 16',
      `${new Array(63).fill(0).join(',')},17,1\n`,
      /line 1: pixel 64 is 17; expected 0..16/,
    ],
    ['a label above 9', `${new Array(64).fill(0).join(',')},10\n`, /line 1: label is 10; expected 0..9/],
    ['too many fields', `${new Array(66).fill(0).join(',')}\n`, /more than 65 fields/],
    ['an empty field', `${new Array(64).fill(0).join(',')},\n`, /field 65 is empty/],
    ['a letter', `x${new Array(65).fill(0).join(',')}\n`, /unexpected character "x"/],
    ['an empty line', `${new Array(65).fill(0).join(',')}\n\n`, /line 2: empty line/],
    ['no samples', '', /no samples/],
  ];
  for (const [what, text, message] of bad) {
    it(`rejects ${what}`, () => {
      expect(() => parseDigitsCsv(new TextEncoder().encode(text), 'd.csv')).toThrow(FbtDataError);
      expect(() => parseDigitsCsv(new TextEncoder().encode(text), 'd.csv')).toThrow(message);
    });
  }
});
