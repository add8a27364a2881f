// @ts-check
// The run timeline webview: draws the laid-out timeline the extension posts
// (`TimelineView`) as rows of bars on one time axis. No network, no
// libraries. Only the rows in sight are in the page (fixed row height), so a
// run with 10,000 units scrolls without freezing. Arrow keys move between
// bars (left and right on a row, up and down between rows), Enter opens that
// attempt's log, or folds and unfolds a fanned-out stage's items.
(function () {
  const vscode = acquireVsCodeApi();
  const ROW_HEIGHT = 28;
  /** Rows drawn beyond the visible ones, above and below. */
  const OVERSCAN = 8;
  const rowsRoot = /** @type {HTMLElement} */ (document.getElementById('rows'));
  const axis = /** @type {HTMLElement} */ (document.getElementById('axis'));
  const title = /** @type {HTMLElement} */ (document.getElementById('title'));
  const spacer = document.createElement('div');
  spacer.className = 'spacer';
  rowsRoot.appendChild(spacer);
  /** @type {any} */
  let view;
  /** Where the keyboard is: a row index and a bar index on it (-1: the row's label). */
  let focus = { row: 0, bar: 0 };
  let hasFocus = false;
  /** Rows are being replaced: the focus they lose is given back, not given up. */
  let redrawing = false;

  /** @param {number} ms */
  function percent(ms) {
    return `${Math.max(0, Math.min(100, (ms / view.span) * 100))}%`;
  }

  /** @param {string} tag @param {string} className */
  function element(tag, className) {
    const made = document.createElement(tag);
    made.className = className;
    return made;
  }

  function drawAxis() {
    axis.replaceChildren();
    const track = element('div', 'track');
    for (const tick of view.ticks) {
      const mark = element('span', 'tick');
      mark.style.left = percent(tick.at);
      mark.textContent = tick.label;
      track.appendChild(mark);
    }
    if (view.now !== undefined) {
      const now = element('span', 'now');
      now.style.left = percent(view.now);
      now.title = 'now';
      track.appendChild(now);
    }
    axis.append(element('div', 'label'), track);
  }

  /** @param {any} bar @param {number} rowIndex @param {number} barIndex */
  function drawBar(bar, rowIndex, barIndex) {
    const from = bar.phases[0]?.from ?? 0;
    const to = bar.phases[bar.phases.length - 1]?.to ?? from;
    const box = element('div', `bar end-${bar.end}`);
    box.tabIndex = -1;
    box.dataset.row = String(rowIndex);
    box.dataset.bar = String(barIndex);
    box.dataset.key = bar.key;
    box.setAttribute('role', 'gridcell');
    box.setAttribute('aria-label', bar.label);
    box.title = bar.label;
    box.style.left = percent(from);
    box.style.width = `max(3px, ${percent(to - from)})`;
    for (const phase of bar.phases) {
      const part = element('span', `phase phase-${phase.kind}`);
      part.style.left = `${to > from ? ((phase.from - from) / (to - from)) * 100 : 0}%`;
      part.style.width = `${to > from ? ((phase.to - phase.from) / (to - from)) * 100 : 100}%`;
      box.appendChild(part);
    }
    const cells = [box];
    if (bar.expectedTo !== undefined) {
      const expected = element('div', 'expected');
      expected.style.left = percent(to);
      expected.style.width = percent(bar.expectedTo - to);
      expected.title = 'its usual time';
      cells.push(expected);
    }
    box.addEventListener('click', () => {
      focus = { row: rowIndex, bar: barIndex };
      activate();
    });
    return cells;
  }

  /** @param {any} row @param {number} index */
  function drawRow(row, index) {
    const line = element('div', `row row-${row.kind}`);
    line.setAttribute('role', 'row');
    line.style.top = `${index * ROW_HEIGHT}px`;
    const label = element('div', 'label');
    label.tabIndex = -1;
    label.dataset.row = String(index);
    label.dataset.bar = '-1';
    label.setAttribute('role', 'rowheader');
    const name = element('span', 'name');
    name.textContent =
      row.kind === 'group' ? `${row.expanded ? '▾' : '▸'} ${row.label}` : row.label;
    const detail = element('span', 'detail');
    detail.textContent = row.detail;
    label.append(name, detail);
    label.title = `${row.stage} · ${row.detail}`;
    if (row.kind === 'group') label.setAttribute('aria-expanded', String(row.expanded));
    label.addEventListener('click', () => {
      focus = { row: index, bar: -1 };
      activate();
    });
    const track = element('div', 'track');
    row.bars.forEach((/** @type {any} */ bar, /** @type {number} */ barIndex) =>
      track.append(...drawBar(bar, index, barIndex)),
    );
    line.append(label, track);
    return line;
  }

  function drawRows() {
    if (!view) return;
    spacer.style.height = `${view.rows.length * ROW_HEIGHT}px`;
    const first = Math.max(0, Math.floor(rowsRoot.scrollTop / ROW_HEIGHT) - OVERSCAN);
    const count = Math.ceil(rowsRoot.clientHeight / ROW_HEIGHT) + 2 * OVERSCAN;
    const last = Math.min(view.rows.length, first + count);
    const drawn = [];
    for (let index = first; index < last; index++) drawn.push(drawRow(view.rows[index], index));
    const had = hasFocus;
    redrawing = true;
    spacer.replaceChildren(...drawn);
    redrawing = false;
    hasFocus = had;
    if (had) focusCurrent();
  }

  function focusCurrent() {
    const target = spacer.querySelector(`[data-row="${focus.row}"][data-bar="${focus.bar}"]`);
    if (target instanceof HTMLElement) target.focus({ preventScroll: true });
  }

  /** Moves the keyboard to a row and bar, scrolling the row into sight. @param {number} row @param {number} bar */
  function moveTo(row, bar) {
    const rows = view.rows;
    row = Math.max(0, Math.min(rows.length - 1, row));
    const bars = rows[row]?.bars ?? [];
    focus = { row, bar: bars.length === 0 ? -1 : Math.max(0, Math.min(bars.length - 1, bar)) };
    const top = row * ROW_HEIGHT;
    if (top < rowsRoot.scrollTop) rowsRoot.scrollTop = top;
    else if (top + ROW_HEIGHT > rowsRoot.scrollTop + rowsRoot.clientHeight)
      rowsRoot.scrollTop = top + ROW_HEIGHT - rowsRoot.clientHeight;
    drawRows();
    focusCurrent();
  }

  function activate() {
    const row = view?.rows[focus.row];
    if (!row) return;
    if (row.kind === 'group') {
      vscode.postMessage({ type: 'toggle', stage: row.stage });
      return;
    }
    const bar = row.bars[focus.bar] ?? row.bars[row.bars.length - 1];
    vscode.postMessage({ type: 'open', stage: row.stage, attempt: bar?.attempt ?? 0 });
  }

  rowsRoot.addEventListener('keydown', (event) => {
    if (!view || view.rows.length === 0) return;
    const moves = {
      ArrowLeft: [0, -1],
      ArrowRight: [0, 1],
      ArrowUp: [-1, 0],
      ArrowDown: [1, 0],
      PageUp: [-10, 0],
      PageDown: [10, 0],
    };
    const move = /** @type {Record<string, number[]>} */ (moves)[event.key];
    if (move) {
      event.preventDefault();
      moveTo(focus.row + (move[0] ?? 0), Math.max(0, focus.bar) + (move[1] ?? 0));
    } else if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault();
      activate();
    }
  });
  rowsRoot.addEventListener('focusin', () => (hasFocus = true));
  rowsRoot.addEventListener('focusout', (event) => {
    if (redrawing) return;
    hasFocus = event.relatedTarget instanceof Node && rowsRoot.contains(event.relatedTarget);
  });
  // Tab reaches the rows once; the arrow keys move inside. Coming back from a bar
  // (Shift+Tab) stops on the list itself, so the next Shift+Tab leaves it.
  rowsRoot.tabIndex = 0;
  rowsRoot.addEventListener('focus', (event) => {
    const fromInside =
      event.relatedTarget instanceof Node && rowsRoot.contains(event.relatedTarget);
    if (!fromInside && view) moveTo(focus.row, focus.bar);
  });
  rowsRoot.addEventListener('scroll', () => drawRows());
  window.addEventListener('resize', () => drawRows());

  window.addEventListener('message', (event) => {
    if (event.data?.type === 'error' && !view) title.textContent = event.data.message;
    if (event.data?.type !== 'timeline') return;
    view = event.data.view;
    title.textContent = view.title;
    focus.row = Math.min(focus.row, Math.max(0, view.rows.length - 1));
    drawAxis();
    drawRows();
  });
  vscode.postMessage({ type: 'ready' });
})();
