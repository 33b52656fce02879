/**
 * `Module`: something with named parameters. Names are dotted paths (`encoder.lstm.forward.Wih`)
 * that model files, optimizers' error messages and parameter transfer all use to find a tensor.
 */
import { Variable, parameter } from '../autodiff/index.ts';
import type { Tensor } from '../tensor/index.ts';

export abstract class Module {
  /** Parameters and sub-modules in registration order (the order of `namedParameters`). */
  private readonly entries = new Map<string, Variable | Module>();

  /** Registers a trainable tensor under a local name and returns its variable. */
  protected param(name: string, value: Tensor): Variable {
    const v = parameter(value, name);
    this.entries.set(name, v);
    return v;
  }

  /** Registers a sub-module whose parameters appear under `name.`. */
  protected child<M extends Module>(name: string, module: M): M {
    this.entries.set(name, module);
    return module;
  }

  /** Every parameter with its full dotted name, in registration order (stable: files rely on it). */
  namedParameters(prefix = ''): Map<string, Variable> {
    const out = new Map<string, Variable>();
    for (const [name, entry] of this.entries) {
      if (entry instanceof Module) {
        for (const [n, v] of entry.namedParameters(`${prefix}${name}.`)) out.set(n, v);
      } else {
        entry.name = prefix + name;
        out.set(prefix + name, entry);
      }
    }
    return out;
  }

  /** All parameters, in the order of `namedParameters`. */
  parameters(): Variable[] {
    return [...this.namedParameters().values()];
  }
}
