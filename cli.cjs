#!/usr/bin/env node
// The `news-alerts` command: runs the TypeScript CLI through tsx so a fresh clone needs no build step.
require('tsx/cjs');
require('./lambda/cli/main.ts')
  .main(process.argv.slice(2))
  .then((code) => {
    process.exitCode = code;
  });
