#!/usr/bin/env -S node --v8-pool-size=1
// One V8 helper thread (for its garbage collection and compiling in the background) instead of
// Node's four: the build makes its own threads, one per idle core (see `--jobs`), and on the
// two-core development machine four helpers beside them slowed a one-code edit by 0.07-0.13 s
// (1.79 s against 1.92 s, medians of 16 interleaved edits); cold builds were faster with one in
// six of seven interleaved pairs (see the README). The npm scripts run the CLI with the same
// option, and `npm run bench` runs its builds so.
// The compiled CLI as one bundle (scripts/bundle.mjs): loading it takes a third of the time its modules one by one do.
import { main } from '../dist/bundle/main.js';

// A reader that stops early (`codepairs translations status | head`) is not an error.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw error;
  });
}

process.exitCode = await main(process.argv.slice(2));
