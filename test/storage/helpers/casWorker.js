'use strict';
/**
 * Child process for the multi-process file store test: the real FileDocumentStore (its .ts source,
 * transpiled on load), a separate process and its own in-process mutex, so only the lock files can
 * keep the processes apart.
 *
 * argv: <directory> <increments>. Sends 'ready', waits for 'go' (so all children start together),
 * then races to create one document and performs <increments> compare-and-swap increments with a
 * retry loop; reports { created, increments, retries } and exits.
 */
require('./tsRequire');
const { FileDocumentStore } = require('../../../adapters/storage/fileStore');
const { ConflictError, PreconditionFailedError } = require('../../../core/ports/documentStore');

const [directory, incrementsArg] = process.argv.slice(2);
const increments = Number(incrementsArg);
const store = new FileDocumentStore(directory);

async function run() {
  let created = false;
  try {
    await store.create('state', 'race', 'created-once', { by: process.pid });
    created = true;
  } catch (error) {
    if (!(error instanceof ConflictError)) throw error;
  }
  let retries = 0;
  for (let i = 0; i < increments; i += 1) {
    for (;;) {
      const current = await store.get('state', 'shared', 'counter');
      try {
        await store.replace('state', 'shared', 'counter', { n: current.body.n + 1 }, current.etag);
        break;
      } catch (error) {
        if (!(error instanceof PreconditionFailedError)) throw error;
        retries += 1;
      }
    }
  }
  return { created, increments, retries };
}

process.on('message', (message) => {
  if (message !== 'go') return;
  run().then(
    (result) => process.send({ type: 'done', ...result }, () => process.exit(0)),
    (error) => process.send({ type: 'failed', error: String(error && error.stack) }, () => process.exit(1)),
  );
});
process.send({ type: 'ready' });
