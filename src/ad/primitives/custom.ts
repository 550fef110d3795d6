/**
 * custom(x0, …, xn), attrs [rule id, ...result shape]: a function with a derivative rule of its
 * user's (`customJvp`, `customVjp`; see src/ad/custom-rules.ts). Its value is the rule's primal
 * on the operands, and no backend lowers it: the planner decomposes it into that primal, so it
 * compiles like any other node. Differentiation asks the rule, in both directions; what the rule
 * builds is differentiated normally at the next order.
 */
import { TypegradError } from '../errors.js';
import { ruleName, ruleOf } from '../custom-rules.js';
import type { TensorPrimitive } from './types.js';

export const custom: TensorPrimitive = {
  kind: 'tensor',
  name: 'custom',
  arity: 'variadic',
  notation: {
    kind: 'call',
    name: 'custom',
    plain: (args, attrs) => `${ruleName(attrs)}(${args.join(', ')})`,
    latex: (args, attrs) => `\\operatorname{${ruleName(attrs)}}\\left(${args.join(', ')}\\right)`,
  },
  shape: (_args, attrs) => {
    if (attrs.length === 0 || !Number.isInteger(attrs[0])) throw new TypegradError('custom: attrs must start with a rule id');
    return attrs.slice(1);
  },
  evaluate: (values, node) => ruleOf(node).evaluate(values, node.args),
  vjp: (seed, self, _b, needed) => ruleOf(self).vjp(self.args, seed, self, needed),
  jvp: (tangents, self) => ruleOf(self).jvp(self.args, tangents, self),
  decompose: (self) => ruleOf(self).primal(self.args),
};
