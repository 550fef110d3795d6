/**
 * Dataflow graphs: a neuron's output σ(w·x + b) and, with it, its gradient by w and b from one
 * reverse pass, as Graphviz DOT and as SVG rendered in-process (WebAssembly Graphviz). The
 * second picture shows the gradient reusing the function's nodes.
 * Run it with `npm run example:dataflow`.
 */
import { grad, sigmoid, size, Var } from 'typegrad';
import { toDot, toSvg } from 'typegrad/viz';
import { writeOutput } from './output.js';

const w = Var('w'), x = Var('x'), b = Var('b');
const neuron = sigmoid(w.mul(x).add(b));
const g = grad(neuron, [w, b]);

console.log(`f = ${neuron}  (${size(neuron)} nodes)`);
console.log(`∂f/∂w = ${g.w}`);
console.log(`∂f/∂b = ${g.b}`);
console.log(`f with its gradient: ${size([neuron, g.w, g.b])} nodes, shared ones counted once`);

const pictures = [
  { file: 'dataflow', roots: neuron, title: 'f = σ(w·x + b)' },
  { file: 'dataflow-gradient', roots: { f: neuron, '∂f/∂w': g.w, '∂f/∂b': g.b }, title: 'f, ∂f/∂w and ∂f/∂b' },
];
console.log('edges into an operation: blue from its left operand, red from its right, black into a unary one');
for (const { file, roots, title } of pictures) {
  writeOutput(`${file}.dot`, toDot(roots, { title }));
  writeOutput(`${file}.svg`, await toSvg(roots, { title }));
}
