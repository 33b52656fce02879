/** `ladtl train`: train a Bi-LSTM-CRF tagger, keep the best epoch on dev, save it as a model file. */
import { parseTagScheme, type TagScheme } from '../../data/index.ts';
import { parseEmbeddings, requireSentences, requireEntities } from '../../data/index.ts';
import { readTextFile } from '../../data/nodeFiles.ts';
import { buildVocab, encodeAll, trainTagger, evaluateTagger, OPTIMIZERS, defaultCharEncoder, DivergenceError } from '../../train/index.ts';
import { formatConllevalReport } from '../../eval/index.ts';
import type { CharMode, TaggerConfig } from '../../nn/index.ts';
import { encodeTagger } from '../../io/index.ts';
import { writeModelFileAtomic } from '../../io/nodeFiles.ts';
import type { OptionSpec } from '../args.ts';
import { defineCommand, modelOptions } from '../command.ts';
import { lockOutput } from '../../io/outputLock.ts';
import { CORPUS_OPTIONS, corpusReadOptions, readCorpus, noteLongTokens } from '../corpus.ts';
import { ProgressLine } from '../progress.ts';
import { formatDuration } from '../../experiment/runTimes.ts';
import { availableParallelism } from 'node:os';
import { getBackend } from '../../backend/index.ts';
import { useLstmThreads } from '../../backend/threads.ts';

const SPECS: Record<string, OptionSpec> = {
  train: { type: 'string', required: true, value: 'FILE', help: 'training corpus (CoNLL columns)' },
  dev: { type: 'string', required: true, value: 'FILE', help: 'development corpus: selects the epoch and stops early' },
  test: { type: 'string', value: 'FILE', help: 'test corpus, scored once with the best model' },
  out: { type: 'string', required: true, value: 'MODEL', help: 'where to write the model file' },
  epochs: { type: 'string', value: 'N', help: 'maximum epochs', default: '30' },
  patience: { type: 'string', value: 'N', help: 'stop after N epochs without a better dev F1', default: '5' },
  seed: { type: 'string', value: 'S', help: 'seed of initialisation, data order and dropout', default: '1' },
  embeddings: { type: 'string', value: 'FILE', help: 'pretrained word vectors (word2vec/GloVe text)' },
  'weight-decay': { type: 'string', value: 'X', help: 'L2 coefficient λ of Σ½‖θ‖² (embeddings excluded)', default: '0' },
  'min-count': { type: 'string', value: 'N', help: 'words seen fewer times become <unk>', default: '1' },
  lowercase: { type: 'boolean', help: 'lowercase words (characters keep their case)' },
  'normalize-digits': { type: 'boolean', help: 'map every digit to 0' },
  'tag-scheme': { type: 'string', value: 'BIO|BIOES', help: 'scheme the model tags in', default: 'BIO' },
  unconstrained: { type: 'boolean', help: 'allow transitions the scheme forbids (e.g. O → I-X)' },
  'check-finite': { type: 'boolean', help: 'check every op for NaN/Inf (slower)' },
  'keep-sample': { type: 'string', value: 'N', help: 'keep the first N training sentences in the model file: the source domain for La-DTL fine-tuning in a page (lib/embed)', default: '200' },
  'output-dropout': { type: 'string', value: 'P', help: 'dropout on the Bi-LSTM outputs (not in the paper)', default: '0' },
  threads: { type: 'string', value: '1|2|auto', help: 'threads for the Bi-LSTM (its two directions in parallel, same numbers); auto: 2 when 2 cores are free', default: 'auto' },
  ...modelOptions(),
  ...CORPUS_OPTIONS,
};

