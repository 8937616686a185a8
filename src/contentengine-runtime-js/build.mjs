// Builds the npm package contentengine-runtime into a folder, ready for `npm pack`:
//   node src/contentengine-runtime-js/build.mjs [output folder]     (default: out/npm/contentengine-runtime)
// The package's condition and schedule code is the web bundle's own, taken unchanged from
// themes/default/assets/conditions.js and schedule.js (plain scripts that attach to window.CE) and
// wrapped into one ES module, lib/engine.js: the browser and the package cannot drift apart.
// The version is the repository's (Directory.Build.props), as for the .NET packages.
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, '..', '..');
const out = resolve(process.argv[2] ?? join(repo, 'out', 'npm', 'contentengine-runtime'));
const assets = join(repo, 'themes', 'default', 'assets');

const props = readFileSync(join(repo, 'Directory.Build.props'), 'utf8');
const version = /<Version>([^<]+)<\/Version>/.exec(props)?.[1];
if (!version) throw new Error('Directory.Build.props has no <Version>');

rmSync(out, { recursive: true, force: true });
mkdirSync(join(out, 'lib'), { recursive: true });
for (const file of ['index.js', 'index.d.ts', 'README.md']) cpSync(join(here, file), join(out, file));
cpSync(join(here, 'lib'), join(out, 'lib'), { recursive: true });

const manifest = JSON.parse(readFileSync(join(here, 'package.json'), 'utf8'));
manifest.version = version;
writeFileSync(join(out, 'package.json'), JSON.stringify(manifest, null, 2) + '\n');

const script = (name) => {
  const text = readFileSync(join(assets, name), 'utf8');
  return `// ---- themes/default/assets/${name} (the web bundle's, unchanged) ----\n${text}${text.endsWith('\n') ? '' : '\n'}`;
};
writeFileSync(join(out, 'lib', 'engine.js'),
  '// Made by build.mjs from the web bundle\'s conditions.js and schedule.js: do not edit; edit those.\n' +
  '// They attach to window.CE; here window is this module\'s own object, never the global one.\n' +
  'const window = {};\n' +
  script('conditions.js') + script('schedule.js') +
  'export const CE = window.CE;\n');
console.log(out);
