import { FbtDataError, parseIdx } from '@fbt/datasets';
import { FbtError } from '@fbt/tensor';

/** A named file's bytes, base64-encoded so they travel into the page as a plain string. */
export interface IdxFixture {
  /** The file name `parseIdx` reports in its errors. */
  readonly name: string;
  /** The file's bytes (gzip-compressed or not) in base64. */
  readonly base64: string;
}

/** What `parseIdx` made of one fixture: the decoded array, or the error it threw. */
export type IdxOutcome =
  | {
      readonly name: string;
      readonly ok: true;
      readonly dtype: string;
      readonly shape: number[];
      readonly values: number[];
    }
  | {
      readonly name: string;
      readonly ok: false;
      /** The error's `name` (its class name for every `FbtError`). */
      readonly errorName: string;
      /** Whether it is an `FbtDataError`, so also an `FbtError`. */
      readonly isFbtDataError: boolean;
      /** Whether it is an `FbtError`. */
      readonly isFbtError: boolean;
      readonly message: string;
    };

/** Decodes base64 with `atob`, which Node (16+) and browsers both provide. */
export function decodeBase64(text: string): Uint8Array {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/**
 * Parses one fixture with @fbt/datasets' public `parseIdx` (which inflates gzip itself) and reports
 * the result or the error as plain data, so the page's outcome can be compared with Node's.
 */
export function parseIdxFixture(fixture: IdxFixture): IdxOutcome {
  const { name } = fixture;
  try {
    const { dtype, shape, data } = parseIdx(decodeBase64(fixture.base64), name);
    return { name, ok: true, dtype, shape: [...shape], values: Array.from(data) };
  } catch (error) {
    if (!(error instanceof Error)) throw error;
    return {
      name,
      ok: false,
      errorName: error.name,
      isFbtDataError: error instanceof FbtDataError,
      isFbtError: error instanceof FbtError,
      message: error.message,
    };
  }
}
