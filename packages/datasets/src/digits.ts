import { tensor, type Tensor } from '@fbt/tensor';
import { FbtDataError } from './errors';
import { asBytes, gunzipIfNeeded, type BytesLike } from './gzip';

/** The 8×8 DIGITS set (UCI optdigits): 64 pixel counts per sample and the digit. */
export interface DigitsDataset {
  /** float32 `[N, 64]`, raw pixel counts 0..16 (row-major 8×8 image). */
  readonly features: Tensor;
  /** int32 `[N]`, digits 0..9. */
  readonly labels: Tensor;
}

/** Number of pixels of a DIGITS sample. */
export const DIGITS_FEATURES = 64;
const FIELDS = DIGITS_FEATURES + 1;
const COMMA = 0x2c;
const LF = 0x0a;
const CR = 0x0d;
const ZERO = 0x30;
const NINE = 0x39;

/**
 * Parses the DIGITS CSV (gzip or plain): one sample per line, 64 integer pixel values 0..16 and then
 * the label 0..9, no header. Browser-safe. A malformed line throws an `FbtDataError` naming
 * `fileName`, the line and what was wrong.
 *
 * @example
 * const { features, labels } = parseDigitsCsv(await (await fetch('digits.csv.gz')).arrayBuffer());
 */
export function parseDigitsCsv(input: BytesLike, fileName = 'digits CSV'): DigitsDataset {
  const bytes = gunzipIfNeeded(asBytes(input), fileName);
  const features: number[] = [];
  const labels: number[] = [];
  let line = 1;
  let field = 0;
  let value = 0;
  let digits = 0;
  const fail = (problem: string): never => {
    throw new FbtDataError(fileName, `line ${line}: ${problem}`);
  };
  const endField = (): void => {
    if (digits === 0) fail(`field ${field + 1} is empty; expected an integer`);
    if (field < DIGITS_FEATURES) {
      if (value > 16) fail(`pixel ${field + 1} is ${value}; expected 0..16`);
      features.push(value);
    } else if (field === DIGITS_FEATURES) {
      if (value > 9) fail(`label is ${value}; expected 0..9`);
      labels.push(value);
    } else {
      fail(`more than ${FIELDS} fields; expected 64 pixels and a label`);
    }
    field++;
    value = 0;
    digits = 0;
  };
  for (let i = 0; i < bytes.length; i++) {
    const c = bytes[i]!;
    if (c >= ZERO && c <= NINE) {
      value = value * 10 + (c - ZERO);
      digits++;
    } else if (c === COMMA) {
      endField();
    } else if (c === LF) {
      if (field === 0 && digits === 0) fail('empty line; expected 64 pixels and a label');
      endField();
      if (field !== FIELDS) fail(`${field} fields; expected ${FIELDS} (64 pixels and a label)`);
      field = 0;
      line++;
    } else if (c !== CR) {
      fail(`unexpected character ${JSON.stringify(String.fromCharCode(c))}; expected digits and commas`);
    }
  }
  if (field > 0 || digits > 0) {
    endField();
    if (field !== FIELDS) fail(`${field} fields; expected ${FIELDS} (64 pixels and a label)`);
  }
  if (labels.length === 0)
    throw new FbtDataError(fileName, 'no samples; expected lines of 64 pixels and a label');
  return {
    features: tensor(Float32Array.from(features), [labels.length, DIGITS_FEATURES]),
    labels: tensor(Int32Array.from(labels), [labels.length]),
  };
}
