// Keyboard moves over the shown grid (either view): one cell in the tab order (roving
// tabindex), arrow keys, Home and End move among the rest, skipping empty places.
let grid: (HTMLElement | null)[][] = [];
let pos: [number, number] = [0, 0];

/** The grid just rendered; `selected` gets the tab stop (else the first cell). */
function setGrid(rows: (HTMLElement | null)[][], selected: HTMLElement | null): void {
  grid = rows;
  const first = selected ?? rows.flat().find((x) => x) ?? null;
  if (first) first.tabIndex = 0;
}

/** Called when a grid cell takes focus: it becomes the tab stop. */
function focused(td: HTMLElement): void {
  for (const [r, row] of grid.entries()) {
    const c = row.indexOf(td);
    if (c >= 0) pos = [r, c];
  }
  for (const other of document.querySelectorAll<HTMLElement>('#matrix [tabindex="0"]')) if (other !== td) other.tabIndex = -1;
  td.tabIndex = 0;
}

function move(dr: number, dc: number): void {
  let [r, c] = pos;
  for (;;) {
    r += dr;
    c += dc;
    if (r < 0 || r >= grid.length || c < 0 || c >= (grid[r]?.length ?? 0)) return;
    if (grid[r]![c]) break;
  }
  grid[r]![c]!.focus();
}

export function onGridKey(e: KeyboardEvent): void {
  const keys: Record<string, [number, number]> = { ArrowLeft: [0, -1], ArrowRight: [0, 1], ArrowUp: [-1, 0], ArrowDown: [1, 0] };
  const k = keys[e.key];
  if (k) {
    e.preventDefault();
    move(k[0], k[1]);
  } else if (e.key === 'Home' || e.key === 'End') {
    e.preventDefault();
    pos = [pos[0], e.key === 'Home' ? -1 : (grid[pos[0]]?.length ?? 0)];
    move(0, e.key === 'Home' ? 1 : -1);
  }
}

/** Makes a td a grid cell: a click focuses it, and focus selects it (so keyboard and mouse do the same). */
export function gridCell(td: HTMLElement, onSelect: () => void): HTMLElement {
  td.addEventListener('focus', () => {
    focused(td);
    onSelect();
  });
  td.addEventListener('click', () => td.focus());
  return td;
}

/** Puts the table in place: head, body, sticky row headers and the keyboard grid. */
export function showTable(
  head: HTMLElement,
  body: HTMLElement,
  rows: (HTMLElement | null)[][],
  selected: HTMLElement | null,
  rowHeads: number,
): void {
  const table = document.getElementById('matrix')!;
  const thead = document.createElement('thead');
  thead.append(head);
  table.replaceChildren(thead, body);
  stickRowHeads(head, rowHeads);
  setGrid(rows, selected);
}

// Keep the row headers in view while the Xen columns scroll sideways: one generated rule per
// header column (its left offset is the width of the columns before it); numbers only.
function stickRowHeads(headerRow: HTMLElement, n: number): void {
  let css = '';
  let left = 0;
  for (let k = 0; k < n; k++) {
    const w = headerRow.children[k]!.getBoundingClientRect().width;
    css += `#matrix tr > :nth-child(${k + 1}) { position: sticky; left: ${left}px; z-index: ${k === n - 1 ? 2 : 1}; }\n`;
    css += `#matrix thead tr > :nth-child(${k + 1}) { z-index: 3; }\n`;
    left += w;
  }
  document.getElementById('sticky-heads')!.textContent = css;
}
