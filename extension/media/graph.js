// @ts-check
// The pipeline graph webview: draws the laid-out graph the extension posts
// (`GraphModel`) as SVG. No network, no libraries: the layout is done in the
// extension. Only the boxes and edges inside the visible area are in the
// document, so a graph of 10,000 stages draws as fast as one of 50; zoomed far
// out, boxes lose their text. Wheel or +/- zooms, dragging or the arrow keys
// (on the background) pan, 0 fits the graph, F goes to the next failed box; the
// buttons do the same. Click,
// Enter or Space on a box opens its stage's log (a fanned-out stage: a list of
// its items); the arrow keys move between boxes.
(function () {
  const vscode = acquireVsCodeApi();
  const SVG = 'http://www.w3.org/2000/svg';
  const root = /** @type {HTMLElement} */ (document.getElementById('graph'));
  const title = /** @type {HTMLElement} */ (document.getElementById('title'));
  const note = /** @type {HTMLElement} */ (document.getElementById('note'));
  // A run's graph offers its timeline (the run's attempts on one time axis).
  const timelineButton = document.getElementById('timeline');
  timelineButton?.addEventListener('click', () => vscode.postMessage({ type: 'timeline' }));
  /** Boxes beyond this many on screen are drawn without text or edges. */
  const DETAIL_LIMIT = 600;
  /**
   * The farthest zoom: boxes stay visible as marks (9 px wide). A graph too
   * big to fit at this scale shows its top left part; pan or use the keys
   * to move on, so a huge graph never draws all of its boxes at once.
   */
  const MIN_SCALE = 0.05;
  /** @type {any} */
  let graph;
  /** @type {any[]} */
  let order = [];
  /** @type {Map<string, any>} */
  let byKey = new Map();
  let view = { x: 0, y: 0, scale: 1 };
  /** @type {string | undefined} */
  let focusedKey;
  let drawPending = false;
  /** @type {SVGSVGElement | undefined} */
  let canvas;
  /** @type {SVGGElement | undefined} */
  let world;

  /** @param {string} name @param {Record<string, string | number>} attributes */
  function svg(name, attributes) {
    const element = document.createElementNS(SVG, name);
    for (const [key, value] of Object.entries(attributes)) element.setAttribute(key, String(value));
    return element;
  }

  /** @param {any} next */
  function setGraph(next) {
    const sameShape =
      graph &&
      graph.width === next.width &&
      graph.height === next.height &&
      graph.title === next.title;
    graph = next;
    byKey = new Map(next.nodes.map((/** @type {any} */ n) => [n.key, n]));
    // Reading order: left to right, then top to bottom, as the arrow keys move.
    order = [...next.nodes].sort((a, b) => a.x - b.x || a.y - b.y);
    title.textContent = next.title;
    if (timelineButton) timelineButton.hidden = next.runId === undefined;
    note.textContent = next.unsaved ? 'Drawn from the unsaved text in the editor.' : '';
    if (next.problems) return drawProblems(next);
    if (!canvas || !root.contains(canvas)) buildCanvas();
    if (!sameShape) fit();
    schedule();
  }

  /** @param {any} next */
  function drawProblems(next) {
    canvas = undefined;
    const intro = document.createElement('p');
    intro.textContent = 'The pipeline file has problems, so there is no graph to draw:';
    const list = document.createElement('ul');
    list.className = 'problems';
    for (const problem of next.problems) {
      const item = document.createElement('li');
      item.textContent = problem;
      list.appendChild(item);
    }
    root.replaceChildren(intro, list);
  }

  function buildCanvas() {
    canvas = /** @type {SVGSVGElement} */ (
      svg('svg', { class: 'canvas', tabindex: 0, role: 'group', 'aria-label': 'Pipeline graph' })
    );
    const defs = svg('defs', {});
    const marker = svg('marker', {
      id: 'arrow',
      viewBox: '0 0 10 10',
      refX: 10,
      refY: 5,
      markerWidth: 6,
      markerHeight: 6,
      orient: 'auto',
    });
    marker.appendChild(svg('path', { d: 'M0,0 L10,5 L0,10 z', class: 'edge' }));
    defs.appendChild(marker);
    world = /** @type {SVGGElement} */ (svg('g', {}));
    canvas.append(defs, world);
    root.replaceChildren(canvas);
    canvas.addEventListener('wheel', onWheel, { passive: false });
    canvas.addEventListener('pointerdown', onPointerDown);
    canvas.addEventListener('keydown', onCanvasKey);
  }

  /** Zooms so the whole graph fits. */
  function fit() {
    if (!canvas || !graph) return;
    const box = canvas.getBoundingClientRect();
    const scale = Math.min(
      box.width / Math.max(graph.width, 1),
      box.height / Math.max(graph.height, 1),
    );
    // Fitting never enlarges past 100%: a small graph stays at its own size.
    view = { x: 0, y: 0, scale: Math.max(MIN_SCALE, Math.min(1, scale)) };
    schedule();
  }

  /** @param {number} factor @param {number} [cx] @param {number} [cy] */
  function zoom(factor, cx, cy) {
    if (!canvas) return;
    const box = canvas.getBoundingClientRect();
    const px = cx ?? box.width / 2;
    const py = cy ?? box.height / 2;
    const scale = Math.min(4, Math.max(MIN_SCALE, view.scale * factor));
    // The point under the cursor stays put.
    view = {
      scale,
      x: px - ((px - view.x) * scale) / view.scale,
      y: py - ((py - view.y) * scale) / view.scale,
    };
    schedule();
  }

  /** @param {number} dx @param {number} dy */
  function pan(dx, dy) {
    view = { ...view, x: view.x + dx, y: view.y + dy };
    schedule();
  }

  function schedule() {
    if (drawPending) return;
    drawPending = true;
    requestAnimationFrame(draw);
  }

  /** Draws what is inside the visible area. */
  function draw() {
    drawPending = false;
    if (!canvas || !world || !graph) return;
    const box = canvas.getBoundingClientRect();
    world.setAttribute('transform', `translate(${view.x} ${view.y}) scale(${view.scale})`);
    const left = -view.x / view.scale;
    const top = -view.y / view.scale;
    const right = left + box.width / view.scale;
    const bottom = top + box.height / view.scale;
    const visible = graph.nodes.filter(
      (/** @type {any} */ n) =>
        n.x + n.width / 2 >= left &&
        n.x - n.width / 2 <= right &&
        n.y + n.height / 2 >= top &&
        n.y - n.height / 2 <= bottom,
    );
    const detailed = visible.length <= DETAIL_LIMIT;
    const parts = [];
    if (detailed) {
      for (const edge of graph.edges) {
        const xs = edge.points.map((/** @type {any} */ p) => p.x);
        const ys = edge.points.map((/** @type {any} */ p) => p.y);
        if (Math.max(...xs) < left || Math.min(...xs) > right) continue;
        if (Math.max(...ys) < top || Math.min(...ys) > bottom) continue;
        const points = edge.points.map((/** @type {any} */ p) => `${p.x},${p.y}`).join(' ');
        parts.push(svg('polyline', { class: 'edge', points, 'marker-end': 'url(#arrow)' }));
      }
    }
    for (const node of visible) parts.push(detailed ? boxOf(node) : dotOf(node));
    world.replaceChildren(...parts);
    root.dataset.drawn = String(visible.length);
    // A redraw keeps the box that had the focus focused.
    if (focusedKey !== undefined) {
      const again = world.querySelector(`[data-key="${CSS.escape(focusedKey)}"]`);
      if (again instanceof SVGElement && document.activeElement !== again)
        again.focus({ preventScroll: true });
    }
  }

  /** A box without text, for a graph zoomed far out. @param {any} node */
  function dotOf(node) {
    return svg('rect', {
      class: `dot tone-${node.tone}`,
      x: node.x - node.width / 2,
      y: node.y - node.height / 2,
      width: node.width,
      height: node.height,
    });
  }

  /** @param {any} node */
  function boxOf(node) {
    const left = node.x - node.width / 2;
    const top = node.y - node.height / 2;
    const group = svg('g', {
      class: `node tone-${node.tone}${node.fanOut ? ' fanout' : ''}`,
      tabindex: 0,
      role: 'button',
      'data-key': node.key,
      'aria-label': `${node.stage}: ${node.word}. ${node.detail}`,
      // What the box's right-click menu knows (menus `webview/context` in the manifest).
      'data-vscode-context': JSON.stringify({
        webviewSection: 'stage',
        batonStage: node.stage,
        batonPipeline: graph.pipelineId,
        ...(graph.runId !== undefined ? { batonRun: graph.runId } : {}),
        batonRetryable: node.retryable,
        batonFailedItems: node.failedItems === true,
        batonRunActive: graph.active,
        preventDefaultContextMenuItems: true,
      }),
    });
    // A fanned-out stage is drawn as a stack of cards: one box for many items.
    if (node.fanOut)
      group.appendChild(
        svg('rect', {
          class: 'stack',
          x: left + 5,
          y: top - 5,
          width: node.width,
          height: node.height,
        }),
      );
    group.appendChild(svg('rect', { x: left, y: top, width: node.width, height: node.height }));
    group.appendChild(
      svg('rect', { class: 'status', x: left, y: top, width: 6, height: node.height }),
    );
    const name = svg('text', { x: left + 14, y: top + 20 });
    name.textContent = node.stage;
    const detail = svg('text', { class: 'detail', x: left + 14, y: top + 38 });
    detail.textContent = node.detail === '' ? node.word : node.detail;
    const tip = svg('title', {});
    tip.textContent = `${node.stage} · ${node.word}${node.detail ? ` · ${node.detail}` : ''}`;
    group.append(tip, name, detail);
    if (node.items)
      group.appendChild(barOf(node, left + 14, top + node.height - 10, node.width - 24));
    group.addEventListener('click', () => open(node.stage));
    group.addEventListener('focus', () => (focusedKey = node.key));
    group.addEventListener('keydown', (event) => onBoxKey(event, node));
    return group;
  }

  /** The items' status bar: done, failed, running, queued. @param {any} node @param {number} x @param {number} y @param {number} width */
  function barOf(node, x, y, width) {
    const bar = svg('g', { class: 'bar' });
    const total = Math.max(node.items.total, 1);
    let at = x;
    for (const band of ['done', 'failed', 'running', 'queued']) {
      const w = (width * node.items[band]) / total;
      if (w <= 0) continue;
      bar.appendChild(svg('rect', { class: `band band-${band}`, x: at, y, width: w, height: 4 }));
      at += w;
    }
    return bar;
  }

  /** @param {string} stage */
  function open(stage) {
    vscode.postMessage({ type: 'open', stage });
  }

  /** @param {KeyboardEvent} event @param {any} node */
  function onBoxKey(event, node) {
    if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault();
      open(node.stage);
      return;
    }
    if (event.key === 'f') {
      event.preventDefault();
      event.stopPropagation();
      nextFailed();
      return;
    }
    const step = { ArrowRight: 1, ArrowDown: 1, ArrowLeft: -1, ArrowUp: -1 }[event.key];
    if (step === undefined) return;
    event.preventDefault();
    event.stopPropagation();
    const next = order[(order.indexOf(node) + step + order.length) % order.length];
    focusedKey = next.key;
    reveal(next);
  }

  /** Pans so a box is on screen (centred when `centre`), then draws it focused. @param {any} node @param {boolean} [centre] */
  function reveal(node, centre = false) {
    if (!canvas) return;
    const box = canvas.getBoundingClientRect();
    const sx = node.x * view.scale + view.x;
    const sy = node.y * view.scale + view.y;
    if (centre || sx < 40 || sx > box.width - 40 || sy < 40 || sy > box.height - 40)
      view = {
        ...view,
        x: box.width / 2 - node.x * view.scale,
        y: box.height / 2 - node.y * view.scale,
      };
    schedule();
  }

  /**
   * Focuses the next failed box after the focused one (reading order), panning
   * to it: in a graph of thousands of stages, the way to what went wrong.
   */
  function nextFailed() {
    const failed = order.filter((node) => node.tone === 'failed');
    if (failed.length === 0) {
      note.textContent = 'No stage failed.';
      return;
    }
    const from = order.findIndex((node) => node.key === focusedKey);
    const next = failed.find((node) => order.indexOf(node) > from) ?? failed[0];
    if (view.scale < 0.5) view = { ...view, scale: 1 };
    focusedKey = next.key;
    reveal(next, true);
  }

  /** @param {WheelEvent} event */
  function onWheel(event) {
    event.preventDefault();
    if (!canvas) return;
    const box = canvas.getBoundingClientRect();
    zoom(Math.exp(-event.deltaY / 300), event.clientX - box.left, event.clientY - box.top);
  }

  /** @param {PointerEvent} event */
  function onPointerDown(event) {
    if (
      !canvas ||
      event.button !== 0 ||
      (event.target instanceof Element && event.target.closest('.node'))
    )
      return;
    const start = { x: event.clientX, y: event.clientY, vx: view.x, vy: view.y };
    const target = canvas;
    target.setPointerCapture(event.pointerId);
    /** @param {PointerEvent} move */
    const onMove = (move) => {
      view = {
        ...view,
        x: start.vx + move.clientX - start.x,
        y: start.vy + move.clientY - start.y,
      };
      schedule();
    };
    const onUp = () => {
      target.removeEventListener('pointermove', onMove);
      target.removeEventListener('pointerup', onUp);
    };
    target.addEventListener('pointermove', onMove);
    target.addEventListener('pointerup', onUp);
  }

  /** Keys on the background: zoom, pan, fit. @param {KeyboardEvent} event */
  function onCanvasKey(event) {
    const actions = /** @type {Record<string, () => void>} */ ({
      '+': () => zoom(1.25),
      '=': () => zoom(1.25),
      '-': () => zoom(0.8),
      0: () => fit(),
      f: () => nextFailed(),
      ArrowLeft: () => pan(60, 0),
      ArrowRight: () => pan(-60, 0),
      ArrowUp: () => pan(0, 60),
      ArrowDown: () => pan(0, -60),
    });
    const action = actions[event.key];
    if (!action) return;
    event.preventDefault();
    action();
  }

  /** @param {any[]} looks */
  function update(looks) {
    if (!graph) return;
    for (const look of looks) {
      const node = byKey.get(look.key);
      if (node) Object.assign(node, look);
    }
    schedule();
  }

  for (const [id, action] of /** @type {[string, () => void][]} */ ([
    ['zoom-in', () => zoom(1.25)],
    ['zoom-out', () => zoom(0.8)],
    ['zoom-fit', () => fit()],
    ['next-failed', () => nextFailed()],
    // Actual size keeps the top left corner where it is (the graph starts there).
    ['zoom-reset', () => zoom(1 / view.scale, 0, 0)],
  ])) {
    document.getElementById(id)?.addEventListener('click', action);
  }
  window.addEventListener('resize', schedule);
  window.addEventListener('message', (event) => {
    if (event.data?.type === 'graph') setGraph(event.data.graph);
    else if (event.data?.type === 'update') update(event.data.nodes);
  });
  vscode.postMessage({ type: 'ready' });
})();
