// The details panel: one cell (verdict, reason, facts with linked sources, steps, console,
// reproducer), or one summary cell (the answer, then its scenarios side by side).
import { baseline, changeOf } from './baseline.ts';
import { axisPos, D, label, reproducer, strings, type Cell } from './data.ts';
import { $, el } from './dom.ts';
import { CHANGE_TEXT, SYMBOL } from './look.ts';
import { COL_AXIS, viewAxes } from './state.ts';
import { answerOf, question, type SummaryCell } from './summary.ts';

const IMAGE_AXES = ['format', 'compression', 'arch'];
const cellLink = (c: Cell, text: string) => el('a', { href: `#cell=${c.id}`, class: 'cell-link', 'data-id': c.id, text });
const badge = (outcome: Cell['outcome']) =>
  el('span', { class: `badge o-${outcome}` }, [el('span', { 'aria-hidden': 'true', text: `${SYMBOL[outcome]} ` }), outcome]);

/** "bzImage · gzip · x86_64": what tells the variants of one kernel, Xen and scenario apart. */
function imageOf(c: Cell): string {
  return IMAGE_AXES.flatMap((n) => (axisPos[n] !== undefined && c.v[axisPos[n]]! >= 0 ? [label(axisPos[n], c.v[axisPos[n]]!)] : [])).join(
    ' \u00b7 ',
  );
}

export function showCellDetails(c: Cell): void {
  const title: string[] = [];
  for (const n of ['kernel', 'format', 'compression', 'arch'])
    if (axisPos[n] !== undefined && c.v[axisPos[n]]! >= 0) title.push(label(axisPos[n], c.v[axisPos[n]]!));
  const colAi = axisPos[COL_AXIS];
  const xenLabel = colAi !== undefined && c.v[colAi]! >= 0 ? label(colAi, c.v[colAi]!) : '';
  const where = !xenLabel ? 'no Xen (native)' : /xen/i.test(xenLabel) ? xenLabel : `Xen ${xenLabel}`;
  const nodes: Node[] = [
    el('h2', { id: 'details-title' }, [badge(c.outcome), ' ', `${title.join(' \u00b7 ')} on ${where}`]),
    el('p', { class: 'cell-id' }, [el('a', { href: `#cell=${c.id}`, title: 'a link to this cell', text: c.id })]),
  ];
  const dl = el('dl', { class: 'verdict' });
  const row = (k: string, v: string) => dl.append(el('dt', { text: k }), el('dd', { text: v }));
  row('scenario', D.scenarios[c.scenario] + (c.feature ? ` (${c.feature})` : ''));
  for (const ai of viewAxes) if (c.v[ai]! >= 0) row(D.axes[ai]!.name, label(ai, c.v[ai]!));
  row('verdict', c.status + (c.status === 'failed' ? `: expected ${c.expected}` : '') + (c.flaky ? ' (flaky: passed on a retry)' : ''));
  row('expectation from', c.expectedFrom);
  if (baseline) {
    const old = baseline.byIndex[c.index];
    const ch = changeOf(c.index)!;
    row('baseline', old ? `${old.outcome} / ${old.status} \u2192 ${CHANGE_TEXT[ch]}` : `not in ${baseline.label} (new cell)`);
  }
  nodes.push(dl);
  if (c.reason) nodes.push(el('h3', { text: 'Reason' }), el('p', { class: 'reason', text: c.reason }));
  if (c.facts >= 0) nodes.push(el('h3', { text: 'Facts' }), factList(c));
  if (c.steps >= 0) {
    const ol = el('ol', { class: 'steps' });
    for (const s of strings(c.steps)) {
      const [action = '', title2 = '', status = '', detail] = s.split('\u0000');
      const sym = status === 'passed' ? '\u2713' : status === 'failed' ? '\u2717' : status === 'broken' ? '!' : '\u2013';
      ol.append(
        el('li', { class: `s-${status}` }, [
          el('span', { class: 'sym', text: `${sym} ` }),
          el('code', { text: action }),
          ` ${title2}`,
          detail ? el('div', { class: 'detail', text: detail }) : null,
        ]),
      );
    }
    nodes.push(el('h3', { text: 'Steps' }), ol);
  }
  if (c.transcript >= 0)
    nodes.push(el('h3', { text: 'Transcript (excerpt)' }), el('pre', { class: 'transcript', text: strings(c.transcript).join('\n') }));
  const repro = reproducer(c);
  if (repro) {
    const btn = el('button', { type: 'button', class: 'copy', text: 'Copy' });
    btn.addEventListener('click', () => copy(repro, btn));
    nodes.push(el('h3', { text: 'Run it alone' }), el('div', { class: 'repro' }, [el('code', { id: 'repro', text: repro }), btn]));
  }
  fill(nodes);
}

