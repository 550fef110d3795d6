/**
 * `npm run bench:types`: what the shapes in the types cost the type checker. Not a test.
 *
 * Each file below is checked alone by the project's `tsc --extendedDiagnostics` (with a temporary
 * tsconfig extending bench/types/tsconfig.json), importing `typegrad` as a user does, through the
 * built declarations in dist/ (run `npm run build` first; this script does when dist/ is missing).
 * A file's own cost is its numbers minus those of `empty.ts`, which only imports typegrad.
 * Instantiation counts are exact; times are the median of several runs and depend on the machine.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const projectRoot = resolve(import.meta.dirname, '../..');
const tscBinary = join(projectRoot, 'node_modules/.bin/tsc');
const runs = Number(process.env.BENCH_TYPES_RUNS ?? 3);

/** The measured files, and the limits each model file must stay under. */
const files = ['empty.ts', 'mlp-model.ts', 'image-model.ts', 'cnn-model.ts', 'large-dimensions.ts', 'arithmetic-stress.ts'] as const;
const limits = { instantiations: 1_000_000, checkSeconds: 2 };
/**
 * The MLP file may not get more than twice as costly as it was before shapes of any rank were
 * typed (41,445 instantiations with TypeScript 7.0.2): instantiations are exact, so they catch a
 * regression that timings on a shared machine would hide.
 */
const mlpBaseline = 41_445;

interface Diagnostics {
  instantiations: number;
  types: number;
  checkSeconds: number;
  totalSeconds: number;
  errors: string[];
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/** One `tsc --extendedDiagnostics` run over one file. */
function checkOnce(file: string): Diagnostics {
  const configDirectory = join(projectRoot, 'node_modules/.cache/typegrad-bench-types');
  const configPath = join(configDirectory, `tsconfig.${process.pid}.json`);
  mkdirSync(configDirectory, { recursive: true });
  writeFileSync(configPath, JSON.stringify({ extends: join(projectRoot, 'bench/types/tsconfig.json'), include: [], files: [join(projectRoot, 'bench/types', file)] }));
  let output: string;
  try {
    output = execFileSync(tscBinary, ['-p', configPath, '--noEmit', '--pretty', 'false', '--extendedDiagnostics'], { cwd: projectRoot, encoding: 'utf8' });
  } catch (error) {
    // tsc exits non-zero when there are errors; they are reported below.
    output = String((error as { stdout?: unknown }).stdout ?? error);
  } finally {
    rmSync(configPath, { force: true });
  }
  const number = (label: string): number => {
    const match = new RegExp(`^${label}:\\s+([\\d.]+)`, 'm').exec(output);
    if (!match) throw new Error(`bench:types: no "${label}" in the output of tsc:\n${output}`);
    return Number(match[1]);
  };
  return {
    // TypeScript 7 prints "Instantiations", TypeScript 5 "Instantiation count".
    instantiations: number('(?:Instantiations|Instantiation count)'),
    types: number('Types'),
    checkSeconds: number('Check time'),
    totalSeconds: number('Total time'),
    errors: output.split('\n').filter((line) => /error TS\d+/.test(line)),
  };
}

function measure(file: string): Diagnostics {
  const all = Array.from({ length: runs }, () => checkOnce(file));
  return {
    instantiations: all[0]!.instantiations,
    types: all[0]!.types,
    checkSeconds: median(all.map((d) => d.checkSeconds)),
    totalSeconds: median(all.map((d) => d.totalSeconds)),
    errors: all[0]!.errors,
  };
}

if (!existsSync(join(projectRoot, 'dist/index.d.ts'))) execFileSync('npm', ['run', 'build'], { cwd: projectRoot, stdio: 'inherit' });

const results = new Map(files.map((file) => [file, measure(file)]));
const baseline = results.get('empty.ts')!;
const seconds = (s: number) => `${s.toFixed(2)} s`;
console.log(`tsc ${execFileSync(tscBinary, ['--version'], { encoding: 'utf8' }).trim()}, median of ${runs} runs\n`);
console.log('| file | instantiations | own instantiations | types | check time | own check time | total time |');
console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: |');
for (const [file, d] of results) {
  const own = file === 'empty.ts' ? '(baseline)' : String(d.instantiations - baseline.instantiations);
  const ownCheck = file === 'empty.ts' ? '(baseline)' : seconds(Math.max(0, d.checkSeconds - baseline.checkSeconds));
  console.log(`| ${file} | ${d.instantiations} | ${own} | ${d.types} | ${seconds(d.checkSeconds)} | ${ownCheck} | ${seconds(d.totalSeconds)} |`);
}

let failed = false;
for (const [file, d] of results) {
  if (d.errors.length > 0) {
    failed = true;
    console.error(`\n${file} does not compile:\n${d.errors.join('\n')}`);
  }
}
for (const file of ['mlp-model.ts', 'image-model.ts', 'cnn-model.ts'] as const) {
  const model = results.get(file)!;
  const ownInstantiations = model.instantiations - baseline.instantiations;
  const ownCheck = model.checkSeconds - baseline.checkSeconds;
  console.log(`\n${file}, its own cost: ${ownInstantiations} instantiations (limit ${limits.instantiations}), ${seconds(ownCheck)} of checking (limit ${seconds(limits.checkSeconds)})`);
  if (ownInstantiations >= limits.instantiations || ownCheck >= limits.checkSeconds) {
    failed = true;
    console.error(`\n${file} costs ${ownInstantiations} instantiations and ${seconds(ownCheck)} of its own: over ${limits.instantiations} / ${seconds(limits.checkSeconds)}`);
  }
}
const mlpInstantiations = results.get('mlp-model.ts')!.instantiations - baseline.instantiations;
console.log(`mlp-model.ts against its baseline: ${(mlpInstantiations / mlpBaseline).toFixed(2)}× (limit 2×)`);
if (mlpInstantiations > 2 * mlpBaseline) {
  failed = true;
  console.error(`\nmlp-model.ts costs ${mlpInstantiations} instantiations, over twice its baseline of ${mlpBaseline}`);
}
process.exitCode = failed ? 1 : 0;
