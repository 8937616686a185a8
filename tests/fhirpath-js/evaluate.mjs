// Evaluates FHIRPath expressions with fhirpath.js (npm's fhirpath) and its FHIR R4 model, for the tests that compare it
// with ContentEngine's own evaluators (FhirPathJsVectorTests, FhirPathJsProgramTests).
//
//   node evaluate.mjs <the fhirpath package's folder> <cases.json>
//
// cases.json: {"environments": {"<name>": {"<variable>": <value>, ...}, ...},
//              "cases": [{"id": "...", "expression": "...", "focus": <a resource>, "environment": "<name>"}, ...]}
// The focus is also %resource (the response being filled in, as SDC has it). Prints one JSON object on stdout:
// {"<id>": {"result": [<values>]}} for a case evaluated, {"<id>": {"error": "<message>"}} for one that does not parse
// or fails.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const [folder, file] = process.argv.slice(2);
const load = async (...parts) => (await import(pathToFileURL(join(folder, ...parts)).href)).default;
const fhirpath = await load('esm', 'fhirpath.mjs');
const r4 = await load('fhir-context', 'r4', 'index.mjs');

const { environments, cases } = JSON.parse(readFileSync(file, 'utf8'));
const compiled = new Map();
const results = {};
for (const c of cases) {
  try {
    let run = compiled.get(c.expression);
    if (!run) compiled.set(c.expression, run = fhirpath.compile(c.expression, r4));
    // A fresh copy per case: fhirpath.js marks the objects it walks.
    const focus = structuredClone(c.focus);
    const variables = { ...structuredClone(environments[c.environment] ?? {}), resource: focus };
    const result = run(focus, variables);
    results[c.id] = { result: result.map(v => (v && typeof v === 'object' && 'toJSON' in v) ? v.toJSON() : v) };
  } catch (e) {
    results[c.id] = { error: String(e?.message ?? e) };
  }
}
process.stdout.write(JSON.stringify(results));
