// @ts-check
// The pipeline graph webview: draws the laid-out graph the extension posts
// (`GraphModel`) as SVG. No network, no libraries: the layout is done in the
// extension. Click, Enter or Space on a box opens its stage's log; the arrow
// keys move between boxes.
(function () {
  const vscode = acquireVsCodeApi();
  const SVG = 'http://www.w3.org/2000/svg';
  const root = document.getElementById('graph');
  const title = document.getElementById('title');
  const timelineButton = document.getElementById('timeline');
  // A run's graph offers its timeline (the run's attempts on one time axis).
  timelineButton?.addEventListener('click', () => vscode.postMessage({ type: 'timeline' }));
  /** @type {string | undefined} */
  let focusedKey;

  /** @param {string} name @param {Record<string, string | number>} attributes */
  function svg(name, attributes) {
    const element = document.createElementNS(SVG, name);
    for (const [key, value] of Object.entries(attributes)) element.setAttribute(key, String(value));
    return element;
  }

  /** @param {any} graph */
  function draw(graph) {
    if (!root || !title) return;
    title.textContent = graph.title;
    if (timelineButton) timelineButton.hidden = graph.runId === undefined;
    root.replaceChildren();
    if (graph.problems) {
      const intro = document.createElement('p');
      intro.textContent = 'The pipeline file has problems, so there is no graph to draw:';
      const list = document.createElement('ul');
      list.className = 'problems';
      for (const problem of graph.problems) {
        const item = document.createElement('li');
        item.textContent = problem;
        list.appendChild(item);
      }
      root.append(intro, list);
      return;
    }
    const canvas = svg('svg', {
      width: Math.max(graph.width, 1),
      height: Math.max(graph.height, 1),
      role: 'group',
      'aria-label': `Stages of ${graph.title}`,
    });
    for (const edge of graph.edges) {
      const points = edge.points.map((/** @type {any} */ p) => `${p.x},${p.y}`).join(' ');
      canvas.appendChild(svg('polyline', { class: 'edge', points, 'marker-end': 'url(#arrow)' }));
    }
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
    canvas.prepend(defs);
    // Reading order: left to right, then top to bottom, as the arrow keys move.
    const nodes = [...graph.nodes].sort((a, b) => a.x - b.x || a.y - b.y);
    for (const node of nodes) {
      const left = node.x - node.width / 2;
      const top = node.y - node.height / 2;
      const group = svg('g', {
        class: `node tone-${node.tone}`,
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
          batonRunActive: graph.active,
          preventDefaultContextMenuItems: true,
        }),
      });
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
      group.addEventListener('click', () => open(node.stage));
      group.addEventListener('focus', () => (focusedKey = node.key));
      group.addEventListener('keydown', (event) => onKey(event, node, nodes));
      canvas.appendChild(group);
    }
    root.appendChild(canvas);
    // A redraw keeps the box that had the focus focused.
    if (focusedKey !== undefined) {
      const again = root.querySelector(`[data-key="${CSS.escape(focusedKey)}"]`);
      if (again instanceof SVGElement) again.focus();
    }
  }

  /** @param {string} stage */
  function open(stage) {
    vscode.postMessage({ type: 'open', stage });
  }

  /** @param {KeyboardEvent} event @param {any} node @param {any[]} nodes */
  function onKey(event, node, nodes) {
    if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault();
      open(node.stage);
      return;
    }
    const step = { ArrowRight: 1, ArrowDown: 1, ArrowLeft: -1, ArrowUp: -1 }[event.key];
    if (step === undefined || !root) return;
    event.preventDefault();
    const next = nodes[(nodes.indexOf(node) + step + nodes.length) % nodes.length];
    const element = root.querySelector(`[data-key="${CSS.escape(next.key)}"]`);
    if (element instanceof SVGElement) element.focus();
  }

  window.addEventListener('message', (event) => {
    if (event.data?.type === 'graph') draw(event.data.graph);
  });
  vscode.postMessage({ type: 'ready' });
})();
