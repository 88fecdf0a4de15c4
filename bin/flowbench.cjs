#!/usr/bin/env node
'use strict';
// Loads the built CLI (out/main/cli.js, made by `npm run build`, which `npm install` runs).
const { existsSync } = require('node:fs');
const { join } = require('node:path');

const built = join(__dirname, '..', 'out', 'main', 'cli.js');
if (!existsSync(built)) {
  process.stderr.write('flowbench: the CLI is not built yet. Run `npm run build` in ' + join(__dirname, '..') + '\n');
  process.exit(1);
}
require(built);
