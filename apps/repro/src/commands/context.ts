import type { ProgressSink } from '../run/progress';

/** The streams the CLI writes to. */
export interface CliIo {
  readonly stdout: ProgressSink;
  readonly stderr: { write(text: string): void };
}

/** What a command's action gets: the CLI's streams and the setter of its exit code. */
export interface CommandContext {
  readonly io: CliIo;
  setExit(code: number): void;
}
