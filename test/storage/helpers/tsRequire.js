'use strict';
/**
 * Lets a plain `node` child process require the project's .ts sources (ts-node is not installed):
 * each .ts file is transpiled on load with the TypeScript compiler already in devDependencies.
 * Type checking is tsc's job, not this hook's. Used by the multi-process file store test.
 */
const fs = require('node:fs');
const ts = require('typescript');

require.extensions['.ts'] = (module, filename) => {
  const { outputText } = ts.transpileModule(fs.readFileSync(filename, 'utf8'), {
    fileName: filename,
    compilerOptions: {
      module: ts.ModuleKind.CommonJS,
      target: ts.ScriptTarget.ES2022,
      esModuleInterop: true,
    },
  });
  module._compile(outputText, filename);
};
