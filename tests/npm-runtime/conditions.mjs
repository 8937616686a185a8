// node conditions.mjs <package folder> <cases.json>: [{name, tree, state}] -> [{name, value, holds}]
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const [packageFolder, casesFile] = process.argv.slice(2);
const runtime = await import(pathToFileURL(join(packageFolder, 'index.js')).href);
const cases = JSON.parse(readFileSync(casesFile, 'utf8'));
const results = cases.map((c) => ({
  name: c.name,
  value: runtime.evaluateCondition(c.tree, c.state),
  holds: runtime.conditionHolds(c.tree, c.state),
}));
process.stdout.write(JSON.stringify(results));
