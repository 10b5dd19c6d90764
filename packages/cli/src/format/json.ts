import type { AuditReport } from '@ka-codemod/core';

/** The DESIGN.md contract: { version, root, sites, summary } (+ problems), two-space indented. */
export function renderJson(report: AuditReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}
