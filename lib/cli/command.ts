/**
 * What every `ladtl` command shares: option parsing with `--help` generated from the option specs,
 * and `--backend` selection before the command's own work.
 */
import { parseOptions, usageText, type OptionSpec, type ParsedOptions } from './args.ts';
import { BACKEND_OPTION, selectBackend } from './backendOption.ts';
import { OPTIMIZERS, TRAINING_DEFAULTS } from '../train/index.ts';
import { commandSummary } from './commandList.ts';

export interface Command {
  summary: string;
  run(argv: string[]): Promise<number> | number;
}

/**
 * A command: its options (plus `--backend` unless `backendOption` is false) are parsed, `--help`
 * prints the usage generated from them, and the backend is selected before `body` runs.
 */
export function defineCommand(
  name: string,
  options: Record<string, OptionSpec>,
  body: (o: ParsedOptions, argv: string[]) => Promise<number> | number,
  { backendOption = true }: { backendOption?: boolean } = {},
): Command {
  const specs = backendOption ? { ...options, ...BACKEND_OPTION } : options;
  const summary = commandSummary(name);
  return {
    summary,
    async run(argv) {
      const o = parseOptions(name, argv, specs);
      if (o.help) {
        console.log(usageText(name, summary, specs));
        return 0;
      }
      if (backendOption) await selectBackend(o);
      return body(o, argv);
    },
  };
}

/** Model and optimizer options of `train` and `experiment`, with the one set of defaults (lib/train/defaults.ts). */
export function modelOptions(): Record<string, OptionSpec> {
  const d = TRAINING_DEFAULTS;
  return {
    optimizer: { type: 'string', value: OPTIMIZERS.join('|'), help: 'update rule', default: d.optimizer },
    lr: { type: 'string', value: 'X', help: 'learning rate', default: String(d.lr) },
    batch: { type: 'string', value: 'N', help: 'sentences per batch (per domain)', default: String(d.batch) },
    clip: { type: 'string', value: 'X', help: 'clip the global gradient norm (0: off)', default: String(d.clip) },
    hidden: { type: 'string', value: 'N', help: 'LSTM units per direction', default: String(d.hidden) },
    'word-dim': { type: 'string', value: 'N', help: 'word (or character, for Chinese) embedding size', default: String(d.wordDim) },
    dropout: { type: 'string', value: 'P', help: 'dropout on the embeddings', default: String(d.dropout) },
    char: { type: 'string', value: 'auto|cnn|lstm|none', help: 'character encoder; auto: none for a corpus of single characters (Chinese), cnn otherwise', default: 'auto' },
  };
}
