import { analyzeTsSource, mayHoldSites } from '@ka-codemod/ts';
import { MIN_USEFUL_DELAY_MS } from '@ka-codemod/ts/constants';
import { isFlagged, isUnknown, type Site } from '@ka-codemod/core';
import type { TSESTree } from '@typescript-eslint/utils';
import { createRule } from '../util/create-rule.js';
import { isIgnoredSite } from '../util/is-ignored-site.js';
import { parsedTree } from '../util/parsed-tree.js';
import { reportText } from '../util/report-text.js';
import { resolveOptions, type RequireKeepaliveOptions } from '../util/rule-options.js';
import { siteFixer } from '../util/site-fixer.js';

export type MessageIds = 'missingKeepalive' | 'unknownKeepalive' | 'enableKeepalive' | 'notAnalysed';
export type Options = [RequireKeepaliveOptions];

const DEFAULT_OPTION: RequireKeepaliveOptions = { fix: 'suggestion', initialDelay: 60_000, ignoreCalls: [], ignoreFunctions: [], reportUnknown: false, crossFile: false };

export const requireKeepalive = createRule<Options, MessageIds>({
  name: 'require-keepalive',
  meta: {
    type: 'problem',
    docs: {
      description: 'Require TCP keepalive on every socket a Node program creates or accepts',
      recommended: true,
    },
    // Suggestions by default (enabling keepalive changes run-time behaviour); `fix: 'autofix-safe'`
    // opts in to --fix for the engine's safe fixes, `fix: 'autofix'` for all of them.
    fixable: 'code',
    hasSuggestions: true,
    messages: {
      missingKeepalive:
        'Sockets from {{call}}{{maybeTcp}} get no TCP keepalive, so a peer that vanishes is never noticed. {{how}}{{errorListener}}{{notes}}',
      unknownKeepalive:
        'Sockets from {{call}}{{maybeTcp}} go where the keepalive check cannot follow them, and no keepalive was seen. {{how}}{{errorListener}}{{notes}}',
      enableKeepalive: '{{description}}',
      // ESLint's parser accepted the file but the engine's (TypeScript's) did not: say so rather than pass silently.
      notAnalysed: 'The keepalive check could not read this file, so its sockets were not checked: {{reason}}',
    },
    schema: [
      {
        type: 'object',
        additionalProperties: false,
        properties: {
          fix: {
            type: 'string',
            enum: ['suggestion', 'autofix-safe', 'autofix'],
            description:
              "How the rewrite is offered: as an editor suggestion (default); as an `eslint --fix` autofix when it only turns keepalive on (`autofix-safe`: a fix that also adds an 'error' listener stays a suggestion); or always as an autofix (`autofix`).",
          },
          initialDelay: {
            type: 'integer',
            // Node applies the delay in whole seconds: below this it becomes 0, the OS default of 2 h.
            minimum: MIN_USEFUL_DELAY_MS,
            description: 'Idle time in ms before the first probe, written as keepAliveInitialDelay / setKeepAlive delay.',
          },
          nodeVersion: {
            type: 'string',
            description: 'The Node versions to judge by (an engines.node range); default: the nearest package.json.',
          },
          ignoreCalls: {
            type: 'array',
            items: { type: 'string' },
            uniqueItems: true,
            description: "Site kinds never reported, e.g. `net.createServer` or `server.on('connection')`.",
          },
          ignoreFunctions: {
            type: 'array',
            items: { type: 'string' },
            uniqueItems: true,
            description: 'Regular expressions: sites inside a function whose name matches are not reported.',
          },
          reportUnknown: {
            type: 'boolean',
            description: 'Also report sockets whose keepalive could not be followed (they escape into code the engine cannot see).',
          },
          crossFile: {
            type: 'boolean',
            description:
              'Judge a file whose sockets leave it (returned, exported, handed to other modules) together with the other files of its package, read from disk, as ka-codemod does: creators re-exported by other files, keepalive added by callers elsewhere. Costs one analysis of such a package per lint process.',
          },
        },
      },
    ],
    defaultOptions: [DEFAULT_OPTION],
  },
  defaultOptions: [DEFAULT_OPTION],
  create(context, [options]) {
    const { sourceCode, filename } = context;
    // typescript-eslint with type information: the checker only sharpens the verdicts.
    const program = sourceCode.parserServices?.program ?? undefined;
    const settings = resolveOptions(options);
    // Off by default: on network libraries, where most sockets leave their file, reading their
    // packages costs what `ka-codemod audit` costs, several times the rule's own time.
    const scope = settings.crossFile ? 'package' : 'file';
    // Most files of a lint cannot hold a site, as the engine's text tests tell: no listener for them.
    if (!mayHoldSites({ fileName: filename, text: sourceCode.text, program, scope })) return {};

    function report(site: Site): void {
      const fixer = siteFixer(site.fix, filename);
      const loc = siteLocation(site);
      const data = reportText(site);
      const messageId = isUnknown(site) ? 'unknownKeepalive' : 'missingKeepalive';
      if (!fixer || !site.fix) {
        context.report({ loc, messageId, data });
        return;
      }
      const suggestion = {
        messageId: 'enableKeepalive' as const,
        data: { description: site.fix.description },
        fix: fixer,
      };
      if (settings.fix === 'autofix' || (settings.fix === 'autofix-safe' && site.fix.kind === 'safe')) {
        context.report({ loc, messageId, data, fix: fixer, suggest: [suggestion] });
      } else {
        context.report({ loc, messageId, data, suggest: [suggestion] });
      }
    }

    return {
      Program(): void {
        // The engine judges the whole file at once (sites flow through variables, fields and helpers).
        const result = analyzeTsSource({
          fileName: filename,
          text: sourceCode.text,
          options: settings.engine,
          nodeRange: settings.nodeRange,
          program,
          // typescript-eslint's parser, with or without type information, parsed the file with
          // TypeScript already: the engine analyses that tree instead of parsing the file again.
          tree: parsedTree(sourceCode),
          // Each report carries its site's own fix: the file's composed edit list is not needed.
          edits: false,
          // With crossFile, judged within its package, as `ka-codemod` judges it: creators
          // re-exported by other files, factories whose callers elsewhere add keepalive.
          scope,
        });
        for (const problem of result.problems) {
          const line = Math.min(Math.max(problem.line ?? 1, 1), sourceCode.lines.length);
          context.report({ loc: { line, column: 0 }, messageId: 'notAnalysed', data: { reason: problem.message } });
        }
        for (const site of result.sites) {
          // An unknown verdict is not a finding: the engine lost the socket. Reported only on request.
          const wanted = isFlagged(site) || (settings.reportUnknown && isUnknown(site));
          if (wanted && !isIgnoredSite(site, settings)) report(site);
        }
      },
    };
  },
});

/** The engine's span of the call's name (1-based columns) as ESLint's location (0-based columns). */
function siteLocation(site: Pick<Site, 'line' | 'column' | 'endLine' | 'endColumn'>): TSESTree.SourceLocation {
  return { start: { line: site.line, column: site.column - 1 }, end: { line: site.endLine, column: site.endColumn - 1 } };
}
