// node schedule.mjs <package folder> <input.json>: {graph, items: [{progress, clock?}]} -> [status | {error}]
// A case with a clock ({timeZone, now}) takes today as the local date of that moment in that zone.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const [packageFolder, inputFile] = process.argv.slice(2);
const runtime = await import(pathToFileURL(join(packageFolder, 'index.js')).href);
const { graph, items } = JSON.parse(readFileSync(inputFile, 'utf8'));
const program = runtime.programFromGraph(graph);
const results = items.map(({ progress, clock }) => {
  try {
    const p = clock ? { ...progress, today: runtime.dateIn(clock.timeZone, new Date(clock.now)) } : progress;
    return program.evaluate(p);
  } catch (e) {
    return { error: String(e && e.stack || e) };
  }
});
process.stdout.write(JSON.stringify(results));
