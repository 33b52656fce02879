/** The `cpu` backend: the plain TypeScript kernels of kernels/cpu, unchanged. */
import * as cpu from '../../kernels/cpu/index.ts';
import type { Backend } from './backend.ts';

export const cpuBackend: Backend = {
  name: 'cpu',
  description: 'cpu (plain TypeScript loops over typed arrays)',
  matmul: cpu.matmul,
  unary: cpu.unary,
  unaryBackward: cpu.unaryBackward,
  binary: cpu.binary,
  copyStrided: cpu.copyStrided,
  assignStrided: cpu.assignStrided,
  addInto: cpu.addInto,
  scaleInPlace: cpu.scaleInPlace,
  sumToShape: cpu.sumToShape,
  logSumExpAxis: cpu.logSumExpAxis,
  softmaxAxis: cpu.softmaxAxis,
  softmaxAxisBackward: cpu.softmaxAxisBackward,
  maxAxis: cpu.maxAxis,
  gatherRows: cpu.gatherRows,
  scatterAddRows: cpu.scatterAddRows,
  conv1dForward: cpu.conv1dForward,
  conv1dBackward: cpu.conv1dBackward,
  lstmCellForward: cpu.lstmCellForward,
  lstmCellBackward: cpu.lstmCellBackward,
  lstmSequenceForward: cpu.lstmSequenceForward,
  lstmSequenceBackward: cpu.lstmSequenceBackward,
  crfForwardBackward: cpu.crfForwardBackward,
  crfPathScore: cpu.crfPathScore,
  viterbi: cpu.viterbi,
  gaussianMmd: cpu.gaussianMmd,
};
