import { readFileSync } from 'node:fs';
import { type Expect, type Step, isAction } from '../../domain/steps/schema.ts';
import { parts } from '../../domain/steps/references.ts';
import { SubstitutionError, resolve } from '../../domain/steps/substitute.ts';
import { mib } from './boots.ts';

/**
 * Normalised scenario steps -> the agent's shell. One dom0 /init runs the scenarios of a
 * boot in order; for role domU each scenario creates its own domU (named pvm<S>), whose
 * /init holds the guest-side steps and runs them when dom0 asks on the guest's console.
 */
export interface ScenarioPlan {
  /** Index within the boot: the S of every marker. */
  index: number;
  role: 'dom0' | 'domU';
  steps: readonly Step[];
  /** Values of the cell's axes, for `${axes.NAME}`. */
  axes: Record<string, string>;
  /** role domU: the kernel file inside dom0 (`/boot/k-vmlinux.gz`) and its extra command line. */
  domu?: { kernel: string; cmdline: string };
  /** The kernel booted on bare (emulated) hardware: the agent is its /init, there is no Xen. */
  native?: boolean;
}

export interface Translation {
  dom0Init: string;
  /** The domU's /init, when some scenario creates a domU. */
  guestInit?: string;
  /** The longest a step may take before the host stops waiting for any marker. */
  maxStepBudgetMs: number;
}

const agentFile = (name: string) => readFileSync(new URL(`./agent/${name}`, import.meta.url), 'utf8');

/** Timeouts from research/realboot.md §7, multiplied by `scale` (boots sharing the cores). */
export const DOMU_CREATE_MS = 60_000;
const STEP_BASE_MS = 30_000;

