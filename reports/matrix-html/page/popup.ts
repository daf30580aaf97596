// A filter popup: a button that opens one box (the all/none buttons above the list, in the
// same box, so nothing covers them), closed by Escape, by a click outside or by its button.
// One popup is open at a time.
import { el } from './dom.ts';

let openOne: { close: () => void; box: HTMLElement; button: HTMLElement } | null = null;

document.addEventListener('keydown', (e) => {
  if (e.key === 'Escape' && openOne) {
    e.preventDefault(); // this Escape is spent: it does not also close the details panel
    const button = openOne.button;
    openOne.close();
    button.focus();
  }
});
document.addEventListener('pointerdown', (e) => {
  if (openOne && !openOne.box.contains(e.target as Node) && !openOne.button.contains(e.target as Node)) openOne.close();
});

export interface FilterChoice {
  text: string;
  hidden: boolean;
}

/**
 * `choices` gives the options' labels and whether each is hidden now; `onChange` receives the
 * option indices to hide after every change.
 */
export function filterPopup(name: string, choices: FilterChoice[], onChange: (hidden: Set<number>) => void): HTMLElement {
  const hidden = new Set(choices.flatMap((c, i) => (c.hidden ? [i] : [])));
  const id = `filter-${name.replace(/[^\w-]/g, '_')}`;
  const button = el('button', { type: 'button', class: 'filter-button', 'aria-expanded': 'false', 'aria-controls': id });
  const caption = () => {
    button.textContent = name + (hidden.size ? ` (${choices.length - hidden.size}/${choices.length})` : '');
    button.classList.toggle('narrowed', hidden.size > 0);
  };
  const list = el('div', { class: 'filter-list' });
  const boxes = choices.map((c, i) => {
    const cb = el('input', { type: 'checkbox', 'data-value': String(i) });
    cb.checked = !c.hidden;
    cb.addEventListener('change', () => {
      if (cb.checked) hidden.delete(i);
      else hidden.add(i);
      changed();
    });
    list.append(el('label', null, [cb, el('span', { text: c.text })]));
    return cb;
  });
  const changed = () => {
    caption();
    onChange(new Set(hidden));
  };
  const all = (on: boolean) => () => {
    boxes.forEach((cb, i) => {
      cb.checked = on;
      if (on) hidden.delete(i);
      else hidden.add(i);
    });
    changed();
  };
  const box = el('div', { class: 'filter-box', id, role: 'dialog', 'aria-label': `filter ${name}`, hidden: true }, [
    el('div', { class: 'filter-actions' }, [
      el('button', { type: 'button', text: 'all', onclick: all(true) }),
      el('button', { type: 'button', text: 'none', onclick: all(false) }),
    ]),
    list,
  ]);
  const close = () => {
    box.hidden = true;
    button.setAttribute('aria-expanded', 'false');
    if (openOne?.box === box) openOne = null;
  };
  button.addEventListener('click', () => {
    if (!box.hidden) return close();
    openOne?.close();
    box.hidden = false;
    button.setAttribute('aria-expanded', 'true');
    openOne = { close, box, button };
    boxes[0]?.focus();
  });
  caption();
  return el('div', { class: 'filter', 'data-axis': name }, [button, box]);
}
