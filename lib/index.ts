/**
 * The `ladtl` package: La-DTL (Wang et al., NAACL 2018) on a from-scratch numeric engine.
 *
 * This entry is browser-safe (no Node built-ins, no optional peers). It exports the layers of
 * docs/design.md bottom up: tensors, the autodiff core and backends; the differentiable ops as the
 * `ops` namespace (their names, `add`, `exp`, `max`, ..., are too generic for the top level); the
 * modules of the tagger; the paper's transfer terms and methods; training; evaluation; data; the
 * model file; and the embedding API (`NerTagger`). Other entries: `ladtl/embed` (only the embedding
 * API, for small browser bundles), `ladtl/worker` (the tagging web worker), `ladtl/node` (file
 * helpers), `ladtl/experiment` (the reproduction machinery) and `ladtl/gpu` (registers the GPU.js
 * backend; needs the optional peer `gpu.js`).
 */
export * from './tensor/index.ts';
export * from './autodiff/index.ts';
export * from './backend/index.ts';
export * as ops from './ops/index.ts';
export * from './nn/index.ts';
export * from './transfer/index.ts';
export * from './train/index.ts';
export * from './data/index.ts';
export * from './eval/index.ts';
export * from './io/index.ts';
export * from './embed/index.ts';
// data and eval each have a tag splitter: data's (prefix and type under BIO/IOB1/BIOES) is the
// top-level `splitTag`; eval's, which splits as conlleval.pl does, is `conllevalSplitTag`.
export { splitTag, compareCodePoints } from './data/index.ts';
export { splitTag as conllevalSplitTag } from './eval/index.ts';