export const trainCommand = defineCommand('train', SPECS, (o, argv) => {
    const threadsOption = o.choice('threads', ['1', '2', 'auto'] as const);
    const threads = threadsOption === 'auto' ? (availableParallelism() >= 2 ? 2 : 1) : Number(threadsOption);
    if (getBackend().name === 'cpu') {
      const described = useLstmThreads(threads);
      if (threads > 1) console.error(`backend: ${described}`);
    } else if (threadsOption === '2') {
      throw new Error(`ladtl train: --threads 2 needs the cpu backend (got ${getBackend().name})`);
    }
    const read = corpusReadOptions(o);
    const modelScheme = parseTagScheme(o.string('tag-scheme')) as TagScheme;
    if (modelScheme === 'IOB1') throw new Error('ladtl train: --tag-scheme must be BIO or BIOES (IOB1 input is converted)');
    const trainPath = o.string('train'), devPath = o.string('dev'), outPath = o.string('out');
    // One writer per model file: a second `train --out` of the same path is refused, naming this one.
    const unlock = lockOutput(outPath, `ladtl train ${argv.join(' ')}`);
    try {
      const charOption = o.choice('char', ['auto', 'cnn', 'lstm', 'none'] as const);
      const train = readCorpus(trainPath, read, modelScheme);
      const char = charOption === 'auto' ? defaultCharEncoder(train) : charOption;
      const dev = readCorpus(devPath, read, modelScheme);
      const testPath = o.optionalString('test');
      const test = testPath ? readCorpus(testPath, read, modelScheme) : null;
      requireEntities(train, trainPath, 'training');
      requireSentences(dev, devPath, 'dev');
      if (test && testPath) requireSentences(test, testPath, 'test');
      noteLongTokens(trainPath, train, char !== 'none');
      noteLongTokens(devPath, dev, char !== 'none');
      if (test && testPath) noteLongTokens(testPath, test, char !== 'none');
      const vocab = buildVocab(train, { minCount: o.integer('min-count', 1), lowercase: o.boolean('lowercase'), normalizeDigits: o.boolean('normalize-digits'), chars: char !== 'none', scheme: modelScheme });
      const encode = (path: string, s: typeof train) => {
        try {
          return encodeAll(s, vocab);
        } catch (e) {
          throw new Error(`${path}: ${(e as Error).message}`);
        }
      };
      const data = { train: { sentences: train, encoded: encode(trainPath, train) }, dev: { sentences: dev, encoded: encode(devPath, dev) } };
      const config: TaggerConfig = {
        encoder: {
          wordVocabularySize: vocab.words.size, wordDim: o.integer('word-dim', 1), char: char as CharMode | 'none',
          charVocabularySize: vocab.chars?.size ?? 0, charDim: 30, charSize: 50, hidden: o.integer('hidden', 1),
          dropout: o.number('dropout', (v) => v >= 0 && v < 1, 'in [0, 1)'),
          outputDropout: o.number('output-dropout', (v) => v >= 0 && v < 1, 'in [0, 1)') || undefined,
        },
        labels: [...vocab.labels.tags], scheme: modelScheme, constrained: !o.boolean('unconstrained'), boundary: true,
      };
      const tokens = train.reduce((a, s) => a + s.tokens.length, 0);
      console.log(`train ${trainPath}: ${train.length} sentences, ${tokens} tokens; dev ${dev.length} sentences; labels ${vocab.labels.tags.join(' ')}`);
      console.log(`vocabulary ${vocab.words.size} words${vocab.chars ? `, ${vocab.chars.size} characters` : ''}; char encoder ${char}`);
      const embeddingsPath = o.optionalString('embeddings');
      const progress = new ProgressLine();
      const started = Date.now();
      const seed = o.integer('seed');
      const sample = train.slice(0, o.integer('keep-sample', 0)).map((s) => ({ tokens: s.tokens, tags: s.tags }));
      let savedEpoch = 0;
      const trainOptions: Parameters<typeof trainTagger>[3] = {
        epochs: o.integer('epochs', 1), batchSize: o.integer('batch', 1), optimizer: o.choice('optimizer', OPTIMIZERS),
        learningRate: o.number('lr', (v) => v > 0, 'a positive number'), clipNorm: o.number('clip', (v) => v >= 0, '>= 0') || undefined,
        weightDecay: o.number('weight-decay', (v) => v >= 0, '>= 0'), patience: o.integer('patience', 1), seed,
        checkFinite: o.boolean('check-finite'),
        init: embeddingsPath ? (t) => {
          const { vectors } = parseEmbeddings(readTextFile(embeddingsPath), embeddingsPath);
          const cov = t.encoder.words.loadPretrained(vectors, Array.from({ length: vocab.words.size }, (_, i) => vocab.words.token(i)), new Set([0, 1]), embeddingsPath);
          console.log(`embeddings ${embeddingsPath}: ${cov.found}/${cov.total} words found (${cov.foundLowercased} through lowercasing), ${(100 * cov.found / Math.max(cov.total, 1)).toFixed(1)}% coverage`);
        } : undefined,
        onStep: (p) => progress.update({
          label: `epoch ${p.epoch}/${p.epochs}`, done: p.step, total: p.stepsInEpoch,
          fields: { loss: p.meanLoss.toFixed(3), 'tok/s': p.tokensPerSecond.toFixed(0) }, etaSeconds: p.etaSeconds,
        }),
        onEpoch: (r) => {
          progress.finish();
          console.log(`epoch ${r.epoch}: loss ${r.meanLoss.toFixed(4)}, ${r.tokensPerSecond.toFixed(0)} tokens/s, ${formatDuration(r.seconds)} + dev ${r.evalSeconds.toFixed(1)}s; dev P ${r.dev.precision.toFixed(2)} R ${r.dev.recall.toFixed(2)} F1 ${r.dev.f1.toFixed(2)}${r.best ? '  (best, saved)' : ''}`);
        },
        onBest: (t, epoch, devResult) => {
          writeModelFileAtomic(outPath, encodeTagger(t, vocab, { train: trainPath, dev: devPath, epoch, devF1: devResult.f1, seed, options: argv }, sample));
          savedEpoch = epoch;
        },
      };
      let trained: ReturnType<typeof trainTagger>;
      try {
        trained = trainTagger(config, vocab, data, trainOptions);
      } catch (e) {
        // The file on disk is the last good model: say so (or that there is none yet).
        if (e instanceof DivergenceError) throw new Error(`${e.message}; ${savedEpoch ? `${outPath} keeps the best epoch before it (${savedEpoch})` : `no model was saved to ${outPath}`}`);
        throw e;
      }
      const { tagger, dev: bestDev, result } = trained;
      console.log(`best epoch ${result.bestEpoch} (dev F1 ${bestDev?.f1.toFixed(2)})${result.stoppedEarly ? ', stopped early' : ''}; ${formatDuration((Date.now() - started) / 1000)} in all; model ${outPath}`);
      if (test && testPath) {
        const report = evaluateTagger(tagger, test, encode(testPath, test), vocab);
        console.log(`\ntest ${testPath}:\n${formatConllevalReport(report)}`);
      }
      return 0;
    } finally {
      unlock();
    }
});
