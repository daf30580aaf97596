/**
 * Runs a cell's normalised steps against its Platform. A step the platform refuses makes
 * the cell `unsupported` (or `skipped` when the combination cannot exist) with the
 * refusal's reason and facts, unless the step expects the refusal (`refused`) or allows it
 * (`mayRefuse`: the step passes, its detail keeps the reason, and the scenario goes on); a
 * failed expectation makes it `unsupported` with what was seen and the facts recorded during
 * that step; anything else thrown is `broken`.
 *
 * Time is virtual: `sleep` and `within` advance the platform's clock and fire what is due,
 * and the cell's time (`--timeout`) bounds the clock, so no step can make a cell run forever.
 */
import type { Step, StepOf } from '../../domain/steps/schema.ts';
import { check } from '../../domain/steps/check.ts';
import { SubstitutionError, substituteStep } from '../../domain/steps/substitute.ts';
import type { BackendResult, StepResult } from '../../contracts/result.ts';
import type { Outcome } from '../../contracts/outcome.ts';
import { MAX_TIMER_MS } from '../../lib/units.ts';
import type { Fact } from '../knowledge/index.ts';
import { Platform, type CellSetup } from '../platform.ts';
import { Refusal, because } from '../trace.ts';

/** How often a `within` looks again while timers are pending (the real agent polls every 0.2 s). */
const POLL_MS = 100;

function needGuest(p: Platform, step: Step) {
  if (!p.guest) throw new Refusal(`${step.action} needs a booted domain: the scenario has no boot step before it`, []);
  return p.guest;
}

function needXen(p: Platform, what: string) {
  if (p.native || !p.toolstack) throw new Refusal(`${what} needs Xen, and ${p.name} was booted on bare metal`, []);
  return p.toolstack;
}

function onDom0(p: Platform, step: Step): void {
  if (step.on === 'dom0' && p.setup.role === 'domU')
    throw new Refusal('steps `on: dom0` of a domU cell are not modelled by the emulator (the host dom0 is implicit)', []);
}

function device(p: Platform, step: StepOf<'attach-device'> | StepOf<'detach-device'>): void {
  const ts = needXen(p, step.action);
  if (p.setup.role !== 'domU')
    throw new Refusal(`${step.action}: the emulator hot-plugs PV devices into a domU; this cell's domain is dom0`, []);
  if (step.action === 'attach-device') ts.attach(p.domid, step.args.kind, step.args.vdev);
  else ts.detach(p.domid, step.args.kind, step.args.vdev, step.args.force);
}

/** Execute one step; returns the value it produced (for `read`, the consoles). */
function execute(p: Platform, step: Step, clock: Clock): string | undefined {
  switch (step.action) {
    case 'boot': {
      const a = step.args;
      p.boot({
        native: a.native,
        cmdline: a.cmdline,
        xen: a.xen,
        memKiB: a.memoryKiB,
        maxKiB: a.maxmemKiB,
        vcpus: a.vcpus,
        maxVcpus: a.maxvcpus,
      });
      return undefined;
    }
    case 'set-memory':
      needXen(p, 'set-memory').memSet(p.domid, step.args.targetKiB, p.domid === 0 ? p.guest : undefined);
      return undefined;
    case 'set-vcpus':
      needXen(p, 'set-vcpus').vcpuSet(p.domid, step.args.count, p.maxVcpus);
      return undefined;
    case 'attach-device':
    case 'detach-device':
      device(p, step);
      return undefined;
    case 'load-module':
    case 'unload-module': {
      onDom0(p, step);
      const g = needGuest(p, step);
      const name = p.frontends?.aliases[step.args.name] ?? step.args.name;
      if (step.action === 'load-module') g.loadModule(name);
      else g.unloadModule(name);
      return undefined;
    }
    case 'read': {
      onDom0(p, step);
      const g = needGuest(p, step);
      return g.exists(step.args.path) ? (g.read(step.args.path) ?? '') : undefined;
    }
    case 'write':
      onDom0(p, step);
      needGuest(p, step).write(step.args.path, step.args.value);
      return undefined;
    case 'mount': {
      onDom0(p, step);
      const g = needGuest(p, step);
      if (step.args.fs === 'xenfs') g.mount('xenfs', step.args.at);
      return undefined;
    }
    case 'xen-console':
      if (!p.hv) throw new Refusal(`xen-console needs Xen, and ${p.name} was booted on bare metal`, []);
      return p.hv.ring.join('\n');
    case 'guest-console':
      onDom0(p, step);
      return needGuest(p, step).log.join('\n');
    case 'sleep':
      clock.until(p.timers.now + step.args.ms);
      return undefined;
  }
}

/** Actions whose value can change while a `within` waits; the others are not run again. */
const VALUE_ACTIONS = new Set<Step['action']>(['read', 'xen-console', 'guest-console']);

/** The cell ran out of (virtual) time: the real backend would have been stopped by its --timeout here. */
class OutOfTime extends Error {}

/** The platform's clock, bounded by the time the cell is allowed. */
class Clock {
  constructor(
    private readonly p: Platform,
    readonly limitMs: number,
    private readonly outOfTime: string,
  ) {}

  /** Advance to `t`, or to the limit and throw OutOfTime when `t` is past it. */
  until(t: number): void {
    this.p.timers.advanceTo(Math.min(t, this.limitMs));
    if (t > this.limitMs) throw new OutOfTime(this.outOfTime);
  }

