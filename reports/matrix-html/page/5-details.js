// Part of matrix.html's script (see write.ts: the parts are joined in order inside one
// function scope). Data strings reach the page through textContent and DOM attributes only.
// The details panel of the selected cell.
// ---- details -------------------------------------------------------------------------
function select(i, ri, ci) {
  const prev = document.querySelector('td.cell.selected');
  if (prev) {
    prev.classList.remove('selected');
    prev.tabIndex = -1;
  }
  const td = (gridEls[ri] || [])[ci];
  if (td) {
    td.classList.add('selected');
    td.tabIndex = 0;
  }
  for (const other of document.querySelectorAll('td.cell[tabindex="0"]')) if (other !== td) other.tabIndex = -1;
  state.selected = i;
  focusPos = [ri, ci];
  showDetails(i);
}

function showDetails(i) {
  const c = cells[i];
  const box = $('details');
  const out = OUT[c[F.outcome]];
  const st = STATUS[c[F.status]];
  const title = [];
  const colAi = axisPos[COL_AXIS];
  for (const n of ['kernel', 'format', 'compression', 'arch'])
    if (axisPos[n] !== undefined && c[axisPos[n]] >= 0) title.push(label(axisPos[n], c[axisPos[n]]));
  const xenLabel = colAi !== undefined && c[colAi] >= 0 ? label(colAi, c[colAi]) : '';
  const where = !xenLabel ? 'no Xen (native)' : /xen/i.test(xenLabel) ? xenLabel : `Xen ${xenLabel}`;
  const nodes = [
    el('h2', { id: 'details-title' }, [
      el('span', { class: `badge o-${out}` }, [el('span', { 'aria-hidden': 'true', text: `${SYMBOL[out]} ` }), out]),
      ' ',
      `${title.join(' \u00b7 ')} on ${where}`,
    ]),
    el('p', { class: 'cell-id', text: cellId(c) }),
  ];
  const dl = el('dl', { class: 'verdict' });
  const row = (k, v) => dl.append(el('dt', { text: k }), el('dd', null, [v]));
  row('scenario', D.scenarios[c[F.scenario]] + (c[F.feature] >= 0 ? ` (${S[c[F.feature]]})` : ''));
  for (const ai of viewAxes) if (c[ai] >= 0) row(D.axes[ai].name, label(ai, c[ai]));
  row('verdict', st + (st === 'failed' ? `: expected ${OUT[c[F.expected]]}` : '') + (c[F.flags] & 1 ? ' (flaky: passed on a retry)' : ''));
  row('expectation from', c[F.expectedFrom] >= 0 ? S[c[F.expectedFrom]] : 'default');
  if (state.baseline) {
    const old = state.baseline.byIndex[i];
    const ch = changeOf(i);
    row('baseline', old ? `${old.outcome} / ${old.status} \u2192 ${CHANGE_TEXT[ch]}` : `not in ${state.baseline.label} (new cell)`);
  }
  nodes.push(dl);
  if (c[F.reason] >= 0) nodes.push(el('h3', { text: 'Reason' }), el('p', { class: 'reason', text: S[c[F.reason]] }));
  if (c[F.facts] >= 0) {
    const ul = el('ul', { class: 'facts' });
    for (const si of L[c[F.facts]]) {
      const [text, , verified, linked] = S[si].split('\u0000');
      const src = el('span', { class: 'src' });
      for (const seg of linked.split('\u0003')) {
        const [t, url] = seg.split('\u0002');
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
    nodes.push(el('h3', { text: 'Facts' }), ul);
  }
  if (c[F.steps] >= 0) {
    const ol = el('ol', { class: 'steps' });
    for (const si of L[c[F.steps]]) {
      const [action, title2, status, detail] = S[si].split('\u0000');
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
  if (c[F.transcript] >= 0)
    nodes.push(
      el('h3', { text: 'Transcript (excerpt)' }),
      el('pre', { class: 'transcript', text: L[c[F.transcript]].map((si) => S[si]).join('\n') }),
    );
  const repro = reproducer(c);
  if (repro) {
    const code = el('code', { id: 'repro', text: repro });
    const btn = el('button', { type: 'button', class: 'copy', text: 'Copy' });
    btn.addEventListener('click', () => copy(repro, btn));
    nodes.push(el('h3', { text: 'Run it alone' }), el('div', { class: 'repro' }, [code, btn]));
  }
  box.replaceChildren(...nodes);
}

function copy(text, btn) {
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
