#!/usr/bin/env node
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
