/**
 * The HelloKotlingrad demo in typegrad: z = 4x(−sin(xy) + y), its partial derivatives, a mixed
 * partial and the gradient, at (x, y) = (0, 1). Run it with `npm run demo:hello`.
 */
import { d, grad, sin, size, toLatex, Var } from 'typegrad';

const x = Var('x');
const y = Var('y');
const z = x.mul(4).mul(sin(x.mul(y)).neg().add(y)); // SFun<'x' | 'y'>
const at = { x: 0, y: 1 };

const rows: [string, { toString(): string; eval(p: typeof at): number }][] = [
  ['z', z],
  ['∂z/∂x', d(z, x)],
  ['∂z/∂y', d(z, y)],
  ['∂²z/∂x²', d(z, x, x)],
  ['∂²z/∂x∂y', d(z, x, y)],
];
console.log(`z = ${z}   (LaTeX: ${toLatex(z)})\n`);
for (const [name, f] of rows) console.log(`${name.padEnd(9)} = ${String(f).padEnd(60)} = ${f.eval(at)} at (0, 1)`);
const g = grad(z);
console.log(`∇z        = (${g.x.eval(at)}, ${g.y.eval(at)}) at (0, 1), from one reverse pass; z and ∇z share ${size([z, g.x, g.y])} nodes`);
