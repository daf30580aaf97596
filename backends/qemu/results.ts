import type { Step } from '../../domain/steps.ts';
import type { BackendResult, StepResult } from '../../contracts/result.ts';
import { checkValue, reasonLine } from './expect.ts';
import { isRefusal, type StepStatus } from './markers.ts';
import type { BootRun } from './qemu.ts';
import type { ScenarioPlan } from './translate.ts';

export function stepTitle(step: Step): string {
  if (step.title) return step.title;
  const a = step.args;
  if (a === null || a === undefined) return step.action;
  if (typeof a === 'string' || typeof a === 'number') return `${step.action} ${a}`;
  const o = a as Record<string, unknown>;
  if (step.action === 'read' || step.action === 'write') return `${step.action} ${o.path}${o.value !== undefined ? ` = ${o.value}` : ''}`;
  return `${step.action} ${Object.entries(o)
    .map(([k, v]) => `${k}=${v}`)
    .join(' ')}`.trim();
}

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
  plan.steps.forEach((step, k) => {
    const title = stepTitle(step);
    const st = status.get(k);
    const decided = verdict.outcome !== 'works';
    const raw = Buffer.from((data.get(k) ?? []).join(''), 'base64');
    if (st?.bytes !== undefined && raw.length !== st.bytes && !decided) {
      const why = `the console lost part of the value (${raw.length} of ${st.bytes} bytes arrived)`;
      verdict = { outcome: 'broken', reason: `${title}: ${why}`, facts: [] };
      steps.push({ action: step.action, title, status: 'broken', detail: why, durationMs: st.ms });
      return;
    }
    let value = raw.toString('utf8');
    if (step.action === 'xen-console' && st) value = xenConsole(value, boot, stepEnd.get(k) ?? 0, plan.role);
    if (!st) {
      if (decided) {
        steps.push({ action: step.action, title, status: 'skipped', detail: 'not run: an earlier step decided the cell', durationMs: 0 });
        return;
      }
      const why = boot.failure ? `${boot.failure.kind}: ${boot.failure.detail}` : 'the agent stopped without reporting it';
      verdict = { outcome: 'broken', reason: `${title}: no result (${why}); last lines: ${tail(boot)}`, facts: [] };
      steps.push({ action: step.action, title, status: 'broken', detail: why, durationMs: 0 });
      return;
    }
    if (step.as) vars[step.as] = value.trim();
    let stepStatus: StepResult['status'];
    let detail = value.trim().slice(0, 2000);
    if (step.expect?.mayRefuse && (st.status === 'ok' || st.status === 'fail')) {
      // Either answer passes and there is no value to check; a refusal keeps its reason line.
      stepStatus = 'passed';
      if (st.status === 'fail') detail = `refused: ${reasonLine(value)}`;
    } else if (st.status === 'ok') {
      const differs = step.expect?.refused ? undefined : checkValue(value, step.expect, vars, plan.axes);
      stepStatus = differs ? 'failed' : 'passed';
      if (differs) {
        detail = differs;
        // What Xen said of itself is the context for a console that stayed silent (debug=n).
        const banner =
          step.action === 'xen-console'
            ? boot.lines.find((l) => /\(XEN\) Xen version \d/.test(l.text))?.text.replace(/^\(XEN\)\s*/, '')
            : undefined;
        const context = banner
          ? `; the hypervisor says: ${[/Xen version \S+/.exec(banner)?.[0], /debug=[yn]/.exec(banner)?.[0]].filter(Boolean).join(' ')}`
          : '';
        const facts = [
          { text: `${title}: ${differs}`, source, verified: true },
          ...(banner ? [{ text: banner, source, verified: true }] : []),
        ];
        if (!decided) verdict = { outcome: 'unsupported', reason: `${title}: ${differs}${context}`, facts };
      }
    } else if (st.status === 'fail' || st.status === 'mismatch') {
      stepStatus = 'failed';
      const why =
        st.status === 'fail'
          ? reasonLine(value)
          : step.expect?.refused
            ? 'expected the platform to refuse, and it accepted'
            : (checkValue(value, step.expect, vars, plan.axes) ??
              `the expectation did not hold (value ${JSON.stringify(value.trim().slice(0, 120))})`);
      if (!decided) verdict = { outcome: 'unsupported', reason: `${title}: ${why}`, facts: [{ text: why, source, verified: true }] };
    } else {
      stepStatus = 'broken';
      if (!decided) verdict = { outcome: 'broken', reason: `${title}: ${st.status}: ${reasonLine(value)}`, facts: [] };
    }
    steps.push({ action: step.action, title, status: stepStatus, detail: detail || undefined, durationMs: st.ms });
  });
  if (verdict.outcome === 'works' && end === undefined) {
    verdict = { outcome: 'broken', reason: `the scenario did not finish (${boot.failure?.detail ?? 'no end marker'})`, facts: [] };
  }
  const durationMs = begin !== undefined ? (end ?? boot.durationMs) - begin : boot.durationMs;
  return { ...verdict, steps, transcript, durationMs };
}
