/** Parameter files: saving creates the folders, and a file that cannot be read is an error naming its path. */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { TypegradError } from '../../src/index.js';
import { dense, Random, sequential } from '../../src/nn/index.js';
import { loadParameters, saveParameters } from '../../src/node/index.js';

const model = sequential(dense('l1', 2, 3), dense('l2', 3, 1));
const params = model.init(new Random(1));
const folder = mkdtempSync(join(tmpdir(), 'typegrad-parameter-files-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

describe('parameter files', () => {
  it('saveParameters creates the missing folders', () => {
    const path = join(folder, 'out', 'deeper', 'mlp.json');
    saveParameters(path, model, params);
    expect(loadParameters(path, model)['l1.W']).toEqual(params['l1.W']);
  });

  it('loadParameters on a missing file, or a folder, is a TypegradError naming the path', () => {
    const missing = join(folder, 'nothing-here.json');
    expect(() => loadParameters(missing, model)).toThrow(new TypegradError(`loadParameters: cannot read '${missing}': no such file or directory (ENOENT)`));
    const directory = join(folder, 'a-folder');
    mkdirSync(directory);
    expect(() => loadParameters(directory, model)).toThrow(new TypegradError(`loadParameters: cannot read '${directory}': it is a directory (EISDIR)`));
    expect(() => loadParameters('' as string, model)).toThrow(new TypegradError('loadParameters: expected a file path, got the string ""'));
  });

  it('saveParameters where a file stands in for a folder is a TypegradError naming the path', () => {
    const file = join(folder, 'plain.json');
    saveParameters(file, model, params);
    const inside = join(file, 'mlp.json');
    expect(() => saveParameters(inside, model, params)).toThrow(new RegExp(`^saveParameters: cannot write '${inside.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}': `));
  });
});
