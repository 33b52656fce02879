/**
 * Decoding a real test set from a freshly loaded model, against PyTorch: the number a user who tags
 * a corpus sees. The `peers` suite times decoding on 8 synthetic batches that cycle, so ladtl's
 * cache of input projections (lib/nn/inputProjection.ts) is warm there, or emptied before every
 * batch in its cold row; here every pass over the corpus starts with an empty cache, and the cache
 * helps exactly as much as the corpus repeats its words.
 *
 * Corpus: zh-ccks2017/course/test.tsv of the shared data (skipped with a message where absent),
 * characters mapped to the paper-size model's 5,000 ids by first appearance, batches of 15
 * sentences in file order. The model is the peers suite's (same initial weights as the PyTorch
 * peer, which receives the same batches); each pass decodes every batch once. Contenders alternate
 * in rounds; medians with the min–max over rounds.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseConll } from '../lib/data/index.ts';
import type { TaggerBatch } from '../lib/nn/index.ts';
import { formatTable, fmt, timeRounds, type GroupResult, type SuiteOptions, type SuiteResult } from './harness.ts';
import { paperSetup, ladtlImpl, type PaperSetup } from './peers/impls.ts';
import { PAPER_SIZES } from './peers/syntheticBatch.ts';
import { TorchPeer, torchAvailability } from './peers/torchPeer.ts';

const CORPUS = 'zh-ccks2017/course/test.tsv';
const B = 15;

function dataDir(): string {
  return process.env.LADTL_DATA ?? join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'shared', 'data');
}

/** The corpus as padded batches of B sentences in file order, ids by first appearance (1 = unknown past the vocabulary). */
function corpusBatches(path: string): { batches: TaggerBatch[]; tokens: number; distinct: number } {
  const sentences = parseConll(readFileSync(path, 'utf8'), { file: path });
  const ids = new Map<string, number>();
  const id = (t: string): number => {
    let v = ids.get(t);
    if (v === undefined) ids.set(t, (v = ids.size + 2 < PAPER_SIZES.vocab ? ids.size + 2 : 1));
    return v;
  };
  const batches: TaggerBatch[] = [];
  let tokens = 0;
  for (let at = 0; at < sentences.length; at += B) {
    const chunk = sentences.slice(at, at + B);
    const T = Math.max(...chunk.map((s) => s.tokens.length));
    const wordIds = new Int32Array(chunk.length * T), tagIds = new Int32Array(chunk.length * T).fill(-1);
    chunk.forEach((s, b) => s.tokens.forEach((t, i) => { wordIds[b * T + i] = id(t); tagIds[b * T + i] = 0; }));
    tokens += chunk.reduce((a, s) => a + s.tokens.length, 0);
    batches.push({
      size: chunk.length, maxLen: T, lengths: Int32Array.from(chunk, (s) => s.tokens.length), wordIds, tagIds,
      charIds: new Int32Array(chunk.length * T), charLengths: new Int32Array(chunk.length * T).fill(1), maxChars: 1,
    });
  }
  return { batches, tokens, distinct: ids.size };
}

export async function run(options: SuiteOptions): Promise<SuiteResult> {
  const path = join(dataDir(), CORPUS);
  console.log(`\n== decodeCorpus: a real test set from a fresh model, ladtl vs PyTorch ==`);
  if (!existsSync(path)) {
    console.log(`decodeCorpus: skipped: ${path} is absent (set LADTL_DATA to the shared data)`);
    return { suite: 'decodeCorpus', meta: { skipped: `${path} absent` }, groups: [] };
  }
  const { batches, tokens, distinct } = corpusBatches(path);
  const base = paperSetup();
  const setup: PaperSetup = { ...base, batches };
  const ladtl = ladtlImpl(setup);
  const encoder = setup.tagger.encoder;
  const availability = torchAvailability();
  const peer = availability.ok ? new TorchPeer(setup) : null;
  try {
    // Same paths first: both decode the corpus from the same weights.
    if (peer) {
      peer.use('packed');
      let same = 0, all = 0;
      for (let i = 0; i < batches.length; i++) {
        const a = ladtl.decode(batches[i]), b = peer.paths(i);
        for (let k = 0; k < a.length; k++) if (a[k] >= 0) { all++; if (a[k] === b[k]) same++; }
      }
      console.log(`same Viterbi paths as PyTorch on ${(100 * same / all).toFixed(2)}% of ${all} tokens`);
    }
    const pass = {
      ladtl: (): void => { encoder.clearInferenceCache(); for (const b of batches) ladtl.decode(b); },
      'ladtl, cache emptied before every batch': (): void => { for (const b of batches) { encoder.clearInferenceCache(); ladtl.decode(b); } },
      ...(peer ? { torch: (): void => { peer.decodeTimed(batches.length, 0); } } : {}),
    };
    const rounds = options.quick ? { rounds: 5, roundMs: 300, minCalls: 2, warmUpMs: 300 } : { rounds: 15, roundMs: 1000, minCalls: 3, warmUpMs: 1500 };
    const results = timeRounds(Object.entries(pass).map(([name, fn]) => ({ name, fn })), rounds);
    const torch = results.find((r) => r.name === 'torch');
    const rows = results.map((r) => {
      const perRound = torch ? torch.roundMs.map((ms, i) => ms / r.roundMs[i]) : [];
      return [r.name, fmt(r.medianMs), `${fmt(r.minMs)}–${fmt(r.maxMs)}`, fmt(tokens / (r.medianMs / 1000)), torch ? `${fmt(torch.medianMs / r.medianMs)}× (${fmt(Math.min(...perRound))}–${fmt(Math.max(...perRound))})` : '—'];
    });
    console.log(`${CORPUS}: ${batches.length} batches of ${B} sentences, ${tokens} tokens, ${distinct} distinct characters (a new one every ${fmt(tokens / distinct)} tokens); one pass = every batch once, from an empty cache`);
    console.log(formatTable(['case', 'ms per pass', 'min–max', 'tokens/s', 'vs torch (per-round min–max)'], rows));
    if (!peer) console.log(`decodeCorpus: the PyTorch peer is skipped: ${(availability as { reason: string }).reason}`);
    const group: GroupResult = {
      name: `decode ${CORPUS} from a fresh model, batch ${B}`,
      params: { corpus: CORPUS, batches: batches.length, tokens, distinct, batch: B },
      cases: results.map((r) => ({ name: r.name, msPerOp: r.medianMs, rmePercent: NaN, samples: r.roundMs.length })),
      ratios: torch ? Object.fromEntries(results.filter((r) => r !== torch).map((r) => [`${r.name} vs torch`, torch.medianMs / r.medianMs])) : {},
    };
    return { suite: 'decodeCorpus', meta: { rounds, torch: peer ? peer.info : { skipped: (availability as { reason: string }).reason } }, groups: [group] };
  } finally {
    peer?.close();
  }
}
