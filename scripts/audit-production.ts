/**
 * `npm run audit:production`: `npm audit` of the production dependencies; exits 1 when any advisory is high or
 * critical. Where the registry's audit endpoint cannot be reached (some mirrors refuse it), it says so, plainly, and
 * exits 0: the check did not run, which is not the same as passing.
 */
import { spawnSync } from 'node:child_process';

type AuditReport = { metadata?: { vulnerabilities?: Record<string, number> }; message?: string; statusCode?: number; error?: { summary?: string } };

const run = spawnSync('npm', ['audit', '--omit=dev', '--json'], { encoding: 'utf8' });
let report: AuditReport;
try {
  report = JSON.parse(run.stdout || '{}') as AuditReport;
} catch {
  console.log(`[audit] NOT CHECKED: npm audit printed no report (exit ${run.status}): ${(run.stderr || '').trim().split('\n').at(-1) ?? ''}`);
  process.exit(0);
}
const counts = report.metadata?.vulnerabilities;
if (!counts) {
  console.log(`[audit] NOT CHECKED: the registry's audit endpoint answered: ${report.message ?? report.error?.summary ?? `status ${report.statusCode ?? 'unknown'}`}`);
  process.exit(0);
}
const serious = (counts.high ?? 0) + (counts.critical ?? 0);
console.log(`[audit] production dependencies: ${Object.entries(counts).map(([level, n]) => `${n} ${level}`).join(', ')}`);
process.exit(serious > 0 ? 1 : 0);
