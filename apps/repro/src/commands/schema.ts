import type { Command } from 'commander';
import { configJsonSchemaText } from '../experiments/json-schema';
import type { CommandContext } from './context';

/** Adds `fbt-repro schema`: the JSON Schema of `--config` files. */
export function addSchemaCommand(program: Command, { io }: CommandContext): void {
  program
    .command('schema')
    .description(
      'print the JSON Schema of --config files (for editors; also in apps/repro/config.schema.json)',
    )
    .action(() => io.stdout.write(configJsonSchemaText()));
}
