import { type LoaderLine, buildEntry } from './entry.ts';
import type { BootEntry, GrubDiagnostic } from './types.ts';

/** A command of the grub.cfg script language: its words (quotes removed) and line. */
interface Command {
  words: string[];
  line: number;
}

/**
 * Splits grub.cfg into commands the way GRUB's lexer does for what boot files use:
 * whitespace-separated words, '...' and "..." quoting, backslash escapes and line
 * continuations, `;` and newlines between commands, `#` comments.
 */
export function grubCommands(text: string, file: string, errors: GrubDiagnostic[]): Command[] {
  const out: Command[] = [];
  let words: string[] = [];
  let word = '';
  let inWord = false;
  let line = 1;
  let start = 1;
  const endWord = () => {
    if (inWord) words.push(word);
    word = '';
    inWord = false;
  };
  const endCommand = () => {
    endWord();
    if (words.length > 0) out.push({ words, line: start });
    words = [];
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (words.length === 0 && !inWord) start = line;
    if (c === '\n') {
      line++;
      endCommand();
    } else if (c === '\\') {
      const n = text[i + 1];
      if (n === '\n') {
        line++;
        i++;
      } else if (n !== undefined) {
        word += n;
        inWord = true;
        i++;
      }
    } else if (c === "'" || c === '"') {
      const close = text.indexOf(c, i + 1);
      if (close < 0) {
        errors.push({ file, line, message: `unterminated ${c === "'" ? 'single' : 'double'}-quoted string` });
        break;
      }
      const body = text.slice(i + 1, close);
      word += c === '"' ? body.replace(/\\(["\\$])/g, '$1') : body;
      inWord = true;
      line += body.split('\n').length - 1;
      i = close;
    } else if (c === ';') {
      endCommand();
    } else if (c === '#' && !inWord) {
      while (i + 1 < text.length && text[i + 1] !== '\n') i++;
    } else if (c === ' ' || c === '\t' || c === '\r') {
      endWord();
    } else {
      word += c;
      inWord = true;
    }
  }
  endCommand();
  return out;
}

const LOADERS: Record<string, LoaderLine['directive']> = {
  multiboot: 'multiboot',
  multiboot2: 'multiboot2',
  module: 'module',
  module2: 'module2',
  linux: 'linux',
  linux16: 'linux',
  linuxefi: 'linux',
  initrd: 'initrd',
  initrd16: 'initrd',
  initrdefi: 'initrd',
  chainloader: 'chainloader',
};

/** Commands an entry may run besides its loaders (GRUB 2 manual, commands and shell keywords). */
const COMMANDS = new Set([
  'set',
  'unset',
  'export',
  'insmod',
  'rmmod',
  'search',
  'echo',
  'load_video',
  'gfxmode',
  'savedefault',
  'terminal_output',
  'terminal_input',
  'serial',
  'terminal',
  'boot',
  'true',
  'false',
  '[',
  'test',
  'source',
  'configfile',
  'loopback',
  'probe',
  'sleep',
  'halt',
  'reboot',
  'fwsetup',
  'drivemap',
  'parttool',
  'cryptomount',
  'background_image',
  'play',
  'load_env',
  'save_env',
  'loadfont',
  'badram',
  'cutmem',
  'acpi',
  'devicetree',
  'xen_hypervisor',
  'xen_module',
  'fdt',
  'ls',
  'cat',
  'return',
  'break',
  'continue',
  'shift',
  'setparams',
  'gettext',
  'keystatus',
  'read',
  'if',
  'then',
  'else',
  'elif',
  'fi',
  'while',
  'until',
  'for',
  'do',
  'done',
]);

interface Block {
  kind: 'menuentry' | 'submenu' | 'function';
  title: string;
  line: number;
  root?: string;
  lines: LoaderLine[];
  vars: Set<string>;
}

/**
 * grub.cfg (GRUB 2): `menuentry 'TITLE' ... { ... }` blocks, nested in `submenu`s. Xen
 * entries load the hypervisor with multiboot/multiboot2 and the dom0 kernel and initrd
 * with module/module2; `linux`/`initrd` entries are native boots. The rest of the script
 * (the header's `if`s, `function`s) is read only to keep the braces balanced.
 */
export function parseGrub2(text: string, file: string): { entries: BootEntry[]; errors: GrubDiagnostic[] } {
  const errors: GrubDiagnostic[] = [];
  const entries: BootEntry[] = [];
  const stack: Block[] = [];
  const functions = new Set<string>();
  for (const cmd of grubCommands(text, file, errors)) {
    const [first, ...args] = cmd.words;
    if (first === undefined) continue;
    const top = stack.at(-1);
    if (top?.kind === 'function') {
      if (first === '}') stack.pop();
      else if (cmd.words.at(-1) === '{') stack.push({ ...top, line: cmd.line });
      continue;
    }
    if (first === 'menuentry' || first === 'submenu' || first === 'function') {
      const title = args[0];
      if (title === undefined || cmd.words.at(-1) !== '{' || title === '{') {
        errors.push({
          file,
          line: cmd.line,
          message: `${first} needs a ${first === 'function' ? 'name' : 'title'} and a { on the same line`,
        });
        continue;
      }
      if (first === 'function') functions.add(title);
      if (first === 'menuentry' && top?.kind === 'menuentry') {
        errors.push({
          file,
          line: cmd.line,
          message: `menuentry "${title}" inside menuentry "${top.title}" (line ${top.line}): is a } missing?`,
        });
        continue;
      }
      stack.push({ kind: first, title, line: cmd.line, lines: [], vars: new Set() });
      continue;
    }
    if (first === '}') {
      const block = stack.pop();
      if (!block) {
        errors.push({ file, line: cmd.line, message: '} without an open menuentry or submenu' });
        continue;
      }
      if (block.kind === 'menuentry') {
        const submenus = stack.filter((b) => b.kind === 'submenu').map((b) => b.title);
        const e = buildEntry(
          { file, line: block.line, title: block.title, syntax: 'grub2', submenus, root: block.root },
          block.lines,
          errors,
        );
        if (e) {
          if (block.vars.size > 0)
            e.notes.push(
              `left out of the command lines: ${[...block.vars].map((v) => `\${${v}}`).join(' ')} (set by the script at boot time)`,
            );
          entries.push(e);
        }
      }
      continue;
    }
    if (top?.kind !== 'menuentry') continue; // the menu's own script: not an entry's business
    const keywordless = ['then', 'else', 'do'].includes(first) ? args : cmd.words;
    const [name, ...rest] = keywordless;
    if (name === undefined) continue;
    const loader = LOADERS[name];
    if (loader) {
      const words = rest.filter((w) => !w.startsWith('--'));
      const [path, ...cmdArgs] = words;
      if (path === undefined && loader !== 'chainloader') {
        errors.push({ file, line: cmd.line, message: `${name} needs a file` });
        continue;
      }
      // 20_linux_xen passes "placeholder" as the first word: multiboot drops argv[0].
      if (
        (loader === 'multiboot2' || loader === 'module2' || loader === 'multiboot' || loader === 'module') &&
        cmdArgs[0] === 'placeholder'
      )
        cmdArgs.shift();
      const kept = cmdArgs.filter((w) => {
        const v = /^\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?$/.exec(w);
        if (v) top.vars.add(v[1]!);
        return !v;
      });
      top.lines.push({ directive: loader, path, cmdline: kept.join(' '), line: cmd.line });
      continue;
    }
    if (name === 'set' && rest[0]?.startsWith('root=')) {
      top.root = rest[0].slice(5);
      continue;
    }
    if (/^[A-Za-z_][A-Za-z0-9_]*=/.test(name) || COMMANDS.has(name) || functions.has(name)) continue;
    errors.push({ file, line: cmd.line, message: `unknown command "${name}" inside menuentry "${top.title}"` });
  }
  for (const b of stack) {
    if (b.kind !== 'function') errors.push({ file, line: b.line, message: `unterminated ${b.kind} "${b.title}": no closing }` });
    else errors.push({ file, line: b.line, message: `unterminated function "${b.title}": no closing }` });
  }
  return { entries, errors };
}
