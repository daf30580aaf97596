import { type LoaderLine, buildEntry } from './entry.ts';
import type { BootEntry, GrubDiagnostic } from './types.ts';

/** GRUB legacy directives (grub-0.97 docs): menu-wide, and those an entry may hold. */
const GLOBAL = new Set([
  'default',
  'timeout',
  'fallback',
  'hiddenmenu',
  'splashimage',
  'gfxmenu',
  'password',
  'color',
  'serial',
  'terminal',
  'foreground',
  'background',
  'viewport',
  'shade',
]);
const IN_ENTRY = new Set([
  'root',
  'rootnoverify',
  'kernel',
  'module',
  'modulenounzip',
  'initrd',
  'chainloader',
  'makeactive',
  'savedefault',
  'lock',
  'map',
  'boot',
  'uppermem',
  'password',
  'hide',
  'unhide',
  'setkey',
  'quiet',
  'find',
  'configfile',
  'pause',
  'halt',
  'reboot',
  'color',
]);

/**
 * grub.conf / menu.lst (GRUB legacy): `title` starts an entry; `root`, `kernel`,
 * `module`, `initrd` fill it. Arguments may follow the directive after spaces or `=`.
 */
export function parseGrubLegacy(text: string, file: string): { entries: BootEntry[]; errors: GrubDiagnostic[] } {
  const entries: BootEntry[] = [];
  const errors: GrubDiagnostic[] = [];
  let current: { title: string; line: number; root?: string; lines: LoaderLine[] } | undefined;
  const close = () => {
    if (!current) return;
    const e = buildEntry(
      { file, line: current.line, title: current.title, syntax: 'grub-legacy', submenus: [], root: current.root },
      current.lines,
      errors,
    );
    if (e) entries.push(e);
    current = undefined;
  };
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = i + 1;
    const s = raw.trim();
    if (s === '' || s.startsWith('#')) return;
    const m = /^([A-Za-z_]+)(?:\s*=\s*|\s+|$)(.*)$/.exec(s);
    if (!m) {
      errors.push({ file, line, message: `cannot read "${s}": expected a directive such as title, root, kernel or module` });
      return;
    }
    const directive = m[1]!.toLowerCase();
    const rest = m[2]!.trim();
    if (directive === 'title') {
      close();
      current = { title: rest, line, lines: [] };
      return;
    }
    if (!current) {
      if (!GLOBAL.has(directive)) errors.push({ file, line, message: `"${directive}" outside an entry: entries start with title` });
      return;
    }
    if (!IN_ENTRY.has(directive)) {
      errors.push({
        file,
        line,
        message: `unknown directive "${directive}" inside entry "${current.title}"; allowed: ${[...IN_ENTRY].join(', ')}`,
      });
      return;
    }
    if (directive === 'root' || directive === 'rootnoverify') {
      current.root = rest;
      return;
    }
    if (
      directive === 'kernel' ||
      directive === 'module' ||
      directive === 'modulenounzip' ||
      directive === 'initrd' ||
      directive === 'chainloader'
    ) {
      const words = rest.split(/\s+/).filter((w) => w !== '' && !w.startsWith('--'));
      const [path, ...args] = words;
      if (path === undefined && directive !== 'chainloader') {
        errors.push({ file, line, message: `${directive} needs a file` });
        return;
      }
      current.lines.push({ directive: directive === 'modulenounzip' ? 'module' : directive, path, cmdline: args.join(' '), line });
    }
  });
  close();
  return { entries, errors };
}
