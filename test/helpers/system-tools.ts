/**
 * Tests that need a system tool (gcc, strace, chromium, pre-commit, root for uid switches) may skip on a
 * developer's machine that lacks it, with a printed reason. In CI (CI=true) scripts/setup-system.sh
 * installs them, so a missing tool must fail the run instead of silently passing it.
 */
export function skipWithout(available: boolean, what: string): boolean {
  if (available) return false;
  if (process.env.CI === 'true') return false; // run, and fail for real
  console.warn(`skipped: needs ${what} (scripts/setup-system.sh installs it)`);
  return true;
}
