import {
  ArgumentError,
  ShapeError,
  assignInPlace,
  formatShape,
  keep,
  shapesEqual,
  type Tensor,
} from '@fbt/tensor';
import { emptyStateDict } from './io/state-dict';

/**
 * A model's state by dotted name (`0.weight`, `2.running_mean`): parameters and buffers, in
 * registration order. The tensors are the module's own (not copies).
 */
export type StateDict = Record<string, Tensor>;

/**
 * Base class of every layer and model.
 *
 * A module owns parameters (trainable tensors, `requiresGrad = true`), buffers (state that is saved
 * but not trained, like BatchNorm's running statistics) and child modules, each registered under a
 * name. Names nest with dots, as in PyTorch: a `Sequential` whose first child is a `Linear` has the
 * parameter `0.weight`. Subclasses implement `forward`; `call(x)` is the same thing under the name
 * used when a module is passed around as a function.
 */
export abstract class Module {
  /** True in training mode (the default), false after `eval()`. Dropout and BatchNorm read it. */
  training = true;
  private readonly ownParameters = new Map<string, Tensor>();
  private readonly ownBuffers = new Map<string, Tensor>();
  private readonly ownChildren = new Map<string, Module>();

  /** Computes the module's output. */
  abstract forward(x: Tensor): Tensor;

  /** Runs `forward(x)`. */
  call(x: Tensor): Tensor {
    return this.forward(x);
  }

  /**
   * Runs `call(x)` with some parameters replaced by other tensors, given by dotted name (like
   * PyTorch's `torch.func.functional_call`): gradients then flow to the given tensors. The module's
   * own parameters are restored afterwards, even when the forward throws.
   *
   * @example
   * const y = linear.callWith({ weight: w, bias: b }, x);
   */
  callWith(params: StateDict, x: Tensor): Tensor {
    const owners = new Map(this.namedModules());
    const restore: [Map<string, Tensor>, string, Tensor][] = [];
    try {
      for (const [path, value] of Object.entries(params)) {
        const dot = path.lastIndexOf('.');
        const owner = owners.get(dot < 0 ? '' : path.slice(0, dot));
        const local = path.slice(dot + 1);
        const map = owner?.ownParameters;
        const current = map?.get(local);
        if (map === undefined || current === undefined) {
          throw new ArgumentError(
            `callWith: ${this.constructor.name} has no parameter '${path}'; parameters: ${this.namedParameters()
              .map(([n]) => n)
              .join(', ')}`,
          );
        }
        if (!shapesEqual(current.shape, value.shape)) {
          throw new ShapeError(
            `callWith: parameter '${path}' got shape ${formatShape(value.shape)}, expected ${formatShape(current.shape)}`,
          );
        }
        restore.push([map, local, current]);
        map.set(local, value);
      }
      return this.call(x);
    } finally {
      for (const [map, local, original] of restore.reverse()) map.set(local, original);
    }
  }

  /**
   * Registers a trainable tensor under `name` (sets `requiresGrad`) and returns it. Registered
   * tensors are `keep()`-ed, so a model built inside `tidy` survives it.
   */
  protected registerParameter(name: string, value: Tensor): Tensor {
    this.assertFreeName(name);
    keep(value);
    value.requiresGrad = true;
    value.name ??= name;
    this.ownParameters.set(name, value);
    return value;
  }

  /** The own parameter registered under `name` (layers read their parameters through this). */
  protected param(name: string): Tensor {
    const t = this.ownParameters.get(name);
    if (t === undefined) throw new ArgumentError(`${this.constructor.name}: no parameter '${name}'`);
    return t;
  }

  /** The own parameter registered under `name`, or null when there is none (an optional bias). */
  protected optionalParam(name: string): Tensor | null {
    return this.ownParameters.get(name) ?? null;
  }

  /** Registers a saved, untrained tensor (running statistics) under `name` and returns it. */
  protected registerBuffer(name: string, value: Tensor): Tensor {
    this.assertFreeName(name);
    keep(value);
    value.name ??= name;
    this.ownBuffers.set(name, value);
    return value;
  }

  /** Registers a child module under `name` and returns it. */
  protected registerModule<M extends Module>(name: string, child: M): M {
    this.assertFreeName(name);
    if (!(child instanceof Module)) {
      throw new ArgumentError(`${this.constructor.name}.registerModule: '${name}' is not a Module`);
    }
    this.ownChildren.set(name, child);
    return child;
  }

  private assertFreeName(name: string): void {
    if (name === '' || name.includes('.')) {
      throw new ArgumentError(
        `${this.constructor.name}: name '${name}' is not allowed; expected a non-empty name without dots`,
      );
    }
    if (this.ownParameters.has(name) || this.ownBuffers.has(name) || this.ownChildren.has(name)) {
      throw new ArgumentError(`${this.constructor.name}: name '${name}' is already registered`);
    }
  }

