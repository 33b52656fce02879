/**
 * One GPU.js instance and the kernels compiled on it.
 *
 * Mode. `auto` lets GPU.js pick its best mode in its own order (headlessgl → webgl2 → webgl →
 * webasm → cpu): webgl2/webgl in browsers and workers, headlessgl in Node when the optional `gl`
 * module is built and a display exists (xvfb), otherwise GPU.js's WebAssembly (`webasm`) or plain
 * JavaScript (`cpu`) fallbacks. Nothing here needs a native build. The mode obtained is reported by
 * {@link GpuContext.mode}, because GPU.js falls back silently.
 *
 * Compilation. Every kernel is created once per context with `dynamicOutput` and `dynamicArguments`,
 * so a new batch shape changes the output size and argument sizes without a new kernel object;
 * `loopMaxIterations` is raised so that loop bounds passed as arguments (k of a product, K tags, the
 * feature width) are honoured in the GL modes, where GPU.js unrolls to a fixed bound.
 *
 * Precision: `single` (float32 textures) in every mode; runtime.md records that highp float in the
 * GL modes here has 23 mantissa bits. A GL device that cannot read or write float textures would
 * make GPU.js pack values into bytes (its `unsigned` precision, not float32-exact), so such a
 * device is refused and the context falls back to the `webasm` mode (or `cpu` where WebAssembly is
 * missing), saying so in {@link GpuContext.describe} and {@link GpuContext.fallback}. Kernels only
 * ever receive Float32Array: callers convert.
 *
 * Index arithmetic: in GL modes all numbers are floats, so a flat index is split as
 * floor((x + 0.5) / n), which cannot round to the wrong side for x, n below 2²⁴.
 */
import { GPU } from 'gpu.js';

/** What `--backend gpu` may ask GPU.js for; `auto` is its own choice. */
export type GpuMode = 'auto' | 'cpu' | 'webasm' | 'webgl' | 'webgl2' | 'headlessgl';

export const GPU_MODES: readonly GpuMode[] = ['auto', 'cpu', 'webasm', 'webgl', 'webgl2', 'headlessgl'];

/** The largest loop bound a kernel accepts (k of a product, the feature width, sequence length). */
export const MAX_LOOP = 65536;

/** A compiled kernel: call it with its arguments after setting the flat output size. */
type KernelRunner = ((...args: unknown[]) => unknown) & { setOutput(output: number[]): void; destroy?(): void };

export interface GpuContext {
  /** The mode GPU.js actually runs (e.g. `webasm` when `gl` is missing). */
  readonly mode: string;
  /** Largest flat output or input this context accepts (texture limit in GL modes). */
  readonly maxElements: number;
  /** Why the requested or automatic mode was not used (null when it was). */
  readonly fallback: string | null;
  /** Number of distinct kernels compiled so far (each is compiled once and reused). */
  compiledKernels(): number;
  /**
   * Runs the named kernel (compiled on first use) over `size` threads and returns its flat float32
   * output; `size` and every array argument are checked against `maxElements` first. The output may
   * be GPU.js's own buffer, reused by the next call of the same kernel: read or copy it before that
   * (every kernel file consumes it at once, except where it says it copies).
   */
  run(name: string, source: KernelSource, size: number, args: unknown[]): Float32Array;
  describe(): string;
}

/** A kernel body as GPU.js takes it: a plain function using `this.thread.x`. */
export type KernelSource = (this: any, ...args: any[]) => number;

export interface GpuContextOptions {
  /** Cap on the flat size of any kernel output or input (default: the device's texture limit). */
  maxElements?: number;
}

