import type { Arch } from '../domain/axes.ts';
import type { ChainStep, ConfigCheck } from '../emulator/kconfig/index.ts';

/** The arch a config was made for, from the symbols Kconfig writes for it. */
export function archOfConfig(config: ReadonlyMap<string, string>): Arch | undefined {
  if (config.get('X86_64') === 'y') return 'x86_64';
  if (config.get('IA64') === 'y') return 'ia64';
  if (config.get('X86_32') === 'y' || config.get('X86') === 'y') return config.get('X86_PAE') === 'y' ? 'x86_32-pae' : 'x86_32';
  return undefined;
}

const MARK: Record<string, string> = { ok: 'ok', missing: 'MISSING', dropped: 'DROPPED', 'wrong-value': 'WRONG', unavailable: 'N/A' };

/** What `pvmatrix check-config` prints: each finding, the chain that enables it, the notes. */
export function render(file: string, r: ConfigCheck): string {
  const lines: string[] = [];
  const scope = [r.role, ...r.features].join(' + ');
  lines.push(`${file}: Linux ${r.version} (${r.tree}, ${r.arch}), checked for ${scope}`);
  const told = new Set<string>();
  for (const f of r.findings) {
    const value = f.actual === undefined ? 'not in the file' : `=${f.actual}`;
    const need = f.need === 'ym' ? (f.type === 'bool' ? 'y' : 'y or m') : f.need;
    lines.push(
      `  ${MARK[f.status]!.padEnd(8)} ${f.option.padEnd(26)} ${value.padEnd(16)} for ${f.for.join(', ')}${f.status === 'ok' ? '' : `: needs ${need}; ${f.why.join('; ')}`}`,
    );
    if (f.status === 'dropped') lines.push(`           it is set, but its dependencies do not hold: make oldconfig would drop it`);
    const ex = f.explanation;
    if (ex && ex.chain.length > 0) {
      lines.push(
        `           to make it visible and enabled in ${r.version} (${r.tree}):${ex.possible ? '' : ' NOT POSSIBLE on this kernel/arch'}`,
      );
      const steps = ex.chain.filter(shown);
      const before = steps.filter((s) => !s.ok && s.option !== f.option && told.has(s.option));
      if (before.length > 0) lines.push(`             TODO ${before.map((s) => s.option).join(', ')} (as above)`);
      for (const s of steps) {
        if (before.includes(s)) continue;
        lines.push(`             ${step(s)}`);
        if (!s.ok) told.add(s.option);
      }
    }
  }
  for (const n of r.notes) lines.push(`note: ${n.text} (${n.source})`);
  const bad = r.findings.filter((f) => f.status !== 'ok');
  lines.push(
    bad.length === 0
      ? `complete for ${scope}`
      : `${bad.length} option${bad.length === 1 ? '' : 's'} to fix for ${scope}: ${bad.map((f) => f.option).join(', ')}`,
  );
  return `${lines.join('\n')}\n`;
}

/** Environment symbols that hold and fixed arch symbols that hold are noise in the chain. */
function shown(s: ChainStep): boolean {
  return !s.ok || (s.action !== 'assumed' && s.action !== 'fixed');
}

function step(s: ChainStep): string {
  const mark = s.ok ? 'ok ' : 'TODO';
  const target = s.want === 'on' ? 'y' : 'n';
  const what = `${s.option}${s.ok ? `=${s.current}` : ` -> ${target}`}`;
  const how =
    s.action === 'set' || s.action === 'unset'
      ? s.prompt
        ? `"${s.prompt}"`
        : ''
      : s.action === 'automatic'
        ? `(${s.note?.startsWith('on by default') ? s.note : 'automatic once its dependencies hold'})`
        : s.action === 'select'
          ? '(no prompt: selected by another option)'
          : s.action === 'fixed' || s.action === 'unavailable'
            ? `(${s.note})`
            : s.note
              ? `(${s.note})`
              : '';
  const where = s.location ? ` in ${s.location}` : '';
  const via =
    s.selectedBy && !s.ok
      ? `; or choose ${s.selectedBy.map((x) => `${x.option}${x.prompt ? ` "${x.prompt}"` : ''} (${x.location})`).join(' or ')}, which selects it`
      : '';
  const forWhom = s.neededBy ? ` (for ${s.neededBy})` : '';
  const fact = s.fact && !s.ok ? ` [${s.fact.source}${s.fact.verified ? '' : ', unverified'}]` : '';
  return `${mark} ${what} ${how}${where}${forWhom}${via}${fact}`.replace(/ {2,}/g, ' ');
}
