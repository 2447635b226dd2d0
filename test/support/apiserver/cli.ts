// Runs the meshscope CLI from source in a child process (tests spawn it so the in-process test API server keeps serving).
import { main } from '../../../src/cli/main.js';

process.exitCode = await main(process.argv);
