/**
 * `simplify`, `expand` and `factor`: the rewriting engine run with the rule tables of
 * `rules.ts`. The sets of `expand` and `factor` are compiled once, so the normal forms found by
 * one call are known to the next (nodes are interned and immutable); `simplify` has a set per
 * call, whose smallest forms (`normal-form.ts`) are remembered for that call only.
 */
import type { Node } from '../node.js';
import { RuleSet, rewriteNode, type RewriteOptions } from '../rewrite/engine.js';
import { SmallestForms, smallestFormRule } from './normal-form.js';
import { expandRules, factorRules, identityRules } from './rules.js';

const expandSet = new RuleSet(expandRules);
const factorSet = new RuleSet(factorRules);

/** The thorough simplification: collect, fold, cancel, trigonometric and exp/log identities, common factors. */
export function simplifyNode(node: Node, options?: RewriteOptions): Node {
  // A rule set per call: its smallest forms are remembered for this run only.
  return rewriteNode(node, new RuleSet([smallestFormRule(new SmallestForms()), ...identityRules]), options).node;
}

/** Multiplies out products and integer powers of sums, then collects like terms. */
export function expandNode(node: Node, options?: RewriteOptions): Node {
  return rewriteNode(node, expandSet, options).node;
}

/** Collects like terms, then factors common factors out of sums. */
export function factorNode(node: Node, options?: RewriteOptions): Node {
  return rewriteNode(node, factorSet, options).node;
}