/** Fills the panel; on a narrow screen it opens over the table, with a button (and Escape) to close it. */
function fill(nodes: Node[]): void {
  const close = el('button', { type: 'button', id: 'details-close', text: 'close \u2715', onclick: closeDetails });
  $('details').replaceChildren(close, ...nodes);
  document.body.classList.add('has-details');
}

export function closeDetails(): void {
  document.body.classList.remove('has-details');
}

function factList(c: Cell): HTMLElement {
  const ul = el('ul', { class: 'facts' });
  for (const f of strings(c.facts)) {
    const [text = '', , verified, linked = ''] = f.split('\u0000');
    const src = el('span', { class: 'src' });
    for (const seg of linked.split('\u0003')) {
      const [t = '', url] = seg.split('\u0002');
      src.append(url && /^https?:\/\//.test(url) ? el('a', { href: url, target: '_blank', rel: 'noopener noreferrer', text: t }) : t);
    }
    ul.append(
      el('li', null, [
        el('span', { text }),
        el('span', { class: 'source' }, [' \u2014 source: ', src]),
        verified === '1' ? null : el('em', { class: 'unverified', text: ' (unverified: secondary sources only)' }),
      ]),
    );
  }
  return ul;
}

/** A summary cell: the answer, then one card per scenario side by side, each naming its variants (links to their cells). */
export function showSummaryDetails(s: SummaryCell): void {
  const cards = s.parts.map((p) => {
    const name = D.scenarios[p.scenario]!;
    if (!p.variants.length)
      return el('section', { class: 'card absent', 'data-scenario': name }, [
        el('h3', { text: name }),
        el('p', { class: 'muted', text: 'not run for this role' }),
      ]);
    const rep = p.best[0]!;
    const reasons = [...new Set(p.best.map((c) => c.reason).filter((r): r is string => !!r))];
    const body: (Node | null)[] = [el('h3', null, [badge(p.outcome), ' ', name])];
    if (p.outcome === 'works')
      body.push(
        el('p', {
          class: 'with',
          text:
            p.best.length === p.variants.length
              ? `works with every image and arch shown (${p.variants.length})`
              : `works with ${p.best.length} of ${p.variants.length}: ${p.best.map(imageOf).join(', ')}`,
        }),
      );
    for (const r of reasons) body.push(el('p', { class: 'reason', text: r }));
    if (rep.facts >= 0 && p.outcome !== 'works') body.push(factList(rep));
    const ul = el('ul', { class: 'variants' });
    for (const c of p.variants)
      ul.append(
        el('li', { class: `o-${c.outcome}` }, [
          el('span', { class: 'sym', 'aria-hidden': 'true', text: `${SYMBOL[c.outcome]} ` }),
          cellLink(c, imageOf(c) || c.id),
        ]),
      );
    body.push(
      el('details', { class: 'variant-list' }, [
        el('summary', { text: `${p.variants.length} image${p.variants.length === 1 ? '' : 's'} and arches` }),
        ul,
      ]),
    );
    return el('section', { class: `card o-edge-${p.outcome}`, 'data-scenario': name }, body);
  });
  const a = answerOf(s);
  fill([
    el('div', { id: 'answer', class: 'answer' }, [
      el('h2', { id: 'details-title' }, [badge(s.worst), ' ', el('span', { class: 'answer-text', text: `${question(s)}: ${a.head}` })]),
      a.because.length
        ? el(
            'ul',
            { class: 'because' },
            a.because.map((b) => el('li', null, [el('b', { text: `${b.scenario}: ` }), b.reason])),
          )
        : null,
    ]),
    el('p', { class: 'muted', text: 'Each scenario counts as working when one of its images and arches (shown in the filters) works.' }),
    el('div', { class: 'cards' }, cards),
  ]);
}

export function showPlaceholder(text: string): void {
  $('details').replaceChildren(el('p', { class: 'placeholder', text }));
  closeDetails();
}

function copy(text: string, btn: HTMLElement): void {
  const done = () => {
    btn.textContent = 'Copied';
    setTimeout(() => {
      btn.textContent = 'Copy';
    }, 1500);
  };
  const fallback = () => {
    const ta = el('textarea', { 'aria-hidden': 'true', class: 'offscreen' });
    ta.value = text;
    document.body.append(ta);
    ta.select();
    try {
      document.execCommand('copy');
      done();
    } finally {
      ta.remove();
    }
  };
  if (navigator.clipboard && window.isSecureContext) navigator.clipboard.writeText(text).then(done, fallback);
  else fallback();
}
