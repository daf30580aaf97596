import type { Step } from '../../domain/steps/schema.ts';
import { check } from '../../domain/steps/check.ts';
import { SubstitutionError, substituteStep } from '../../domain/steps/substitute.ts';
import type { BackendResult, StepResult } from '../../contracts/result.ts';
import { reasonLine } from './reason-line.ts';
import { isRefusal, type StepStatus } from './markers.ts';
import type { BootRun } from './qemu.ts';
import { refusalMode, type ScenarioPlan } from './translate.ts';

/** The transcript people read: every console line but the agent's base64 data lines. */
export function transcriptOf(boot: BootRun): string[] {
  return boot.lines.filter((l) => !/@@PVM D /.test(l.text)).map((l) => l.text);
}

const tail = (boot: BootRun, n = 8) =>
  transcriptOf(boot)
    .filter((l) => l.trim())
    .slice(-n)
    .join(' | ');

/**
 * What "the Xen console" showed up to a step: the ring `xl dmesg` read, and the serial line.
 * dom0's own console output (hvc0, earlyprintk=xen) reaches the serial line but not the ring
 * (unless Xen runs with console_to_ring, which stalls dom0's console under TCG), so for role
 * dom0 the serial lines count too. For role domU only what Xen printed counts: `(XEN)` lines
 * and a domU's `(dN)` lines (a release Xen drops those); dom0's lines are the harness's.
 */
export function xenConsole(ring: string, boot: BootRun, untilMs: number, role: 'dom0' | 'domU'): string {
  const serial = boot.lines
    .filter((l) => l.ms <= untilMs && !l.text.includes('@@PVM') && (role === 'dom0' || /^\((XEN|d\d+)\)/.test(l.text)))
    .map((l) => l.text);
  return [ring.trimEnd(), ...serial].join('\n');
}

