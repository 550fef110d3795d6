/**
 * Known bugs of the gpu backend, pinned as failing tests (`it.fails`): each passes while the bug
 * is there and fails, telling whoever fixed it to turn it into an ordinary test, once it is gone.
 */
import { describe, expect, it } from 'vitest';
import { compile, grad, initBackend, polygamma, sum, VVar } from '../../src/index.js';

const info = await initBackend('gpu');
/** Seen in gpu.js's WebGL modes (real WebGL under Xvfb here); elsewhere not pinned. */
const webgl = /gl/.test(info.engine);

describe(`known gpu bugs (gpu.js mode '${info.engine}')`, () => {
  // The gradient of sum(polygamma(1, 0.25 + u²)) comes back as [0.00356, 0.00356]: both elements
  // read u[1], and the reflection term of polygamma(2, ·) is lost, when the loss, the gradient
  // and the polygamma values are one program; the gradient alone, or polygamma alone, is right. The
  // special functions' decompositions are the longest elementwise groups, split into several
  // kernels (src/backend/gpu/tensor-program.ts). The random-program agreement test leaves the
  // special functions out on gpu until this is fixed.
  (webgl ? it.fails : it.skip)('the gradient of a sum of polygamma over a vector matches js', () => {
    // One program of the loss, its gradient and the polygamma values (the gradient alone is right).
    const u = VVar('u', 2);
    const inner = polygamma(1, u.pow(2).add(0.25));
    const loss = sum(inner);
    const g = grad(loss, { u }).u;
    const data = { u: [7.152557373046875e-7, -0.0005142688751220703] };
    const expected = Array.from((compile([loss, g, inner])(data) as unknown as Float64Array[])[1]!);
    const got = Array.from((compile([loss, g, inner], { backend: 'gpu' })(data) as unknown as Float32Array[])[1]!);
    got.forEach((v, i) => expect(Math.abs(v - expected[i]!)).toBeLessThan(1e-4 * 130));
  });
});
