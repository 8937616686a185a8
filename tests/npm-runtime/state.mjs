// node state.mjs <package folder> <input.json>: {states: [text]}
//   -> [{json: the state as toJSON writes it, JSON.stringify(…, null, 2) + "\n"} | {error: code}]
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const [packageFolder, inputFile] = process.argv.slice(2);
const runtime = await import(pathToFileURL(join(packageFolder, 'index.js')).href);
const { states } = JSON.parse(readFileSync(inputFile, 'utf8'));

process.stdout.write(JSON.stringify(states.map((text) => {
  try {
    return { json: JSON.stringify(runtime.readPatientState(text), null, 2) + '\n' };
  } catch (e) {
    return { error: e instanceof runtime.PatientStateError ? e.code : String(e && e.stack || e) };
  }
})));