/** What one boot's console says about one scenario of it. */
export function scenarioResult(plan: ScenarioPlan, boot: BootRun, source: string): BackendResult {
  const S = plan.index;
  const data = new Map<number, string[]>();
  const status = new Map<number, { status: StepStatus; ms: number; bytes?: number }>();
  const stepEnd = new Map<number, number>();
  let begin: number | undefined;
  let end: number | undefined;
  for (const { ms, marker: m } of boot.markers) {
    if (m.kind === 'begin' && m.s === S) begin = ms;
    if (m.kind === 'end' && m.s === S) end = ms;
    if (m.kind === 'data' && m.s === S) data.set(m.k, [...(data.get(m.k) ?? []), m.b64]);
    if (m.kind === 'step' && m.s === S) {
      status.set(m.k, { status: m.status, ms: m.ms, bytes: m.bytes });
      stepEnd.set(m.k, ms);
    }
  }
  const transcript = transcriptOf(boot);
  const inited = boot.milestones['dom0-init'] !== undefined;

  // The boot never reached the agent: Xen refused this dom0, or the system died.
  if (!inited) {
    const refusals = boot.lines.filter((l) => isRefusal(l.text)).map((l) => l.text.replace(/^\(XEN\)\s*/, ''));
    if (refusals.length && plan.role === 'dom0') {
      // The specific line ("Found 32-bit PV kernel, but CONFIG_PV32 missing") first, then the panic's own.
      const reason = [...new Set(refusals)].join('; ');
      return {
        outcome: 'unsupported',
        reason: `Xen refused to build dom0 from this kernel: ${reason}`,
        facts: refusals.map((text) => ({ text, source, verified: true })),
        steps: [],
        transcript,
        durationMs: boot.durationMs,
      };
    }
    const why = boot.failure ? `${boot.failure.kind}: ${boot.failure.detail}` : 'no agent marker';
    return {
      outcome: 'broken',
      reason: `the real boot did not reach ${plan.native ? "the kernel's" : "dom0's"} /init (${why}); last lines: ${tail(boot)}`,
      facts: [],
      steps: [],
      transcript,
      durationMs: boot.durationMs,
    };
  }

  const vars: Record<string, string> = {};
  const steps: StepResult[] = [];
  let verdict: Pick<BackendResult, 'outcome' | 'reason' | 'facts'> = { outcome: 'works', facts: [] };
  plan.steps.forEach((written, k) => {
    const st = status.get(k);
    const decided = verdict.outcome !== 'works';
    const skip = (): void => {
      steps.push({
        action: written.action,
        title: written.title,
        status: 'skipped',
        detail: 'not run: an earlier step decided the cell',
        durationMs: 0,
      });
    };
    // The same substitution as the emulator's: a reference to nothing breaks the cell here,
    // whatever the shell made of it.
    let step: Step;
    try {
      step = substituteStep(written, { vars, axes: plan.axes });
    } catch (e) {
      if (!(e instanceof SubstitutionError)) throw e;
      if (decided) {
        skip();
        return;
      }
      verdict = { outcome: 'broken', reason: `${written.title}: ${e.message}`, facts: [] };
      steps.push({ action: written.action, title: written.title, status: 'broken', detail: e.message, durationMs: st?.ms ?? 0 });
      return;
    }
    const title = step.title;
    const raw = Buffer.from((data.get(k) ?? []).join(''), 'base64');
    if (st?.bytes !== undefined && raw.length !== st.bytes && !decided) {
      const why = `the console lost part of the value (${raw.length} of ${st.bytes} bytes arrived)`;
      verdict = { outcome: 'broken', reason: `${title}: ${why}`, facts: [] };
      steps.push({ action: step.action, title, status: 'broken', detail: why, durationMs: st.ms });
      return;
    }
    let text = raw.toString('utf8');
    if (step.action === 'xen-console' && st) text = xenConsole(text, boot, stepEnd.get(k) ?? 0, plan.role);
    if (!st) {
      if (decided) {
        skip();
        return;
      }
      const why = boot.failure ? `${boot.failure.kind}: ${boot.failure.detail}` : 'the agent stopped without reporting it';
      verdict = { outcome: 'broken', reason: `${title}: no result (${why}); last lines: ${tail(boot)}`, facts: [] };
      steps.push({ action: step.action, title, status: 'broken', detail: why, durationMs: 0 });
      return;
    }
    // An existence check reads `exists` or `absent` (pvm_exists): the value, or nothing.
    const value = step.action === 'read' && step.expect?.exists !== undefined ? (text.trim() === 'absent' ? undefined : '') : text;
    const mode = refusalMode(step);
    let stepStatus: StepResult['status'];
    let detail = text.trim().slice(0, 2000);
    const fail = (why: string, facts: BackendResult['facts'] = [{ text: why, source, verified: true }]): 'failed' => {
      if (!decided) verdict = { outcome: 'unsupported', reason: `${title}: ${why}`, facts };
      return 'failed';
    };
    if (mode === 2 && (st.status === 'ok' || st.status === 'fail')) {
      // Either answer passes and there is no value to check; a refusal keeps its reason line.
      stepStatus = 'passed';
      if (st.status === 'fail') detail = `refused: ${reasonLine(text)}`;
    } else if (mode === 1 && (st.status === 'ok' || st.status === 'mismatch')) {
      // The agent's status says whether the action was refused; there is no value to check.
      if (st.status === 'ok') {
        stepStatus = 'passed';
        detail = `refused as expected: ${reasonLine(text)}`;
      } else stepStatus = fail('expected the platform to refuse, and it accepted');
    } else if (st.status === 'ok' || st.status === 'mismatch') {
      // The host decides on the value, whatever the agent's own test (which only stopped its polling) said.
      const problem = step.expect ? check(step.expect, value) : undefined;
      if (problem === undefined) stepStatus = 'passed';
      else {
        detail = problem;
        // What Xen said of itself is the context for a console that stayed silent (debug=n).
        const banner =
          step.action === 'xen-console'
            ? boot.lines.find((l) => /\(XEN\) Xen version \d/.test(l.text))?.text.replace(/^\(XEN\)\s*/, '')
            : undefined;
        const context = banner
          ? `; the hypervisor says: ${[/Xen version \S+/.exec(banner)?.[0], /debug=[yn]/.exec(banner)?.[0]].filter(Boolean).join(' ')}`
          : '';
        stepStatus = fail(`${problem}${context}`, [
          { text: `${title}: ${problem}`, source, verified: true },
          ...(banner ? [{ text: banner, source, verified: true }] : []),
        ]);
      }
    } else if (st.status === 'fail') stepStatus = fail(reasonLine(text));
    else {
      stepStatus = 'broken';
      if (!decided) verdict = { outcome: 'broken', reason: `${title}: ${st.status}: ${reasonLine(text)}`, facts: [] };
    }
    if (stepStatus === 'passed' && step.as && value !== undefined) vars[step.as] = value.trim();
    steps.push({ action: step.action, title, status: stepStatus, detail: detail || undefined, durationMs: st.ms });
  });
  if (verdict.outcome === 'works' && end === undefined) {
    verdict = { outcome: 'broken', reason: `the scenario did not finish (${boot.failure?.detail ?? 'no end marker'})`, facts: [] };
  }
  const durationMs = begin !== undefined ? (end ?? boot.durationMs) - begin : boot.durationMs;
  return { ...verdict, steps, transcript, durationMs };
}
