import { ESLintUtils } from '@typescript-eslint/utils';

/** Where each rule's documentation lives (rules/docs/rules/<name>.md, generated and checked by eslint-doc-generator). */
export const DOCS_BASE_URL = 'https://github.com/ka-codemod/ka-codemod/blob/main/rules/docs/rules/';

export interface KeepaliveRuleDocs {
  /** Enabled by `configs.recommended`. */
  recommended?: boolean;
  /** The rule needs type information to work at all (ours does not: types only sharpen it). */
  requiresTypeChecking?: boolean;
}

export const createRule = ESLintUtils.RuleCreator<KeepaliveRuleDocs>((name) => `${DOCS_BASE_URL}${name}.md`);
