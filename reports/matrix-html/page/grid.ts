// Keyboard moves over the shown grid (either view): one cell in the tab order (roving
// tabindex), arrow keys, Home and End move among the rest, skipping empty places.
let grid: (HTMLElement | null)[][] = [];
let pos: [number, number] = [0, 0];

/** The grid just rendered; `selected` gets the tab stop (else the first cell). */
export function setGrid(rows: (HTMLElement | null)[][], selected: HTMLElement | null): void {
  grid = rows;
  const first = selected ?? rows.flat().find((x) => x) ?? null;
  if (first) first.tabIndex = 0;
}

/** Called when a grid cell takes focus: it becomes the tab stop. */
export function focused(td: HTMLElement): void {
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
