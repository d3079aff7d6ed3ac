#!/usr/bin/env node
// The published entry point: the compiled CLI lives in dist/ (built by `npm run build`).
import "../dist/cli/main.js";
