#!/usr/bin/env node
// Runs the compiled CLI in production mode (Ink and React skip their dev checks).
process.env.NODE_ENV = process.env.NODE_ENV || 'production';
const { main } = await import('../dist/cli/main.js');
process.exitCode = await main(process.argv);
