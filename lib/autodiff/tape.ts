/**
 * Recording ops and running them backwards.
 *
 * There is no global tape to forget to clear: each op output points at its parents, and `backward`
 * builds the tape (the graph in reverse topological order) from the loss. After the backward pass
 * the intermediate nodes drop their parents, closures and gradients, so once the caller lets go of
 * the loss nothing of the step stays reachable and a long run does not grow in memory.
 */
import { Tensor, ones } from '../tensor/index.ts';
import { Variable } from './variable.ts';
import { isGradEnabled } from './gradMode.ts';
import { assertFinite, isFiniteCheckEnabled } from './anomaly.ts';

/**
 * Wraps an op's forward result as a variable. `backwardFn` receives ∂loss/∂output and must call
 * `addGrad` on each parent that `requiresGrad`. The graph is only kept when gradients are enabled
 * and some parent needs one.
 */
export function recordOp(op: string, value: Tensor, parents: Variable[], backwardFn: (grad: Tensor) => void): Variable {
  if (isFiniteCheckEnabled()) assertFinite(value, `op '${op}'`, 'forward');
  const needsGrad = isGradEnabled() && parents.some((p) => p.requiresGrad);
  if (!needsGrad) return new Variable(value, { op });
  return new Variable(value, { op, requiresGrad: true, parents, backwardFn });
}

/** The variables reachable from `root` that need gradients, each after all of its consumers. */
export function buildTape(root: Variable): Variable[] {
  const order: Variable[] = [];
  const visited = new Set<Variable>();
  // Iterative post-order DFS: a 300-step LSTM unrolled into primitives would overflow recursion.
  const stack: [Variable, number][] = [[root, 0]];
  visited.add(root);
  while (stack.length > 0) {
    const top = stack[stack.length - 1];
    const [node, next] = top;
    if (next < node.parents.length) {
      top[1]++;
      const parent = node.parents[next];
      if (parent.requiresGrad && !visited.has(parent)) {
        visited.add(parent);
        stack.push([parent, 0]);
      }
    } else {
      stack.pop();
      order.push(node);
    }
  }
  return order.reverse();
}

export interface BackwardOptions {
  /** Seed gradient ∂loss/∂root; defaults to ones (a scalar loss gets 1). */
  grad?: Tensor;
  /** Keep the graph and intermediate gradients (for inspection or a second backward). */
  retainGraph?: boolean;
}

/**
 * Fills `grad` of every variable that `loss` depends on and that requires a gradient.
 * Gradients accumulate: call `zeroGrad` on parameters between steps (optimizers do).
 */
export function backward(loss: Variable, options: BackwardOptions = {}): void {
  if (!loss.requiresGrad) {
    throw new Error(`backward: ${loss.describe()} does not depend on any parameter (was it computed under noGrad?)`);
  }
  const seed = options.grad ?? ones(loss.shape, loss.value.dtype);
  loss.addGrad(seed);
  const tape = buildTape(loss);
  const check = isFiniteCheckEnabled();
  for (const node of tape) {
    if (node.backwardFn === null || node.grad === null) continue;
    node.backwardFn(node.grad);
    if (check) {
      for (const p of node.parents) {
        if (p.grad !== null) assertFinite(p.grad, `op '${node.op}'`, 'backward');
      }
    }
  }
  if (!options.retainGraph) {
    for (const node of tape) {
      if (node.isLeaf) continue;
      node.parents = [];
      node.backwardFn = null;
      node.grad = null;
    }
  }
}
