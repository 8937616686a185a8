// node package.mjs <package folder> <input.json>: {packages: [{file, trusted?, verifyAll?, states: [{state, now}]}]}
//   -> [{signature, manifest, paths, statuses: [status | {error: {code, message}}]} | {error: {code, path, message}}]
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const [packageFolder, inputFile] = process.argv.slice(2);
const runtime = await import(pathToFileURL(join(packageFolder, 'index.js')).href);
const { packages } = JSON.parse(readFileSync(inputFile, 'utf8'));

const refusal = (e) => {
  if (e instanceof runtime.PackageError || e instanceof runtime.PatientStateError) return { code: e.code, path: e.path ?? null, message: e.message };
  return { code: 'unexpected', path: null, message: String(e && e.stack || e) };
};

const results = [];
for (const p of packages) {
  let pkg;
  try {
    pkg = await runtime.readPackage(p.file, { trustedPublishers: p.trusted ?? [] });
    if (p.verifyAll) pkg.verifyAll();
  } catch (e) {
    results.push({ error: refusal(e) });
    continue;
  }
  results.push({
    signature: pkg.signature,
    manifest: pkg.manifest,
    paths: pkg.paths,
    statuses: (p.states ?? []).map(({ state, now }) => {
      try {
        return pkg.program.evaluateState(state, new Date(now));
      } catch (e) {
        return { error: refusal(e) };
      }
    }),
  });
}
process.stdout.write(JSON.stringify(results));
