/**
 * The phases an analysis goes through, and which of an engine's `stats` figures (milliseconds)
 * each one sums: one table for every engine and face (the CLI's `--timings` prints it). The CLI
 * measures the phases around the engines itself (discovery before, the report after).
 */
export interface TimingPhase {
  phase: string;
  /** Keys of AnalyzeResult.stats that add up to this phase; absent keys count as nothing. */
  keys: readonly string[];
  /** What the phase covers, for the table's last column. */
  what: string;
}

export const ENGINE_PHASES: readonly TimingPhase[] = [
  { phase: 'read', keys: ['readMs'], what: 'open and read every candidate file (C: with its first byte scan)' },
  { phase: 'prefilter', keys: ['prefilterMs', 'macroMs'], what: 'text tests that pick the files and functions worth parsing (C: and the macro table)' },
  { phase: 'parse', keys: ['parseMs', 'copyMs'], what: 'syntax trees (C: tree-sitter and the copy of what is kept)' },
  { phase: 'facts', keys: ['factsMs'], what: 'facts extracted from the trees' },
  { phase: 'decide', keys: ['decideMs'], what: 'project-wide flow and verdicts (TS: and the planned fixes)' },
];

/** The milliseconds of one phase in an engine's stats. */
export function phaseMs(stats: Readonly<Record<string, number>>, phase: TimingPhase): number {
  return phase.keys.reduce((sum, key) => sum + (stats[key] ?? 0), 0);
}
