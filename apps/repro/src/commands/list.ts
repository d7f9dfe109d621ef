import type { Command } from 'commander';
import { listText } from '../list';
import type { CommandContext } from './context';

/** Adds `fbt-repro list`: every experiment with its settings. */
export function addListCommand(program: Command, { io }: CommandContext): void {
  program
    .command('list')
    .description(
      'every experiment with its paper table, model, data, rules, hyperparameters and quick settings',
    )
    .action(() => io.stdout.write(listText()));
}
