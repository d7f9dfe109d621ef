import { Module, type StateDict } from '../module';

/** What the writers accept: a module (its `stateDict()` is written) or a state dict. */
export type StateSource = Module | StateDict;

/** The state dict of a module, or the given state dict. */
export function toStateDict(source: StateSource): StateDict {
  return source instanceof Module ? source.stateDict() : source;
}
