import { FbtError } from '@fbt/tensor';

/**
 * Bad command-line input or a bad experiment config: an unknown flag, experiment or rule, a malformed
 * value, missing data. The CLI prints the message as one line and exits with code 2 before writing anything.
 */
export class UsageError extends FbtError {}
