/**
 * Command-line options on top of node:util's parseArgs: each command declares its options with a
 * help line, gets `--help` for free, and reads values through typed getters whose errors name the
 * option and the bad value.
 */
import { parseArgs } from 'node:util';

export interface OptionSpec {
  type: 'string' | 'boolean';
  help: string;
  default?: string;
  short?: string;
  /** Placeholder shown in the usage text, e.g. FILE. */
  value?: string;
  /** The command cannot run without it: marked in `--help`, checked before the command starts. */
  required?: boolean;
}

/** A command line the command cannot run with (exit code 2, no "error:" prefix). */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/**
 * Whether `e` is a {@link UsageError}, by name rather than `instanceof`: a command module imported
 * through a second module graph (a CommonJS test runner importing ESM) has its own copy of the class.
 */
export function isUsageError(e: unknown): e is UsageError {
  return e instanceof Error && e.name === 'UsageError';
}

/** A number as people write one on a command line: optional sign, digits, optional fraction, optional exponent. */
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

export interface ParsedOptions {
  help: boolean;
  has(name: string): boolean;
  string(name: string): string;
  optionalString(name: string): string | undefined;
  number(name: string, check?: (v: number) => boolean, expectation?: string): number;
  integer(name: string, min?: number): number;
  boolean(name: string): boolean;
  choice<T extends string>(name: string, choices: readonly T[]): T;
}

export function usageText(command: string, summary: string, specs: Record<string, OptionSpec>): string {
  const lines = Object.entries(specs).map(([name, s]) => {
    const flag = `--${name}${s.type === 'string' ? ` ${s.value ?? 'X'}` : ''}`;
    const def = s.default !== undefined ? ` (default ${s.default})` : '';
    return `  ${flag.padEnd(28)} ${s.required ? '(required) ' : ''}${s.help}${def}`;
  });
  return [`usage: ladtl ${command} [options]`, '', summary, '', 'options:', ...lines, `  ${'--help'.padEnd(28)} show this help`].join('\n');
}

export function parseOptions(command: string, argv: string[], specs: Record<string, OptionSpec>): ParsedOptions {
  const options: Record<string, { type: 'string' | 'boolean'; short?: string }> = { help: { type: 'boolean', short: 'h' } };
  for (const [name, s] of Object.entries(specs)) options[name] = { type: s.type, ...(s.short ? { short: s.short } : {}) };
  let values: Record<string, string | boolean | undefined>;
  try {
    const parsedArgs = parseArgs({ args: argv, options, strict: true, allowPositionals: false, tokens: true });
    values = parsedArgs.values as Record<string, string | boolean | undefined>;
    // parseArgs keeps the last of a repeated flag: a second --epochs is almost always a mistake.
    const seen = new Set<string>();
    for (const t of parsedArgs.tokens ?? []) {
      if (t.kind !== 'option') continue;
      if (seen.has(t.name)) throw new UsageError(`ladtl ${command}: --${t.name} is given more than once`);
      seen.add(t.name);
    }
  } catch (e) {
    if (e instanceof UsageError) throw e;
    throw new UsageError(`ladtl ${command}: ${(e as Error).message}`);
  }
  const raw = (name: string): string | undefined => {
    const v = values[name];
    if (typeof v === 'string') return v;
    return specs[name]?.default;
  };
  const missing = Object.entries(specs).filter(([name, s]) => s.required && raw(name) === undefined).map(([name]) => `--${name}`);
  if (values.help !== true && missing.length > 0) {
    throw new UsageError(`ladtl ${command}: missing required option${missing.length > 1 ? 's' : ''} ${missing.join(', ')} (see ladtl ${command} --help)`);
  }
  const parsed: ParsedOptions = {
    help: values.help === true,
    has: (name) => values[name] !== undefined,
    string(name) {
      const v = raw(name);
      if (v === undefined) throw new UsageError(`ladtl ${command}: --${name} is required`);
      return v;
    },
    optionalString: (name) => raw(name),
    number(name, check, expectation) {
      const text = parsed.string(name);
      const v = Number(text);
      // Plain decimal notation (an exponent allowed, for 1e-3): Number() would also take '0x1', '0b11', ' 5 ' and ''.
      if (!DECIMAL.test(text) || !Number.isFinite(v) || (check && !check(v))) {
        throw new UsageError(`ladtl ${command}: --${name} must be ${expectation ?? 'a number'}, got "${text}"`);
      }
      return v;
    },
    integer(name, min = 0) {
      return parsed.number(name, (v) => Number.isInteger(v) && v >= min, `an integer >= ${min}`);
    },
    boolean: (name) => values[name] === true,
    choice(name, choices) {
      const v = parsed.string(name);
      if (!(choices as readonly string[]).includes(v)) throw new UsageError(`ladtl ${command}: --${name} must be one of ${choices.join(', ')}, got "${v}"`);
      return v as (typeof choices)[number];
    },
  };
  return parsed;
}
