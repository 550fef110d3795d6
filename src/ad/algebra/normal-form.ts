/**
 * The rule of `simplify` for sums, products, quotients and integer powers: of the equal forms
 * of the node, the smallest (in DAG nodes, shared ones counted once):
 *
 * 1. its rational normal form with the factor common to every term of the numerator outside:
 *    a·b + a·c is a·(b + c), x·sin x − sin x is sin x·(x − 1) (numbers stay coefficients:
 *    2x + 2y is not 2·(x + y));
 * 2. its rational normal form: numerator and denominator expanded, common factors cancelled by
 *    the polynomial gcd (`cancel`); x²y² − (xy)² is 0, (xz² + yz)/z⁴ is (y + xz)/z³;
 * 3. its collected form: like terms and equal bases gathered (`collect.ts`), which also handles
 *    what polynomials cannot: symbolic exponents (x^a·x^b = x^(a+b)), 4^x·2^(−2x) = 1;
 * 4. the node as it is (so a node is never replaced by a larger one).
 *
 * Size is counted over the arithmetic part (`partOrder`: atoms such as sin(x) count as one),
 * which every form shares, so comparing forms costs the size of that part and not of the whole
 * expression below. On a tie the earlier form wins: the canonical forms come first, so equal
 * values get equal nodes, and the choice is stable (the rule set reaches a normal form).
 */
import type { Node } from '../node.js';
import { procedureRule } from '../rewrite/rule.js';
import { rebuild } from '../build.js';
import { builder } from '../build.js';
import { canonicalProduct, canonicalSum } from './collect.js';
import { Budget, BudgetExceeded, commonFactor, Polynomial } from './multivariate.js';
import {
  Atoms, cancelRational, isArithmetic, NotFinite, partOrder, polynomialNode, rationalFunctionNode, rationalView,
  Unrepresentable, type RationalFunction,
} from './rational-function.js';

/**
 * Term operations one node may spend on its rational normal form. Measured: the 50-term sum of
 * products Σ i·(x + i)(y − i) needs under 2,000 at its largest node; (x + y + 1)^12 needs 60,000.
 */
const NODE_BUDGET = 200_000;

const SUM_OPS = new Set(['add', 'sub', 'neg']);

/** The rational normal form and its factored variant, or none when it is too costly or not finite. */
function rationalForms(node: Node): Node[] {
  const atoms = new Atoms();
  const budget = new Budget(NODE_BUDGET, 'simplify');
  let cancelled: RationalFunction;
  try {
    cancelled = cancelRational(rationalView(node, atoms, budget), budget);
    const forms = [rationalFunctionNode(cancelled, atoms)];
    // The factor common to every term of the numerator, outside: a·b + a·c is a·(b + c),
    // x·sin x − sin x is sin x·(x − 1). Numbers stay coefficients (2x + 2y is not 2·(x + y)).
    const common = commonFactor(cancelled.numerator, budget);
    if (!common.isConstant() && cancelled.numerator.terms.size > 1) {
      const rest = cancelled.numerator.divideExactly(common, budget)!;
      const top = builder.mul(polynomialNode(common, atoms), polynomialNode(rest, atoms));
      forms.unshift(cancelled.denominator.equals(Polynomial.ONE) ? top : builder.div(top, polynomialNode(cancelled.denominator, atoms)));
    }
    return forms;
  } catch (error) {
    // Forms are offered, not required: a part too large to expand within the budget, with a
    // coefficient beyond 2^53, or with ∞ or NaN (where ∞ − ∞ is not 0) keeps its other forms.
    if (error instanceof BudgetExceeded || error instanceof Unrepresentable || error instanceof NotFinite) return [];
    throw error;
  }
}

/** How deep the forms of forms are normalized before the part is left as it is (a guard for the stack). */
const MAX_NESTING = 64;

/**
 * The smallest forms, remembered for one run of `simplify`. A form is compared with its own
 * parts already in their smallest forms: otherwise the engine, which brings the parts of a
 * replacement to normal form, could undo a choice that was smallest only before (a cycle).
 */
export class SmallestForms {
  readonly #memo = new Map<Node, Node>();
  readonly #active = new Set<Node>();

  /** The smallest equal form of an arithmetic node (the node itself when nothing is smaller). */
  of(node: Node): Node {
    if (!isArithmetic(node) || node.op === 'const') return node;
    const known = this.#memo.get(node);
    if (known !== undefined) return known;
    if (this.#active.has(node) || this.#active.size > MAX_NESTING) return node;
    this.#active.add(node);
    try {
      // Until the form is its own smallest form (sizes only shrink, so this ends; the bound is a guard).
      let current = node;
      for (let round = 0; round < 8; round++) {
        const best = this.#smallestCandidate(current);
        if (best === current) break;
        current = best;
      }
      this.#memo.set(node, current);
      this.#memo.set(current, current);
      return current;
    } finally {
      this.#active.delete(node);
    }
  }

  #smallestCandidate(node: Node): Node {
    const rational = rationalForms(node);
    // The collected form adds something only where the rational view has atoms it cannot
    // combine: powers with other exponents (x^a·x^b, 4^x·2^x); otherwise it is skipped (measured:
    // a sixth of the time of simplify on Σ i·(x + i)(y − i)).
    const collect = rational.length === 0 || partOrder(node).some((n) => n.op === 'pow' && !isArithmetic(n));
    const collected = !collect ? undefined : SUM_OPS.has(node.op) ? canonicalSum(node) : node.op === 'mul' || node.op === 'div' ? canonicalProduct(node) : undefined;
    const candidates = [...rational, ...(collected === undefined ? [] : [collected]), node];
    let best = node, size = Number.POSITIVE_INFINITY;
    for (const candidate of candidates) {
      const normal = candidate === node ? node : this.#withSmallestParts(candidate);
      const s = partOrder(normal).length;
      if (s < size) [best, size] = [normal, s];
    }
    return best;
  }

  /** The form rebuilt with each of its arithmetic parts (below the top) in its smallest form. */
  #withSmallestParts(form: Node): Node {
    const image = new Map<Node, Node>();
    for (const part of partOrder(form)) {
      if (part.args.length === 0 || !isArithmetic(part)) image.set(part, part);
      else {
        const rebuilt = rebuild(part, part.args.map((a) => image.get(a) ?? a));
        image.set(part, part === form ? rebuilt : this.of(rebuilt));
      }
    }
    return image.get(form)!;
  }
}

/** The rule that replaces an arithmetic node by its smallest form (`forms` remembers them for one run). */
export function smallestFormRule(forms: SmallestForms = new SmallestForms()) {
  return procedureRule('smallest equal form (collected, cancelled or factored)', ['add', 'sub', 'neg', 'mul', 'div', 'pow'], (node) => {
    const best = forms.of(node);
    return best === node ? undefined : best;
  });
}