const quote = (text: string) => `'${text.replace(/'/g, `'\\''`)}'`;

/**
 * Shell words for a string with `${axes.X}` resolved now and `${name}` read at run time (the
 * agent keeps a stored value in $V_name). An axis the cell lacks throws SubstitutionError.
 */
export function shellWord(text: string, axes: Record<string, string>): string {
  let word = '';
  let literal = '';
  for (const p of parts(text)) {
    if ('name' in p) {
      word += `${literal && quote(literal)}"$V_${p.name}"`;
      literal = '';
    } else literal += 'text' in p ? p.text : resolve(p, { vars: {}, axes });
  }
  word += literal && quote(literal);
  return word || "''";
}

/** Regular expressions as scenario authors write them (RE2), in ERE for busybox grep: close enough to poll by. */
const toEre = (re: string) => re.replace(/\\d/g, '[0-9]').replace(/\\s/g, '[[:space:]]').replace(/\\w/g, '[A-Za-z0-9_]');

/**
 * The agent's test of a value: it only decides when to stop polling a `within`; the host
 * judges what was reported with domain/steps/check.ts (results.ts).
 */
function checkBody(e: Expect | undefined, axes: Record<string, string>): string {
  const lines: string[] = [];
  if (e?.equals !== undefined) lines.push(`[ "$pvm_v" = ${shellWord(e.equals, axes)} ] || return 1`);
  if (e?.exists !== undefined) lines.push(`[ "$pvm_v" = ${e.exists ? 'exists' : 'absent'} ] || return 1`);
  if (e?.contains !== undefined) lines.push(`case "$pvm_v" in *${shellWord(e.contains, axes)}*) ;; *) return 1 ;; esac`);
  if (e?.absent !== undefined) lines.push(`case "$pvm_v" in *${shellWord(e.absent, axes)}*) return 1 ;; esac`);
  if (e?.matches !== undefined) lines.push(`printf '%s' "$pvm_v" | grep -qE ${shellWord(toEre(e.matches), {})} || return 1`);
  if (e?.atLeast !== undefined) lines.push(`pvm_num ge ${e.atLeast} || return 1`);
  if (e?.atMost !== undefined) lines.push(`pvm_num le ${e.atMost} || return 1`);
  return lines.length ? ['pvm_trimmed', ...lines, 'return 0'].join('; ') : 'return 0';
}

/** Where a step runs for a role: in the domain under test, or in dom0 (the toolstack's side). */
export function stepSide(step: Step, role: 'dom0' | 'domU'): 'dom0' | 'guest' {
  if (role === 'dom0') return 'dom0';
  if (['set-memory', 'xen-console', 'guest-console', 'attach-device', 'detach-device'].includes(step.action)) return 'dom0';
  return step.on;
}

/** The action as a shell function body; `dom` is the xl name of the domain under test. */
function actionBody(step: Step, role: 'dom0' | 'domU', dom: string, axes: Record<string, string>, native = false): string {
  // Natively there is no /sys/hypervisor/guest_type: say what the kernel found instead.
  if (native && step.action === 'boot')
    return `pvm_hv=none; [ -r /sys/hypervisor/type ] && read pvm_hv < /sys/hypervisor/type; echo "$(uname -r) native hypervisor=$pvm_hv"`;
  switch (step.action) {
    case 'read':
      return `${step.expect?.exists !== undefined ? 'pvm_exists' : 'cat'} ${shellWord(step.args.path, axes)}`;
    case 'write':
      return `pvm_write ${shellWord(step.args.path, axes)} ${shellWord(step.args.value, axes)}`;
    case 'mount':
      return `pvm_mount ${shellWord(step.args.fs, axes)} ${shellWord(step.args.at, axes)}`;
    case 'load-module':
      return `pvm_modload ${shellWord(step.args.name, axes)}`;
    case 'unload-module':
      return `rmmod ${shellWord(step.args.name, axes)}`;
    case 'sleep':
      return `sleep ${step.args.ms / 1000}`;
    case 'set-memory':
      return `xl mem-set ${dom} ${step.args.targetKiB}k`;
    case 'set-vcpus':
      // dom0 role: xl and the onlining both here; domU role: this is the guest's half.
      return role === 'dom0' ? `xl vcpu-set 0 ${step.args.count} && pvm_online ${step.args.count}` : `pvm_online ${step.args.count}`;
    case 'xen-console':
      return 'xl dmesg';
    case 'guest-console':
      // domU: its console as xenconsoled logged it, then its kernel log printed on it (pvm_klog).
      return role === 'dom0' ? 'dmesg' : `pvm_klog && tr -d '\\r' < /var/log/xen/console/guest-${dom}.log`;
    case 'attach-device':
    case 'detach-device': {
      const { kind, vdev = kind === 'vbd' ? 'xvdb' : '' } = step.args;
      const force = step.action === 'detach-device' && step.args.force ? ' force' : '';
      return `pvm_${step.action === 'attach-device' ? 'attach' : 'detach'} ${dom} ${kind} ${shellWord(vdev, axes)}${force}`;
    }
    case 'boot':
      return `read t < /sys/hypervisor/guest_type; read ma < /sys/hypervisor/version/major; read mi < /sys/hypervisor/version/minor; read ex < /sys/hypervisor/version/extra; echo "$(uname -r) guest_type=$t xen=$ma.$mi$ex"`;
  }
}

/** A shell body, or one that says why it cannot run: the host reports the step broken (results.ts). */
function orWhyNot(body: () => string): string {
  try {
    return body();
  } catch (e) {
    if (!(e instanceof SubstitutionError)) throw e;
    return `echo ${quote(e.message)}; return 1`;
  }
}

/** pvm_step's REFUSED argument: 0 the action must succeed, 1 it must be refused, 2 either. */
export function refusalMode(step: Step): 0 | 1 | 2 {
  return step.expect?.mayRefuse ? 2 : step.expect?.refused ? 1 : 0;
}

const needsToolstack = (s: Step, role: 'dom0' | 'domU') => role === 'domU' || ['set-memory', 'set-vcpus', 'xen-console'].includes(s.action);

export function stepBudgetMs(step: Step, scale: number): number {
  const within = step.expect?.withinMs ?? 0;
  const sleep = step.action === 'sleep' ? step.args.ms : 0;
  return Math.round((within + sleep + STEP_BASE_MS) * scale);
}

export function translate(plans: readonly ScenarioPlan[], scale = 1): Translation {
  const dom0: string[] = [agentFile('dom0-prelude.sh'), agentFile('lib.sh'), agentFile('dom0-lib.sh')];
  const guest: string[] = [];
  let maxBudget = 0;
  for (const p of plans) {
    const S = p.index;
    const dom = p.role === 'dom0' ? '0' : `pvm${S}`;
    const body: string[] = [];
    p.steps.forEach((step, k) => {
      const side = stepSide(step, p.role);
      const within = step.expect?.withinMs && step.action !== 'xen-console' ? Math.round(step.expect.withinMs * Math.max(1, scale)) : 0;
      const mode = refusalMode(step);
      const refused = mode === 1 ? 1 : 0;
      const budget = stepBudgetMs(step, scale);
      maxBudget = Math.max(maxBudget, budget);
      // xen-console is judged by the host on `xl dmesg` plus the serial console (results.ts).
      const hostJudged = step.action === 'xen-console';
      const fns = `a_${S}_${k}() { ${orWhyNot(() => actionBody(step, p.role, dom, p.axes, p.native))}; }\nc_${S}_${k}() { ${hostJudged ? 'return 0' : orWhyNot(() => checkBody(step.expect, p.axes))}; }`;
      const keep = step.as ? `V_${step.as}=$(cat "$PVM_OUT")` : ':';
      if (isAction('boot')(step) && p.role === 'domU') {
        const b = step.args;
        const mem = b.memoryKiB !== undefined ? mib(b.memoryKiB) : 128;
        const maxmem = b.maxmemKiB !== undefined ? mib(b.maxmemKiB) : mem;
        const vcpus = b.vcpus ?? 1;
        const extra = ['console=hvc0', p.domu?.cmdline, b.cmdline].filter(Boolean).join(' ');
        const createBudget = Math.round(DOMU_CREATE_MS * scale);
        maxBudget = Math.max(maxBudget, createBudget + STEP_BASE_MS);
        body.push(
          `pvm_domu ${S} ${k} ${dom} ${shellWord(p.domu?.kernel ?? '/boot/k-vmlinux', {})} ${mem} ${maxmem} ${vcpus} ${b.maxvcpus ?? vcpus} ${shellWord(extra, p.axes)} ${createBudget} || return`,
        );
      } else if (side === 'dom0') {
        dom0.push(fns);
        if (!p.native && needsToolstack(step, p.role)) body.push(`pvm_need_toolstack ${S} ${k} || return`);
        body.push(`pvm_step ${S} ${k} ${within} ${mode} a_${S}_${k} c_${S}_${k} || return`, keep);
      } else {
        guest.push(
          fns,
          `g_${S}_${k}() { pvm_step ${S} ${k} ${within} ${refused && step.action !== 'set-vcpus' ? 1 : mode === 2 ? 2 : 0} a_${S}_${k} c_${S}_${k} && ${keep}; }`,
        );
        // dom0 relays the guest's answer; a refusal the step allows does not end the scenario.
        const inGuest = `pvm_guest ${S} ${k} ${budget} || ${mode === 2 ? `grep -q "@@PVM STEP ${S} ${k} fail " "$PVM_LOG" || ` : ''}return`;
        if (step.action === 'set-vcpus') {
          // The toolstack's half runs in dom0; only when it accepted does the guest online the vCPUs.
          const count = step.args.count;
          body.push(
            `pvm_now; t0=$PVM_NOW; xl vcpu-set ${dom} ${count} > "$PVM_OUT" 2>&1; rc=$?`,
            refused
              ? `if [ $rc -ne 0 ]; then pvm_report ${S} ${k} ok $t0 "$PVM_OUT"; else pvm_report ${S} ${k} mismatch $t0 "$PVM_OUT"; return; fi`
              : mode === 2
                ? `if [ $rc -ne 0 ]; then pvm_report ${S} ${k} fail $t0 "$PVM_OUT"; else\n  ${inGuest}\n  fi`
                : `[ $rc -eq 0 ] || { pvm_report ${S} ${k} fail $t0 "$PVM_OUT"; return; }\n  ${inGuest}`,
          );
        } else body.push(inGuest);
      }
    });
    const cleanup = p.role === 'domU' ? `; xl destroy ${dom} > /dev/null 2>&1` : '';
    dom0.push(`s_${S}() {\n  ${body.join('\n  ')}\n}\necho "@@PVM BEGIN ${S}"; s_${S}${cleanup}; echo "@@PVM END ${S}"`);
  }
  const hasDomU = plans.some((p) => p.role === 'domU');
  if (hasDomU) dom0.splice(3, 0, 'pvm_now; echo "@@PVM INIT $PVM_NOW $(uname -r)"; pvm_toolstack');
  else dom0.splice(3, 0, 'pvm_now; echo "@@PVM INIT $PVM_NOW $(uname -r)"');
  // The console drains slowly under TCG: a poweroff right after the last echo loses what is
  // still queued in the tty. The host kills QEMU when DONE arrives; poweroff is the fallback.
  const dom0Init = [...dom0, 'echo "@@PVM DONE"', 'sleep 120', 'poweroff -f', ''].join('\n');
  const guestInit = hasDomU
    ? [agentFile('guest-prelude.sh'), agentFile('lib.sh'), ...guest, agentFile('guest-loop.sh')].join('\n')
    : undefined;
  return { dom0Init, guestInit, maxStepBudgetMs: maxBudget };
}
