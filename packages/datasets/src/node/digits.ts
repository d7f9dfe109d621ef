import { FbtDataError } from '../errors';
import { parseDigitsCsv, type DigitsDataset } from '../digits';
import { packageFile } from './paths';
import { inflateNode, readBytes } from './read-file';

const DIGITS_FILE = 'data/digits.csv.gz';

/**
 * Loads the DIGITS set shipped with the package (1797 samples of 8×8 pixel counts 0–16, labels
 * 0–9; UCI optdigits, CC BY 4.0, E. Alpaydin and C. Kaynak).
 *
 * @example
 * const { features, labels } = loadDigits(); // [1797, 64] float32, [1797] int32
 */
export function loadDigits(): DigitsDataset {
  const path = packageFile(DIGITS_FILE);
  if (!path)
    throw new FbtDataError(DIGITS_FILE, 'is missing from the @fbt/datasets package; reinstall the package');
  return parseDigitsCsv(inflateNode(readBytes(path), path), path);
}
