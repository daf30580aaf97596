/**
 * Runs a cell's normalised steps against its Platform. A step the platform refuses makes
 * the cell `unsupported` (or `skipped` when the combination cannot exist) with the
 * refusal's reason and facts, unless the step expects the refusal (`refused`) or allows it
 * (`mayRefuse`: the step passes, its detail keeps the reason, and the scenario goes on); a
 * failed expectation makes it `unsupported` with what was seen and the facts recorded during
 * that step; anything else thrown is `broken`.
 */
import type { Step } from '../../domain/steps.ts';
import type { BackendResult, StepResult } from '../../contracts/result.ts';
import type { Outcome } from '../../contracts/outcome.ts';
import type { Fact } from '../knowledge/index.ts';
import { Platform, type CellSetup } from '../platform.ts';
import { Refusal, because } from '../trace.ts';
import { check, durationMs, sizeKiB, substitute } from './expect.ts';

type Args = Record<string, unknown>;

function titleOf(step: Step, args: unknown): string {
  if (step.title) return step.title;
  if (args === null || args === undefined) return step.action;
  if (typeof args === 'string') return `${step.action} ${args}`;
  return `${step.action} ${Object.entries(args as Args)
    .map(([k, v]) => `${k}=${v}`)
    .join(' ')}`;
}

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

/** Execute one step; returns the value it produced (for `read`, the consoles). */
function execute(p: Platform, step: Step, args: unknown): string | undefined {
  const a = (args ?? {}) as Args;
  switch (step.action) {
    case 'boot':
      p.boot({
        native: a.native as boolean | undefined,
        cmdline: a.cmdline as string | undefined,
        xen: a.xen as string | undefined,
        memKiB: a.memory === undefined ? undefined : sizeKiB(a.memory as string),
        maxKiB: a.maxmem === undefined ? undefined : sizeKiB(a.maxmem as string),
        vcpus: a.vcpus as number | undefined,
        maxVcpus: a.maxvcpus as number | undefined,
      });
      return undefined;
    case 'set-memory':
      needXen(p, 'set-memory').memSet(p.domid, sizeKiB(a.target as string), p.domid === 0 ? p.guest : undefined);
      return undefined;
    case 'set-vcpus':
      needXen(p, 'set-vcpus').vcpuSet(p.domid, a.count as number, p.maxVcpus);
      return undefined;
    case 'attach-device':
    case 'detach-device': {
      const ts = needXen(p, step.action);
      if (p.setup.role !== 'domU')
        throw new Refusal(`${step.action}: the emulator hot-plugs PV devices into a domU; this cell's domain is dom0`, []);
      if (step.action === 'attach-device') ts.attach(p.domid, a.kind as 'vbd' | 'vif', a.vdev as string | undefined);
      else ts.detach(p.domid, a.kind as 'vbd' | 'vif', a.vdev as string | undefined, Boolean(a.force));
      return undefined;
    }
    case 'load-module':
    case 'unload-module': {
      onDom0(p, step);
      const g = needGuest(p, step);
      const name = p.frontends?.aliases[a.name as string] ?? (a.name as string);
      if (step.action === 'load-module') g.loadModule(name);
      else g.unloadModule(name);
      return undefined;
    }
    case 'read': {
      onDom0(p, step);
      const g = needGuest(p, step);
      const path = typeof args === 'string' ? args : (a.path as string);
      return g.exists(path) ? (g.read(path) ?? '') : undefined;
    }
    case 'write':
      onDom0(p, step);
      needGuest(p, step).write(a.path as string, String(a.value));
      return undefined;
    case 'mount': {
      onDom0(p, step);
      const g = needGuest(p, step);
      if (a.fs === 'xenfs') g.mount('xenfs', a.at as string);
      return undefined;
    }
    case 'xen-console':
      if (!p.hv) throw new Refusal(`xen-console needs Xen, and ${p.name} was booted on bare metal`, []);
      return p.hv.ring.join('\n');
    case 'guest-console':
      onDom0(p, step);
      return needGuest(p, step).log.join('\n');
    case 'sleep':
      p.timers.advance(durationMs(args as string));
      return undefined;
  }
}

/** `decided`, when given, receives the fact of every decision taken, holding or not (for `pvmatrix facts`). */
export function interpret(setup: CellSetup, steps: readonly Step[], axes: Record<string, string>, decided?: Fact[]): BackendResult {
  const p = new Platform(setup);
  const results: StepResult[] = [];
  const vars: Record<string, string> = {};
  let outcome: Outcome = 'works';
  let reason: string | undefined;
  let facts: Fact[] = [];
  for (let i = 0; i < steps.length; i++) {
    const step = steps[i]!;
    p.trace.facts = [];
    let args: unknown;
    let title: string = step.action;
    try {
      args = substitute(step.args, vars, axes);
      title = titleOf(step, args);
      let value: string | undefined;
      let refused: Refusal | undefined;
      try {
        value = execute(p, step, args);
      } catch (e) {
        if (!(e instanceof Refusal)) throw e;
        refused = e;
      }
      const ex = step.expect ? substitute(step.expect, vars, axes) : undefined;
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
      const waitMs = ex?.within ? durationMs(ex.within) : 0;
      for (let waited = 0; problem && waited < waitMs; waited += 100) {
        p.timers.advance(100);
        value = execute(p, step, args);
        problem = check(ex!, value);
      }
      if (step.as && value !== undefined) vars[step.as] = value.trim();
      if (problem) {
        outcome = 'unsupported';
        const path = step.action === 'read' ? (typeof args === 'string' ? args : ((args as Args).path as string)) : undefined;
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
      reason = `the emulator failed in step ${i + 1} (${title}): ${e instanceof Error ? e.message : String(e)}`;
      facts = [];
      results.push({ action: step.action, title, status: 'broken', detail: reason, durationMs: 0 });
      break;
    }
  }
  for (let j = results.length; j < steps.length; j++) {
    results.push({ action: steps[j]!.action, title: steps[j]!.title ?? steps[j]!.action, status: 'skipped', durationMs: 0 });
  }
  if (decided) for (const d of p.trace.decided) decided.push(d.fact);
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
