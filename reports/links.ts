/**
 * Where a fact's source can be read. Sources are written by people in matrix and knowledge
 * YAML, often several in one string separated by `; `, each in one of a few shapes:
 * a URL (git:// ones read through the same host's web view); `xen.git commit <hash>` /
 * `linux commit <hash>` (a bare `commit <hash>` takes the tree of its neighbours);
 * `<path> @ <tag>` in xen.git or Linux, with words around it; a page of the Xen wiki by its
 * title. What names nothing we can resolve stays plain text: no guessed links (a bare
 * commit of no known tree, a path without a tag, the 2.6.18-xen Mercurial tree, research
 * notes and local files have none).
 */
const XEN_GITWEB = 'https://xenbits.xen.org/gitweb/?p=xen.git';
// linux-stable carries every mainline tag too, and the stable ones (v3.4.113) besides.
const LINUX_GIT = 'https://git.kernel.org/pub/scm/linux/kernel/git/stable/linux.git';

/** Xen wiki pages sources cite by title. */
const WIKI_PAGES: Record<string, string> = { XenParavirtOps: 'https://wiki.xenproject.org/wiki/XenParavirtOps' };
const WIKI = new RegExp(`^(${Object.keys(WIKI_PAGES).join('|')}) wiki page\\b|\\((${Object.keys(WIKI_PAGES).join('|')}) wiki\\)`);

export type SourceRepo = 'xen' | 'linux';

// a file-like path (it has a / or a .) right before the @: `absent @ RELEASE-4.5.0` is not one
const PATH_AT_TAG = /([A-Za-z0-9_][\w+-]*(?:[/.][\w+-]*)+\/?)\s*@\s*([A-Za-z0-9][\w.+-]*)/;
const COMMIT = /\bcommits?\s+([0-9a-f]{7,40})\b/i;

function repoOfPart(part: string): SourceRepo | undefined {
  const s = part.trim();
  if (/^(xen(\.git)?|xenbits)\b/i.test(s) || /xenbits\.xen\.org/.test(s)) return 'xen';
  if (/^(linux(\.git)?)\b/i.test(s) || /git\.kernel\.org|lore\.kernel\.org/.test(s)) return 'linux';
  const at = s.match(PATH_AT_TAG);
  if (at) {
    const [, path, tag] = at as unknown as [string, string, string];
    if (/^(xen|tools|docs|buildconfigs|extras|stubdom)\/|^Config\.mk$/.test(path) || /^RELEASE-|-branched$/.test(tag)) return 'xen';
    if (
      /^(arch|drivers|include|kernel|mm|fs|Documentation|init|lib|scripts|net|block|security|sound|virt)\//.test(path) ||
      /^v\d/.test(tag)
    )
      return 'linux';
  }
  // no path @ tag: a part that starts with a tree's path, or names a tree's tag (`xen/arch/ia64 absent @ RELEASE-4.2.0`)
  if (/^(xen|tools|docs|buildconfigs|stubdom)\/\S/.test(s) || /@\s*RELEASE-/.test(s)) return 'xen';
  if (/^(arch|drivers|include|init)\/\S/.test(s) || /@\s*v\d/.test(s)) return 'linux';
  // words around the tree's name (`upstream xen.git commit …`), or a commit with its file
  // after it (`commit e2b1ebf4de (3.4.0-rc1) xen/arch/x86/bzimage.c`, as evidence.ts writes one)
  if (/\bxen\.git\b/i.test(s) || /\bcommits?\s+[0-9a-f]{7,40}\b.*\s(xen|tools|stubdom)\/\S/.test(s)) return 'xen';
  if (/\blinux(\.git)? commits?\b/i.test(s) || /\bcommits?\s+[0-9a-f]{7,40}\b.*\s(arch|drivers|include|init|kernel|mm|fs)\/\S/.test(s))
    return 'linux';
  return undefined;
}

/** Which tree a source points into: its first part that says so or whose path or tag gives it away. */
export function sourceRepo(source: string): SourceRepo | undefined {
  for (const part of source.split(/;\s*/)) {
    const r = repoOfPart(part);
    if (r) return r;
  }
  return undefined;
}

function urlOfPart(part: string, repo: SourceRepo | undefined): string | undefined {
  const s = part.trim();
  const direct = s.match(/^https?:\/\/\S+$/);
  if (direct) return direct[0];
  // git.kernel.org serves each git:// repository's web view at the same path
  const git = s.match(/^git:\/\/git\.kernel\.org(\/pub\/scm\/\S+?\.git)\b/);
  if (git) return `https://git.kernel.org${git[1]}`;
  const own = repoOfPart(s) ?? repo;
  const commit = s.match(COMMIT);
  if (commit && own === 'xen') return `${XEN_GITWEB};a=commit;h=${commit[1]}`;
  if (commit && own === 'linux') return `${LINUX_GIT}/commit/?id=${commit[1]}`;
  const at = s.match(PATH_AT_TAG);
  if (at && !at[2]!.includes('-xen')) {
    const [, path, tag] = at as unknown as [string, string, string];
    if (own === 'xen') return `${XEN_GITWEB};a=blob;f=${encodeURIComponent(path.replace(/\/$/, ''))};hb=${encodeURIComponent(xenTag(tag))}`;
    if (own === 'linux')
      return `${LINUX_GIT}/tree/${path.split('/').filter(Boolean).map(encodeURIComponent).join('/')}?h=${encodeURIComponent(/^\d/.test(tag) ? `v${tag}` : tag)}`;
  }
  const wiki = s.match(WIKI);
  if (wiki) return WIKI_PAGES[wiki[1] ?? wiki[2]!];
  return undefined;
}

/** The source cut into its `; `-separated parts, each with a URL when it names one. Joined, the texts give the source back. */
export function sourceSegments(source: string): { text: string; url?: string }[] {
  const repo = sourceRepo(source);
  const out: { text: string; url?: string }[] = [];
  const pieces = source.split(/(;\s*)/);
  for (const piece of pieces) {
    if (!piece) continue;
    const url = /^;\s*$/.test(piece) ? undefined : urlOfPart(piece, repo);
    out.push(url ? { text: piece, url } : { text: piece });
  }
  return out;
}

/** The first URL a source names, or undefined. */
export function sourceUrl(source: string): string | undefined {
  return sourceSegments(source).find((s) => s.url)?.url;
}

/** `3.4` -> `RELEASE-3.4.0`, `3.4.1` -> `RELEASE-3.4.1`; tags already spelled out (RELEASE-…, 3.3.0-branched, 3.4.0-rc3) are kept. */
function xenTag(tag: string): string {
  if (/^\d+\.\d+$/.test(tag)) return `RELEASE-${tag}.0`;
  if (/^\d+\.\d+\.\d+$/.test(tag)) return `RELEASE-${tag}`;
  return tag;
}
