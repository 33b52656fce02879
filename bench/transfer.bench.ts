/**
 * A La-DTL training step at the paper's sizes, against MULT (the same step without the La-MMD and
 * PT terms) in the same run, and the memory of a long run: RSS and V8 heap after every epoch of
 * La-DTL steps, to show that nothing grows from one epoch to the next (a leaked tape, scratch
 * buffers kept per step, optimizer state that keeps growing).
 *
 * Input: synthetic source and target batches (15 sentences of up to 40 tokens each, 5,000-word
 * vocabulary) whose tags are valid BIO sequences over PER/LOC/ORG with about one token in four inside
 * an entity, so the label-aware MMD sees all seven labels, O capped at 256 tokens a side as in
 * DEFAULT_HYPER. Model: character-level paper sizes (embeddings 100, Bi-LSTM 100 per direction), two
 * CRFs; Adam 0.001 over every parameter.
 */
import { backward } from '../lib/autodiff/index.ts';
import type { TaggerBatch } from '../lib/nn/index.ts';
import { Rng } from '../lib/tensor/index.ts';
import { Adam, decayedParameters } from '../lib/train/index.ts';
import { DEFAULT_HYPER, jointLoss, METHODS, TransferModel } from '../lib/transfer/index.ts';
import { fmt, formatTable, timeCases, warmUp, type GroupResult, type SuiteOptions, type SuiteResult } from './harness.ts';
import { LABELS, PAPER_SIZES, paperTaggerConfig, syntheticBatch } from './peers/syntheticBatch.ts';

/** Overwrites a synthetic batch's tags with valid BIO sequences over the three entity types. */
function bioTags(batch: TaggerBatch, rng: Rng): TaggerBatch {
  const T = batch.maxLen;
  for (let b = 0; b < batch.size; b++) {
    let inside = 0, type = 0;
    for (let t = 0; t < batch.lengths[b]; t++) {
      if (inside > 0) {
        batch.tagIds[b * T + t] = 2 + 2 * type; // I-type
        inside--;
      } else if (rng.uniform() < 0.12) {
        type = rng.int(3);
        batch.tagIds[b * T + t] = 1 + 2 * type; // B-type
        inside = rng.int(3);
      } else {
        batch.tagIds[b * T + t] = 0;
      }
    }
  }
  return batch;
}

function memory(): { rss: number; heap: number } {
  const m = process.memoryUsage();
  return { rss: m.rss / 2 ** 20, heap: m.heapUsed / 2 ** 20 };
}

/**
 * A model, optimizer and 8 source + 8 target batches at the paper's sizes, and a training step of the
 * given method over them (cycling through the batches). Built on the backend active when called.
 */
export function transferStepSetup(seed = 3): { step: (method: 'la-dtl' | 'mult') => () => void; meanTokens: number } {
  const { batch: B, length: T, vocab, chars } = PAPER_SIZES;
  const rng = new Rng(seed);
  const model = new TransferModel(paperTaggerConfig('none'), rng);
  const opt = new Adam(model.parameters(), 0.001);
  const decayed = decayedParameters(model);
  const make = (): TaggerBatch => bioTags(syntheticBatch(rng, B, T, vocab, chars, 1), rng);
  const source = Array.from({ length: 8 }, make), target = Array.from({ length: 8 }, make);
  const tokens = (i: number): number => [source[i], target[i]].reduce((a, x) => a + x.lengths.reduce((s, l) => s + l, 0), 0);
  const mmdRng = new Rng(seed + 1);
  let i = 0;
  const step = (method: 'la-dtl' | 'mult') => (): void => {
    const k = i++ % source.length;
    const { loss } = jointLoss(model, METHODS[method], source[k], target[k], decayed, DEFAULT_HYPER, mmdRng);
    opt.zeroGrad();
    backward(loss);
    opt.step();
  };
  const meanTokens = Array.from({ length: source.length }, (_, k) => tokens(k)).reduce((a, b) => a + b, 0) / source.length;
  return { step, meanTokens };
}

export async function run(options: SuiteOptions): Promise<SuiteResult> {
  const { batch: B, length: T, vocab } = PAPER_SIZES;
  const { step, meanTokens } = transferStepSetup();
  console.log(`\n== transfer: a La-DTL step (source batch ${B} + target batch ${B}, ${T} tokens, ${LABELS.length} labels) ==`);
  warmUp(step('la-dtl'), options.quick ? 300 : 1500);
  warmUp(step('mult'), options.quick ? 200 : 800);
  const [laDtl, mult] = timeCases('transfer step', [{ name: 'La-DTL step', fn: step('la-dtl') }, { name: 'MULT step', fn: step('mult') }], { minSamples: 5, maxTime: options.quick ? 1 : 4 });
  console.log(formatTable(['case', 'ms/step', '±rme', 'sentences/s', 'tokens/s'], [laDtl, mult].map((c) => [
    c.name, fmt(c.msPerOp), `±${c.rmePercent.toFixed(1)}%`, fmt((2 * B) / (c.msPerOp / 1000)), fmt(meanTokens / (c.msPerOp / 1000)),
  ])));
  console.log(`La-MMD + PT cost ${fmt(laDtl.msPerOp - mult.msPerOp)} ms a step (${((100 * (laDtl.msPerOp - mult.msPerOp)) / laDtl.msPerOp).toFixed(0)}% of the La-DTL step)`);

  // Memory per epoch: `epochs` epochs of `stepsPerEpoch` La-DTL steps, measured after each epoch.
  const epochs = options.quick ? 4 : 10, stepsPerEpoch = options.quick ? 20 : 60;
  const perEpoch: { rss: number; heap: number }[] = [memory()];
  for (let e = 0; e < epochs; e++) {
    for (let s = 0; s < stepsPerEpoch; s++) step('la-dtl')();
    perEpoch.push(memory());
  }
  const rows = perEpoch.map((m, e) => [e === 0 ? 'start' : `epoch ${e}`, fmt(m.rss), fmt(m.heap)]);
  console.log(`\nmemory after each epoch of ${stepsPerEpoch} La-DTL steps (MiB)`);
  console.log(formatTable(['after', 'RSS', 'V8 heap used'], rows));
  const second = perEpoch[Math.min(2, epochs)], last = perEpoch[epochs];
  const growth = { rssGrowthMiB: last.rss - second.rss, heapGrowthMiB: last.heap - second.heap };
  console.log(`growth from epoch ${Math.min(2, epochs)} to epoch ${epochs}: RSS ${fmt(growth.rssGrowthMiB)} MiB, heap ${fmt(growth.heapGrowthMiB)} MiB`);
  const group: GroupResult = {
    name: `La-DTL step, batch ${B} + ${B} × ${T}`,
    params: { batch: B, length: T, vocab, embedding: PAPER_SIZES.wordDim, hidden: PAPER_SIZES.hidden, labels: LABELS.length, stepsPerEpoch, epochs },
    cases: [laDtl, mult],
    ratios: { multOverLaDtl: mult.msPerOp / laDtl.msPerOp },
    checks: { ...growth, peakRssMiB: Math.max(...perEpoch.map((m) => m.rss)), ...Object.fromEntries(perEpoch.map((m, e) => [`rssAfterEpoch${e}`, m.rss])) },
  };
  return { suite: 'transfer', meta: { hyper: DEFAULT_HYPER }, groups: [group] };
}
