import { FbtError } from '@fbt/tensor';

/**
 * A data file or data source that cannot be used: a truncated or corrupt file, a wrong magic number,
 * an unknown IDX type code, image and label counts that disagree, a checksum mismatch, a missing
 * directory or an interrupted download. The message starts with the file, URL or directory (also
 * kept in `source`) and then says what was wrong and what was expected.
 */
export class FbtDataError extends FbtError {
  /** The file, URL or directory the problem is about. */
  readonly source: string;

  constructor(source: string, problem: string) {
    super(`${source}: ${problem}`);
    this.source = source;
  }
}
