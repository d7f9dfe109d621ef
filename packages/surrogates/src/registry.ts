import { ArgumentError } from '@fbt/tensor';

/** Anything stored in a registry: a name and its aliases. */
export interface Named {
  /** Canonical name. */
  readonly name: string;
  /** Other names that resolve to the same item. */
  readonly aliases?: readonly string[];
}

/**
 * Name → item lookup with aliases, in registration order. Unknown names throw an `ArgumentError`
 * listing the valid ones; a name or alias that is already taken cannot be registered again.
 */
export class Registry<T extends Named> {
  private readonly items: T[] = [];
  private readonly byName = new Map<string, T>();

  /** @param kind what the items are, for messages ("activation", "backward rule"). */
  constructor(
    private readonly kind: string,
    initial: readonly T[] = [],
  ) {
    for (const item of initial) this.add(item);
  }

  /** Adds an item under its name and aliases. */
  add(item: T): void {
    const names = [item.name, ...(item.aliases ?? [])];
    for (const name of names) {
      if (name.length === 0)
        throw new ArgumentError(`register: ${this.kind} name is empty; expected a non-empty string`);
      if (this.byName.has(name)) {
        throw new ArgumentError(
          `register: ${this.kind} name '${name}' is already taken; choose another name`,
        );
      }
    }
    this.items.push(item);
    for (const name of names) this.byName.set(name, item);
  }

  /** The item registered under `name` (or an alias); throws listing the valid names otherwise. */
  get(name: string, context: string): T {
    const item = this.byName.get(name);
    if (item === undefined) {
      throw new ArgumentError(
        `${context}: unknown ${this.kind} '${name}'; valid names: ${this.names().join(', ')}`,
      );
    }
    return item;
  }

  /** True when `name` is a registered name or alias. */
  has(name: string): boolean {
    return this.byName.has(name);
  }

  /** Canonical names in registration order. */
  names(): string[] {
    return this.items.map((item) => item.name);
  }

  /** Items in registration order. */
  list(): readonly T[] {
    return this.items;
  }
}
