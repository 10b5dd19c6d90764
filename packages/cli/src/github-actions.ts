import type { Site } from '@ka-codemod/core';
import { displayPath, findingMessage, RULES, ruleOf } from './diagnostics.js';

/** Running inside a GitHub Actions job: workflow commands there become annotations on the PR diff. */
export function inGitHubActions(env: Record<string, string | undefined>): boolean {
  return env.GITHUB_ACTIONS === 'true';
}

// https://docs.github.com/actions/reference/workflow-commands-for-github-actions: escaping rules.
function escapeData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}
function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

/** `::warning file=…,line=…,col=…,title=…::message` for a site `check` reports, or undefined. */
export function workflowCommand(site: Site, root: string, cwd: string, strict = false): string | undefined {
  const kind = ruleOf(site);
  if (!kind) return undefined;
  const level = kind === 'missing' || (strict && kind === 'unknown') ? 'warning' : 'notice';
  const title = RULES[kind];
  const props = `file=${escapeProperty(displayPath(root, site.file, cwd))},line=${site.line},col=${site.column},title=${escapeProperty(title)}`;
  return `::${level} ${props}::${escapeData(`${findingMessage(site)}: ${site.how}`)}`;
}