/** Creates a context. Throws naming the mode when GPU.js cannot provide a requested one. */
export function createGpuContext(mode: GpuMode = 'auto', options: GpuContextOptions = {}): GpuContext {
  let gpu: GPU;
  try {
    gpu = mode === 'auto' ? new GPU() : new GPU({ mode });
  } catch (e) {
    throw new Error(`gpu backend: GPU.js cannot run mode "${mode}" here (${e instanceof Error ? e.message : String(e)}); modes: ${GPU_MODES.join(', ')}`);
  }
  let actual = gpu.mode === 'gpu' ? glKind(gpu) : gpu.mode;
  let features = glFeatures(gpu);
  let fallback: string | null = null;
  if (features && !(features.isTextureFloat && features.isFloatRead)) {
    // Single precision needs float textures both ways; anything else would round every value.
    fallback = `${actual} lacks float textures (OES_texture_float: ${features.isTextureFloat}, float read-back: ${features.isFloatRead}), so float32 results are impossible there`;
    const safe = typeof WebAssembly === 'object' ? 'webasm' : 'cpu';
    gpu = new GPU({ mode: safe });
    actual = gpu.mode;
    features = null;
  }
  // A GL texture holds maxTextureSize² texels; GPU.js packs one float per texel with precision single.
  const deviceMax = features ? features.maxTextureSize * features.maxTextureSize : 2 ** 31 - 1;
  const maxElements = Math.min(deviceMax, options.maxElements ?? Infinity);
  const kernels = new Map<string, KernelRunner>();

  function run(name: string, source: KernelSource, size: number, args: unknown[]): Float32Array {
    if (size > maxElements) throw new Error(`gpu backend (${actual}): kernel ${name} needs ${size} outputs, more than the ${maxElements} this device allows (largest texture); use smaller batches or the cpu backend`);
    for (const a of args) {
      if (a instanceof Float32Array && a.length > maxElements) throw new Error(`gpu backend (${actual}): kernel ${name} got an input of ${a.length} floats, more than the device's ${maxElements}`);
    }
    let kernel = kernels.get(name);
    if (!kernel) {
      // loopMaxIterations is a kernel setting GPU.js honours but its typings omit.
      const settings = {
        dynamicOutput: true, dynamicArguments: true, precision: 'single', tactic: 'precision',
        loopMaxIterations: MAX_LOOP, output: [Math.max(1, size)],
      } as Parameters<GPU['createKernel']>[1];
      kernel = gpu.createKernel(source, settings) as unknown as KernelRunner;
      kernels.set(name, kernel);
    }
    kernel.setOutput([Math.max(1, size)]);
    const out = kernel(...args);
    if (out instanceof Float32Array && out.length >= size) return out.length === size ? out : out.subarray(0, size);
    throw new Error(`gpu backend (${actual}): kernel ${name} returned ${Object.prototype.toString.call(out)}, expected a Float32Array`);
  }

  const describe = (): string =>
    `gpu (GPU.js ${actual} mode${mode !== 'auto' ? `, requested ${mode}` : ''}, single precision${fallback ? `; fell back because ${fallback}` : ''})`;
  return { mode: actual, maxElements, fallback, compiledKernels: () => kernels.size, run, describe };
}

/** Which GL kernel class GPU.js chose in mode `gpu` (its name says headlessgl, webgl2 or webgl). */
function glKind(gpu: GPU): string {
  const name = (gpu as unknown as { Kernel?: { name?: string } }).Kernel?.name ?? '';
  if (/HeadlessGL/i.test(name)) return 'headlessgl';
  if (/WebGL2/i.test(name)) return 'webgl2';
  if (/WebGL/i.test(name)) return 'webgl';
  return 'gpu';
}

/** The GL device's limits and float support; null outside the GL modes. */
function glFeatures(gpu: GPU): { maxTextureSize: number; isTextureFloat: boolean; isFloatRead: boolean } | null {
  const K = (gpu as unknown as { Kernel?: { features?: { maxTextureSize?: number; isTextureFloat?: boolean; isFloatRead?: boolean } | null } }).Kernel;
  const f = K?.features;
  const size = f?.maxTextureSize;
  if (!f || typeof size !== 'number' || !Number.isFinite(size) || size <= 0) return null;
  return { maxTextureSize: size, isTextureFloat: f.isTextureFloat !== false, isFloatRead: f.isFloatRead !== false };
}
