#!/usr/bin/env -S node --max-semi-space-size=32
// The published entry point: the compiled CLI lives in dist/ (built by `npm run build`).
//
// The flag doubles V8's young generation (16 MB a semi-space by default). A large import keeps a batch of
// rows alive while the previous batch is on the database server, so with the default most of what it
// allocates outlives a young-generation collection and is copied and promoted: garbage collection then takes
// about a fifth of the import. bench/ledger.ts runs its import the same way (it reads the flags from here).
import "../dist/cli/main.js";
