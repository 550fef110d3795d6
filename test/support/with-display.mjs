#!/usr/bin/env node
// Runs a command with an X display: directly when one exists (or off Linux), under `xvfb-run -a`
// on a headless Linux that has it, so gpu.js can use real WebGL (the `gl` package) in the tests.
// Without either, the command runs as is and the gpu tests report the fallback mode they used.
import { spawnSync } from 'node:child_process';

const command = process.argv.slice(2);
const hasXvfb = spawnSync('sh', ['-c', 'command -v xvfb-run'], { stdio: 'ignore' }).status === 0;
const wrap = process.platform === 'linux' && !process.env.DISPLAY && hasXvfb;
const [program, ...args] = wrap ? ['xvfb-run', '-a', ...command] : command;
if (wrap) console.log(`(running under xvfb-run for the gpu tests' WebGL)`);
const result = spawnSync(program, args, { stdio: 'inherit', shell: false });
process.exit(result.status ?? 1);
