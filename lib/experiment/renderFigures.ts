/**
 * Node helper: Vega-Lite figures drawn to SVG strings without a browser (vega-lite compiles the
 * specification to Vega, vega's headless view renders it). vega and vega-lite are loaded on first
 * use, so that the rest of ladtl does not need them; their absence is a clear error.
 */
import type { Figure } from './figures.ts';

interface VegaModules {
  compile(spec: unknown): { spec: unknown };
  View: new (runtime: unknown, options: { renderer: string }) => { toSVG(): Promise<string>; finalize(): void };
  parse(spec: unknown): unknown;
}

let modules: Promise<VegaModules> | null = null;

async function loadVega(): Promise<VegaModules> {
  modules ??= (async () => {
    try {
      const [vega, vegaLite] = await Promise.all([import('vega'), import('vega-lite')]);
      return { compile: vegaLite.compile as VegaModules['compile'], View: vega.View as unknown as VegaModules['View'], parse: vega.parse as VegaModules['parse'] };
    } catch (e) {
      throw new Error(`drawing figures needs the packages 'vega' and 'vega-lite' (npm install vega vega-lite): ${(e as Error).message}`);
    }
  })();
  return modules;
}

/** The figure as a standalone SVG document. */
export async function renderSvg(figure: Figure): Promise<string> {
  const v = await loadVega();
  const view = new v.View(v.parse(v.compile(figure.spec).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
