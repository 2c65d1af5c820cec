// Builds the tracker variants: node build.mjs [outdir] (default: dist).
// Each variant is shukei.js minified by terser with the build flags of its
// file name; the same input always gives the same bytes, so a test can
// rebuild and compare with the committed files.
import { createRequire } from 'node:module';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(join(here, 'testdata/npm/package.json'));
const { minify } = require('terser');

// The variant flags and the file-name parts that select them, in the
// canonical (sorted) order of file names.
const flags = [
  ['file-downloads', 'DOWNLOADS'],
  ['hash', 'HASH'],
  ['local', 'LOCAL'],
  ['outbound-links', 'OUTBOUND'],
];
const options = JSON.parse(readFileSync(join(here, 'terser.json'), 'utf8'));
const source = readFileSync(join(here, 'shukei.js'), 'utf8');
const out = process.argv[2] || join(here, 'dist');
mkdirSync(out, { recursive: true });

for (let mask = 0; mask < 1 << flags.length; mask++) {
  const defs = {};
  const parts = ['script'];
  flags.forEach(([part, flag], i) => {
    defs[flag] = (mask & (1 << i)) != 0;
    if (defs[flag]) parts.push(part);
  });
  const opts = structuredClone(options);
  opts.compress = { ...opts.compress, global_defs: defs };
  const { code } = await minify(source, opts);
  writeFileSync(join(out, parts.join('.') + '.js'), code + '\n');
}
