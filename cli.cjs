#!/usr/bin/env node
// The `news-alerts` command: runs the TypeScript CLI through tsx so a fresh clone needs no build step.
// The AWS SDK warns on Node.js 20 that its releases from 2027 will need 22: nothing a poll can act on, and it would
// land in the middle of the command's stderr (set the variable to false to see it).
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
require('tsx/cjs');
require('./lambda/cli/main.ts')
  .main(process.argv.slice(2))
  .then((code) => {
    process.exitCode = code;
  });