  /**
   * Look again at the value until `ok` holds or `waitMs` has passed: at each pending timer
   * (at most every POLL_MS), since nothing changes between timers; with no timer pending
   * the answer is final, and the clock moves to the end of the wait at once.
   */
  poll(waitMs: number, ok: () => boolean): boolean {
    const end = this.p.timers.now + waitMs;
    while (this.p.timers.now < Math.min(end, this.limitMs)) {
      const next = this.p.timers.nextAt;
      this.until(next === undefined ? end : Math.min(end, Math.max(next, this.p.timers.now + POLL_MS)));
      if (next !== undefined && ok()) return true;
    }
    if (end > this.limitMs) this.until(end);
    return false;
  }
}

export interface InterpretOptions {
  /** The time the cell is allowed (--timeout), in ms; without one, the longest a timer holds. */
  timeoutMs?: number;
  /** Receives the fact of every decision taken, holding or not (for `pvmatrix facts`). */
  decided?: Fact[];
}

export function interpret(
  setup: CellSetup,
  steps: readonly Step[],
  axes: Record<string, string>,
  opts: InterpretOptions = {},
): BackendResult {
  return runSteps(new Platform(setup), steps, axes, opts);
}

/** The steps on a given platform (a test may give it a file of its own before the steps run). */
export function runSteps(p: Platform, steps: readonly Step[], axes: Record<string, string>, opts: InterpretOptions = {}): BackendResult {
  const clock = new Clock(
    p,
    opts.timeoutMs ?? MAX_TIMER_MS,
    opts.timeoutMs === undefined
      ? "the emulator's virtual clock reached 596h, the longest a cell may run (the limit of --timeout)"
      : `timed out after ${opts.timeoutMs / 1000} s (--timeout) on the emulator's virtual clock`,
  );
  const results: StepResult[] = [];
  const vars: Record<string, string> = {};
  let outcome: Outcome = 'works';
  let reason: string | undefined;
  let facts: Fact[] = [];
  for (let i = 0; i < steps.length; i++) {
    let step = steps[i]!;
    p.trace.facts = [];
    try {
      step = substituteStep(step, { vars, axes });
      let value: string | undefined;
      let refused: Refusal | undefined;
      try {
        value = execute(p, step, clock);
      } catch (e) {
        if (!(e instanceof Refusal)) throw e;
        refused = e;
      }
      const ex = step.expect;
      const title = step.title;
      if (refused) {
        if ((ex?.refused || ex?.mayRefuse) && refused.kind !== 'skipped') {
          results.push({
            action: step.action,
            title,
            status: 'passed',
            detail: `${ex.refused ? 'refused as expected' : 'refused'}: ${refused.reason}`,
            durationMs: 0,
          });
          continue;
        }
        outcome = refused.kind;
        reason = refused.reason;
        facts = refused.facts;
        results.push({
          action: step.action,
          title,
          status: refused.kind === 'skipped' ? 'skipped' : 'failed',
          detail: refused.reason,
          durationMs: 0,
        });
        break;
      }
      if (ex?.refused) {
        outcome = 'unsupported';
        reason = `${title}: expected the platform to refuse it, but it was accepted`;
        facts = [...p.trace.facts];
        results.push({ action: step.action, title, status: 'failed', detail: reason, durationMs: 0 });
        break;
      }
      let problem = ex ? check(ex, value) : undefined;
      if (problem && ex?.withinMs && VALUE_ACTIONS.has(step.action)) {
        const s = step;
        clock.poll(ex.withinMs, () => {
          value = execute(p, s, clock);
          problem = check(ex, value);
          return problem === undefined;
        });
      }
      if (step.as && value !== undefined) vars[step.as] = value.trim();
      if (problem) {
        outcome = 'unsupported';
        const path = step.action === 'read' ? step.args.path : undefined;
        const why =
          path && value === undefined && p.guest ? p.guest.explain(path) : path && p.guest ? p.guest.explainKnown(path) : undefined;
        const quirks = p.trace.quirks;
        reason = `${title}: ${problem}${why ? `; ${why.facts.length ? because(why.reason, ...why.facts) : why.reason}` : ''}${quirks.map((q) => `; ${because(q.reason, ...q.facts)}`).join('')}`;
        facts = [...(why?.facts ?? []), ...quirks.flatMap((q) => q.facts), ...p.trace.facts];
        results.push({ action: step.action, title, status: 'failed', detail: reason, durationMs: 0 });
        break;
      }
      results.push({
        action: step.action,
        title,
        status: 'passed',
        detail: value === undefined ? undefined : value.length > 120 ? `${value.slice(0, 120)}...` : value,
        durationMs: 0,
      });
    } catch (e) {
      outcome = 'broken';
      const what = e instanceof Error ? e.message : String(e);
      // A scenario's own mistake and a cell out of time are said as such; anything else is the emulator's failure.
      reason =
        e instanceof SubstitutionError || e instanceof OutOfTime
          ? `${step.title}: ${what}`
          : `the emulator failed in step ${i + 1} (${step.title}): ${what}`;
      facts = [];
      results.push({ action: step.action, title: step.title, status: 'broken', detail: reason, durationMs: 0 });
      break;
    }
  }
  for (let j = results.length; j < steps.length; j++) {
    results.push({ action: steps[j]!.action, title: steps[j]!.title, status: 'skipped', durationMs: 0 });
  }
  if (opts.decided) for (const d of p.trace.decided) opts.decided.push(d.fact);
  // A cell that works names the backports it needed (Fedora 11's bzImage loader), none otherwise.
  return {
    outcome,
    reason,
    facts: outcome === 'works' ? p.trace.backportsUsed() : dedupe(facts),
    steps: results,
    transcript: p.trace.transcript,
  };
}

function dedupe(facts: Fact[]): Fact[] {
  const seen = new Set<string>();
  return facts.filter((f) => {
    if (seen.has(f.text)) return false;
    seen.add(f.text);
    return true;
  });
}
