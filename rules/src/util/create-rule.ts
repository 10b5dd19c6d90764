import { ESLintUtils } from '@typescript-eslint/utils';
import type { TSESLint } from '@typescript-eslint/utils';
import type { RuleWithMetaAndName } from '@typescript-eslint/utils/eslint-utils';
import { repositoryFileUrl } from '@ka-codemod/core';

/** Where each rule's documentation lives (rules/docs/rules/<name>.md, generated and checked by eslint-doc-generator). */
export const DOCS_BASE_URL = repositoryFileUrl('rules/docs/rules/');

export interface KeepaliveRuleDocs {
  /** Enabled by `configs.recommended`. */
  recommended?: boolean;
  /** The rule needs type information to work at all (ours does not: types only sharpen it). */
  requiresTypeChecking?: boolean;
}

const ruleCreator = ESLintUtils.RuleCreator<KeepaliveRuleDocs>((name) => `${DOCS_BASE_URL}${name}.md`);

/**
 * RuleCreator's rule (typed options and messages, meta.docs.url), with `create` given
 * `context.options` as ESLint passes them. RuleCreator's own `create` deep-clones the default
 * options and merges the configured ones into them before every file (structuredClone and
 * deepMerge, for ESLint 8, which knew no meta.defaultOptions): 70–90 ms over the 1,860 files of
 * scripts/bench/eslint-share.mjs, a fifth of the rule's time, against ~1 ms for a bare `create`.
 * ESLint 9.15+ merges meta.defaultOptions itself; on older 9.x the options arrive as configured, so
 * a rule must fill in its own defaults (ours: resolveOptions).
 */
export function createRule<Options extends readonly unknown[], MessageIds extends string>(
  rule: Readonly<RuleWithMetaAndName<Options, MessageIds, KeepaliveRuleDocs>>,
): TSESLint.RuleModule<MessageIds, Options, KeepaliveRuleDocs> & { name: string } {
  return { ...ruleCreator(rule), create: (context) => rule.create(context, context.options) };
}
