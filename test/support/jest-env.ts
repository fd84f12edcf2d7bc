// Jest setup for every test file: quiet the AWS SDK's notice that its 2027 releases need Node.js 22, which every
// worker and child process would otherwise print between the results on Node.js 20 (the CLI hides it the same way).
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