  /** The direct children, by name, in registration order. */
  namedChildren(): [string, Module][] {
    return [...this.ownChildren];
  }

  /** The direct children in registration order. */
  children(): Module[] {
    return [...this.ownChildren.values()];
  }

  /** This module and every descendant with its dotted path (`''` for this module), depth first. */
  namedModules(prefix = ''): [string, Module][] {
    const out: [string, Module][] = [[prefix, this]];
    for (const [name, child] of this.ownChildren) out.push(...child.namedModules(join(prefix, name)));
    return out;
  }

  /** This module and every descendant, depth first. */
  modules(): Module[] {
    return this.namedModules().map(([, m]) => m);
  }

  /** Every parameter with its dotted name (`0.weight`), this module's own first, then each child's. */
  namedParameters(prefix = ''): [string, Tensor][] {
    return this.collect(prefix, (m) => m.ownParameters);
  }

  /** Every parameter, in the order of `namedParameters()`. */
  parameters(): Tensor[] {
    return this.namedParameters().map(([, p]) => p);
  }

  /** Every buffer with its dotted name. */
  namedBuffers(prefix = ''): [string, Tensor][] {
    return this.collect(prefix, (m) => m.ownBuffers);
  }

  /**
   * Frees every parameter (with its gradient) and buffer of this module and its descendants. They
   * are `keep()`-ed, so no `tidy` frees them; call this when a model is no longer needed (on the
   * wasm and gpu backends its storage is not JavaScript memory, so the garbage collector does not
   * feel its weight). The module cannot be used afterwards.
   */
  dispose(): void {
    for (const p of this.parameters()) {
      p.grad?.dispose();
      p.grad = null;
      p.dispose();
    }
    for (const [, b] of this.namedBuffers()) b.dispose();
  }

  private collect(prefix: string, pick: (m: Module) => Map<string, Tensor>): [string, Tensor][] {
    const out: [string, Tensor][] = [];
    for (const [path, m] of this.namedModules(prefix)) {
      for (const [name, t] of pick(m)) out.push([join(path, name), t]);
    }
    return out;
  }

  /** Sets training mode on this module and every descendant; returns this. */
  train(mode = true): this {
    for (const m of this.modules()) m.training = mode;
    return this;
  }

  /** Sets evaluation mode (`train(false)`); returns this. */
  eval(): this {
    return this.train(false);
  }

  /** Parameters and buffers by dotted name. The tensors are the live ones, not copies. */
  stateDict(): StateDict {
    const state = emptyStateDict();
    for (const [name, t] of this.namedParameters()) state[name] = t;
    for (const [name, t] of this.namedBuffers()) state[name] = t;
    return state;
  }

  /**
   * Copies `state` into this module's parameters and buffers, in place (so optimizers holding the
   * parameters keep working). With `strict` (the default) every key must match: a missing or
   * unexpected key, or a shape or dtype mismatch, throws before anything is copied.
   */
  loadStateDict(state: StateDict, strict = true): void {
    const own = this.stateDict();
    const problems: string[] = [];
    for (const [name, target] of Object.entries(own)) {
      const source = Object.hasOwn(state, name) ? state[name] : undefined;
      if (source === undefined) {
        if (strict) problems.push(`missing key '${name}' (expected shape ${formatShape(target.shape)})`);
      } else if (!shapesEqual(source.shape, target.shape)) {
        problems.push(
          `key '${name}': got shape ${formatShape(source.shape)}, expected ${formatShape(target.shape)}`,
        );
      } else if (source.dtype !== target.dtype) {
        problems.push(`key '${name}': got dtype ${source.dtype}, expected ${target.dtype}`);
      }
    }
    if (strict) {
      for (const name of Object.keys(state)) {
        if (!Object.hasOwn(own, name)) problems.push(`unexpected key '${name}'`);
      }
    }
    if (problems.length > 0) {
      throw new ShapeError(`loadStateDict (${this.constructor.name}): ${problems.join('; ')}`);
    }
    for (const [name, target] of Object.entries(own)) {
      const source = Object.hasOwn(state, name) ? state[name] : undefined;
      if (source !== undefined) assignInPlace(target, source);
    }
  }

  /**
   * Applies the constraint of this module and of every descendant (binary layers clip their latent
   * weights). Call it after each optimizer step.
   */
  applyConstraints(): void {
    for (const m of this.modules()) m.constrain();
  }

  /** Hook for a module's own constraint, run by `applyConstraints()`; the default does nothing. */
  protected constrain(): void {}
}

function join(prefix: string, name: string): string {
  return prefix === '' ? name : `${prefix}.${name}`;
}
