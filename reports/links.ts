/**
 * Where a fact's source can be read. Sources are written by people in matrix and knowledge
 * YAML, often several in one string separated by `; `, each in one of a few shapes:
 * a URL; `xen.git commit <hash>` / `linux commit <hash>` (a bare `commit <hash>` takes the
 * tree of its neighbours); `<path> @ <tag>` in xen.git or Linux, with words around it.
 * What names nothing we can resolve stays plain text: no guessed links.
 */
const XEN_GITWEB = 'https://xenbits.xen.org/gitweb/?p=xen.git';
// linux-stable carries every mainline tag too, and the stable ones (v3.4.113) besides.
const LINUX_GIT = 'https://git.kernel.org/pub/scm/linux/kernel/git/stable/linux.git';

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
