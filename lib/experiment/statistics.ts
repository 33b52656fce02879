/**
 * The signed-rank test of the summary, from stdlib (@stdlib/stats-wilcoxon: exact p-values for the
 * small numbers of columns a grid has). Loaded on first use, so that ladtl runs without it; its
 * absence is a clear error.
 */
import type { SignedRankTest } from './summary.ts';

export async function loadSignedRankTest(): Promise<SignedRankTest> {
  let wilcoxon: (x: number[], options?: Record<string, unknown>) => { pValue: number; statistic: number };
  try {
    wilcoxon = ((await import('@stdlib/stats-wilcoxon')) as unknown as { default: typeof wilcoxon }).default;
  } catch (e) {
    throw new Error(`the summary's significance test needs the package '@stdlib/stats-wilcoxon' (npm install @stdlib/stats-wilcoxon): ${(e as Error).message}`);
  }
  return (differences) => {
    const r = wilcoxon([...differences], { alternative: 'two-sided' });
    // stdlib doubles the one-sided tail, which exceeds 1 when the statistic lies at the centre of its distribution.
    return { pValue: Math.min(1, r.pValue), statistic: r.statistic };
  };
}
