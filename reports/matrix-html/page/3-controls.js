// Part of matrix.html's script (see write.ts: the parts are joined in order inside one
// function scope). Data strings reach the page through textContent and DOM attributes only.
// The selectors and the per-axis filter boxes.
// ---- controls ------------------------------------------------------------------------
function buildControls() {
  const views = $('views');
  views.replaceChildren();
  const scen = el('select', { id: 'sel-scenario', 'aria-label': 'scenario' });
  for (const [i, s] of D.scenarios.entries()) scen.append(el('option', { value: String(i), text: s }));
  scen.value = String(state.scenario);
  scen.addEventListener('change', () => {
    state.scenario = Number(scen.value);
    // a scenario may not apply to the role shown (device hotplug is domU-only): move to one it has
    let moved = false;
    for (const ai of viewAxes) {
      const inScenario = cells.filter((x) => x[F.scenario] === state.scenario && x[ai] >= 0);
      if (inScenario.length && !inScenario.some((x) => x[ai] === state.view[ai])) {
        state.view[ai] = inScenario[0][ai];
        moved = true;
      }
    }
    if (moved) for (const ai of viewAxes) $(`sel-${D.axes[ai].name}`).value = String(state.view[ai]);
    render();
  });
  views.append(el('label', { class: 'view' }, [el('span', { text: 'scenario' }), scen]));
  for (const ai of viewAxes) {
    const sel = el('select', { id: `sel-${D.axes[ai].name}`, 'aria-label': D.axes[ai].name });
    for (const [vi, v] of D.axes[ai].values.entries()) sel.append(el('option', { value: String(vi), text: v.label }));
    sel.value = String(state.view[ai]);
    sel.addEventListener('change', () => {
      state.view[ai] = Number(sel.value);
      render();
    });
    views.append(el('label', { class: 'view' }, [el('span', { text: D.axes[ai].name }), sel]));
  }

  const filters = $('filters');
  filters.replaceChildren();
  const filterAxes = D.axes.map((a, i) => i).filter((i) => !viewAxes.includes(i));
  for (const ai of filterAxes)
    filters.append(
      filterBox(
        D.axes[ai].name,
        D.axes[ai].values.map((v) => v.label),
        state.hidden[ai],
      ),
    );
  filters.append(
    filterBox(
      'outcome',
      OUT.map((o) => `${SYMBOL[o]} ${o}`),
      state.hiddenOutcomes,
    ),
  );
}

function filterBox(name, labels, hidden) {
  const summary = el('summary', { text: name });
  const box = el('details', { class: 'filter', 'data-axis': name }, [summary]);
  const count = () => {
    summary.textContent = name + (hidden.size ? ` (${labels.length - hidden.size}/${labels.length})` : '');
  };
  const list = el('div', { class: 'filter-list' });
  const boxes = labels.map((text, vi) => {
    const cb = el('input', { type: 'checkbox', 'data-value': String(vi) });
    cb.checked = !hidden.has(vi);
    cb.addEventListener('change', () => {
      if (cb.checked) hidden.delete(vi);
      else hidden.add(vi);
      count();
      render();
    });
    list.append(el('label', null, [cb, el('span', { text })]));
    return cb;
  });
  const all = (on) => () => {
    boxes.forEach((cb, vi) => {
      cb.checked = on;
      if (on) hidden.delete(vi);
      else hidden.add(vi);
    });
    count();
    render();
  };
  box.append(
    el('div', { class: 'filter-actions' }, [
      el('button', { type: 'button', text: 'all', onclick: all(true) }),
      el('button', { type: 'button', text: 'none', onclick: all(false) }),
    ]),
    list,
  );
  count();
  return box;
}
