/**
 * Memory probe of the `peers` suite, run in a fresh process per implementation so that one
 * implementation's heap (or the wasm backend's linear memory, which never shrinks) does not count
 * against another:
 *
 *   tsx bench/peers/rssProbe.ts <ladtl|tfjs-cpu|tfjs-wasm> <steps> [fused|perGate]
 *
 * (the last argument is the TF.js gate layout, the one the suite timed; default perGate).
 * Builds the model and batches as the suite does (the ladtl probe loads no TF.js), then runs `steps`
 * training steps, sampling the resident set size after each. Prints one line: `RSS_PROBE <json>`.
 */
import { pathToFileURL } from 'node:url';
import { IMPL_NAMES, ladtlImpl, paperSetup, type InProcessName, type TaggerImpl } from './impls.ts';

export interface RssProbeResult {
  impl: InProcessName;
  /** TF.js gate layout (tfjs only). */
  layout?: string;
  steps: number;
  /** RSS once modules are loaded and the model and batches are built, before the first step. */
  setupMiB: number;
  /** Highest RSS sampled after each training step. */
  peakStepMiB: number;
  /** RSS after the last step. */
  endMiB: number;
  /** The process's peak RSS as the OS counts it (`process.resourceUsage().maxRSS`), set-up included. */
  maxRssMiB: number;
  /**
   * RSS growth while tfjs-core's gradient modules were loaded (tfjs only): an artifact of this set-up
   * (a second copy of tfjs-core's modules, see ./tfjs.ts), included in the other figures.
   */
  gradientLoadMiB?: number;
  /** Bytes held by tfjs tensors at the end (tfjs only). */
  tfTensorMiB?: number;
  /** Training loss of the first and the last step, to show the steps did something. */
  firstLoss: number;
  lastLoss: number;
}

export const PROBE_MARKER = 'RSS_PROBE ';

const mib = (bytes: number): number => bytes / 2 ** 20;

async function main(): Promise<void> {
  const [implArg, stepsArg, layoutArg = 'perGate'] = process.argv.slice(2);
  const impl = IMPL_NAMES.find((n) => n === implArg);
  const steps = Number(stepsArg);
  if (!impl || !(Number.isInteger(steps) && steps >= 1) || (layoutArg !== 'fused' && layoutArg !== 'perGate')) {
    throw new Error(`usage: rssProbe.ts <${IMPL_NAMES.join('|')}> <steps ≥ 1> [fused|perGate]`);
  }

  const setup = paperSetup();
  let model: TaggerImpl;
  let tfBytes: (() => number) | null = null;
  let gradientLoadMiB: number | undefined;
  if (impl === 'ladtl') {
    model = ladtlImpl(setup);
  } else {
    const { initTf, registerTfGradients, tf } = await import('./tfjs.ts');
    const { tfjsImpl } = await import('./tfjsTagger.ts');
    const before = process.memoryUsage().rss;
    registerTfGradients();
    gradientLoadMiB = mib(process.memoryUsage().rss - before);
    await initTf();
    model = tfjsImpl(impl === 'tfjs-cpu' ? 'cpu' : 'wasm', layoutArg, setup.constraints, setup.initial);
    tfBytes = () => tf.memory().numBytes;
  }
  const { batches } = setup;
  const setupMiB = mib(process.memoryUsage().rss);
  let peakStepMiB = 0, firstLoss = NaN, lastLoss = NaN;
  for (let s = 0; s < steps; s++) {
    lastLoss = model.trainStep(batches[s % batches.length]);
    if (s === 0) firstLoss = lastLoss;
    peakStepMiB = Math.max(peakStepMiB, mib(process.memoryUsage().rss));
  }
  const result: RssProbeResult = {
    impl, steps, setupMiB, peakStepMiB, endMiB: mib(process.memoryUsage().rss),
    maxRssMiB: process.resourceUsage().maxRSS / 1024,
    ...(tfBytes ? { layout: layoutArg, tfTensorMiB: mib(tfBytes()), gradientLoadMiB } : {}),
    firstLoss, lastLoss,
  };
  console.log(PROBE_MARKER + JSON.stringify(result));
}

// Only when run as a script: the suite imports this module for its types and marker.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  });
}
