export { Variable, parameter, constant } from './variable.ts';
export { noGrad, isGradEnabled } from './gradMode.ts';
export { recordOp, backward, buildTape, type BackwardOptions } from './tape.ts';
export { setFiniteCheck, isFiniteCheckEnabled, NonFiniteError, assertFinite } from './anomaly.ts';
