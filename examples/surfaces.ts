/**
 * Four surfaces named after Kotlin∇'s Plot3D pictures (ripple, pulsar, starquake, novaflux),
 * each drawn as a shaded 3-D surface and its gradient's magnitude |∇f| as a heat map with
 * contour lines. Kotlin∇ published the formula of its ripple, sin(10(x² + y²))/10 (its Plot3D
 * sample); the other three pictures came without formulas, so these are our own.
 * Run it with `npm run example:surfaces`.
 */
import { cos, exp, sin, sqrt, Var, type SFun } from 'typegrad';
import { surfacePlot } from 'typegrad/viz';
import { writeOutput } from './output.js';

const x = Var('x'), y = Var('y');
const r2 = x.mul(x).add(y.mul(y));
const r = sqrt(r2);

const surfaces: { name: string; formula: string; f: SFun<'x' | 'y'> }[] = [
  { name: 'ripple', formula: 'sin(10(x² + y²))/10', f: sin(r2.mul(10)).div(10) },
  {
    name: 'pulsar',
    formula: 'cos(12r)·e^(−5r/2) with r = √(x² + y²)',
    f: cos(r.mul(12)).mul(exp(r.mul(-2.5))),
  },
  {
    name: 'starquake',
    formula: '(x⁴ − 6x²y² + y⁴)·cos(6r²)·e^(−r²)',
    f: x.pow(4).sub(x.mul(x).mul(y.mul(y)).mul(6)).add(y.pow(4)).mul(cos(r2.mul(6))).mul(exp(r2.neg())),
  },
  {
    name: 'novaflux',
    formula: '2(x³ − 3xy²)·e^(−3r²/2) + sin(5x)·sin(5y)/7',
    f: x.pow(3).sub(x.mul(y.mul(y)).mul(3)).mul(exp(r2.mul(-1.5))).mul(2).add(sin(x.mul(5)).mul(sin(y.mul(5))).div(7)),
  },
];

const domain = { x: [-1, 1], y: [-1, 1] } as const;
for (const { name, formula, f } of surfaces) {
  writeOutput(`surface-${name}.svg`, surfacePlot(f, domain, { title: `${name}: f(x, y) = ${formula}`, id: name }));
  writeOutput(
    `surface-${name}-gradient.svg`,
    surfacePlot(f, domain, { kind: 'heatmap', show: 'gradient', title: `${name}: |∇f| with contours`, id: `${name}-gradient` }),
  );
}
