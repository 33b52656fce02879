/**
 * The tagger at the paper's sizes (embeddings 100, Bi-LSTM 100 per direction, batch 15 as in the
 * authors' run.sh, 40 tokens a sentence, 7 BIO tags, 5,000-entry vocabulary): one training step
 * (forward, backward, Adam update) and decoding (forward + Viterbi), for a character-level model
 * (Chinese: no char encoder) and a word model with a char CNN. Throughput in sentences/s and
 * tokens/s; the decode/train ratio; and peak RSS over one epoch of steps.
 */
import { Rng } from '../lib/tensor/index.ts';
import { backward } from '../lib/autodiff/index.ts';
import { Tagger } from '../lib/nn/index.ts';
import { Adam } from '../lib/train/index.ts';
import { fmt, formatTable, timeCases, warmUp, type GroupResult, type SuiteOptions, type SuiteResult } from './harness.ts';
import { PAPER_SIZES, paperTaggerConfig, syntheticBatch } from './peers/syntheticBatch.ts';

function rssMiB(): number {
  return process.memoryUsage().rss / 2 ** 20;
}

export async function run(options: SuiteOptions): Promise<SuiteResult> {
  const { batch: B, length: T, vocab } = PAPER_SIZES;
  const groups: GroupResult[] = [];
  for (const char of ['none', 'cnn'] as const) {
    const rng = new Rng(1);
    const tagger = new Tagger(paperTaggerConfig(char), rng);
    const opt = new Adam(tagger.parameters(), 0.001);
    const batches = Array.from({ length: 8 }, () => syntheticBatch(rng, B, T, vocab, PAPER_SIZES.chars, char === 'none' ? 1 : 12));
    const tokensPerBatch = batches[0].lengths.reduce((a, b) => a + b, 0);
    let i = 0;
    const trainStep = (): void => {
      const batch = batches[i++ % batches.length];
      const loss = tagger.loss(batch, true);
      opt.zeroGrad();
      backward(loss);
      opt.step();
    };
    const decode = (): void => { tagger.decode(batches[i++ % batches.length]); };
    warmUp(trainStep, options.quick ? 300 : 1500);
    warmUp(decode, options.quick ? 200 : 800);
    const timing = { minSamples: 5, maxTime: options.quick ? 1 : 4 };
    const [train, dec] = timeCases(`tagger char=${char}`, [{ name: 'train step', fn: trainStep }, { name: 'decode', fn: decode }], timing);

    // Peak RSS over one epoch (100 steps here), sampled after every step: a growing graph or leaked
    // buffers would show as a rising figure; the first and last steps' RSS are reported too.
    const steps = options.quick ? 20 : 100;
    const rssStart = rssMiB();
    let peak = rssStart;
    for (let s = 0; s < steps; s++) {
      trainStep();
      peak = Math.max(peak, rssMiB());
    }
    const rssEnd = rssMiB();
    const trainSps = B / (train.msPerOp / 1000), decodeSps = B / (dec.msPerOp / 1000);
    const group: GroupResult = {
      name: `tagger (char ${char}), batch ${B} × ${T} tokens`,
      params: { char, batch: B, length: T, vocab, embedding: 100, hidden: 100 },
      cases: [train, dec],
      ratios: { decodeOverTrain: train.msPerOp / dec.msPerOp },
      checks: { peakRssMiB: peak, rssStartMiB: rssStart, rssEndMiB: rssEnd, trainSentencesPerSecond: trainSps, trainTokensPerSecond: tokensPerBatch / (train.msPerOp / 1000), decodeSentencesPerSecond: decodeSps },
    };
    groups.push(group);
    console.log(`\n${group.name}`);
    console.log(formatTable(['case', 'ms/batch', '±rme', 'sentences/s', 'tokens/s'], [
      ['train step', fmt(train.msPerOp), `±${train.rmePercent.toFixed(1)}%`, fmt(trainSps), fmt(tokensPerBatch / (train.msPerOp / 1000))],
      ['decode', fmt(dec.msPerOp), `±${dec.rmePercent.toFixed(1)}%`, fmt(decodeSps), fmt(tokensPerBatch / (dec.msPerOp / 1000))],
    ]));
    console.log(`decode is ${fmt(train.msPerOp / dec.msPerOp)}× faster than a train step; RSS over ${steps} steps: start ${fmt(rssStart)} MiB, peak ${fmt(peak)} MiB, end ${fmt(rssEnd)} MiB`);
  }
  return { suite: 'tagger', meta: { note: 'synthetic batches at the paper sizes' }, groups };
}
