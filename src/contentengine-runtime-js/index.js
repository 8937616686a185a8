// contentengine-runtime: ContentEngine's runtime for JavaScript (README.md). The schedule and condition
// rules are the web bundle's own code (lib/engine.js, made by build.mjs from themes/default/assets).
export { openPackage, readPackage, PackageError, limits } from './lib/package.js';
export { Program, programFromGraph, GraphError, evaluateCondition, conditionHolds, dateIn } from './lib/program.js';
export { readPatientState, PatientRecord, PatientStateError } from './lib/patient-state.js';
