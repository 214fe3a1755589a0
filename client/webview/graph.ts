// The graph view's page script (runs in VS Code's webview, not in Node): lays an article's local graph out with d3-force and draws it as SVG.
import { forceCollide, forceLink, forceManyBody, forceSimulation, forceX, forceY, type Simulation, type SimulationLinkDatum, type SimulationNodeDatum } from 'd3-force';

/** What the extension sends (client/src/graphView.ts): titles and shape only; the URIs stay with the extension. */
interface GraphNode {
  title: string;
  depth: number;
  incoming: number;
  missing: boolean;
}
interface GraphMessage {
  type: 'graph';
  nodes: GraphNode[];
  edges: { from: number; to: number; links: number }[];
  truncated: boolean;
  depth: number;
}
type Incoming = GraphMessage | { type: 'status'; text: string };

interface Node extends SimulationNodeDatum, GraphNode {
  index: number;
  radius: number;
  element?: SVGGElement;
}
interface Edge extends SimulationLinkDatum<Node> {
  element?: SVGLineElement;
}

declare function acquireVsCodeApi(): { postMessage(message: unknown): void };

const vscode = acquireVsCodeApi();
const SVG = 'http://www.w3.org/2000/svg';
const svg = document.getElementById('graph') as unknown as SVGSVGElement;
const status = document.getElementById('status')!;
const depthSelect = document.getElementById('depth') as HTMLSelectElement;
const world = make('g');
svg.append(arrowMarker(), world);
const view = { x: 0, y: 0, k: 1 };
let simulation: Simulation<Node, Edge> | undefined;
/** Whether the reader has panned or zoomed this graph: then it is not fitted to the panel again. */
let moved = false;

window.addEventListener('message', (event: MessageEvent<Incoming>) => {
  const m = event.data;
  if (m.type === 'graph') draw(m);
  else if (m.type === 'status') status.textContent = m.text;
});
depthSelect.addEventListener('change', () => vscode.postMessage({ type: 'depth', depth: Number(depthSelect.value) }));
window.addEventListener('resize', place);
panAndZoom();
vscode.postMessage({ type: 'ready' });

function make<K extends keyof SVGElementTagNameMap>(tag: K, attributes: Record<string, string | number> = {}): SVGElementTagNameMap[K] {
  const e = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attributes)) e.setAttribute(k, String(v));
  return e;
}

function draw(m: GraphMessage): void {
  simulation?.stop();
  world.replaceChildren();
  depthSelect.value = String(m.depth);
  const articles = m.nodes.filter((n) => !n.missing).length;
  status.textContent = `${articles} article${articles === 1 ? '' : 's'}${m.nodes.length > articles ? `, ${m.nodes.length - articles} missing` : ''}${m.truncated ? ' (the least linked left out)' : ''}`;
  const nodes: Node[] = m.nodes.map((n, index) => ({ ...n, index, radius: 5 + Math.min(14, 2 * Math.sqrt(n.incoming)) }));
  // The article itself stays in the middle; the rest start on a circle around it so the layout settles quickly.
  nodes.forEach((n, i) => {
    if (i === 0) {
      n.fx = 0;
      n.fy = 0;
    } else {
      const angle = (2 * Math.PI * i) / nodes.length;
      n.x = Math.cos(angle) * 80 * n.depth;
      n.y = Math.sin(angle) * 80 * n.depth;
    }
  });
  const edges: Edge[] = m.edges.filter((e) => nodes[e.from] && nodes[e.to]).map((e) => ({ source: nodes[e.from], target: nodes[e.to] }));
  const lines = make('g', { class: 'edges' });
  const circles = make('g', { class: 'nodes' });
  world.append(lines, circles);
  for (const e of edges) lines.appendChild((e.element = make('line', { 'marker-end': 'url(#arrow)' })));
  for (const n of nodes) circles.appendChild((n.element = nodeElement(n)));
  moved = false;
  simulation = forceSimulation<Node, Edge>(nodes)
    .alphaDecay(0.05)
    .force('link', forceLink<Node, Edge>(edges).distance(110).strength(0.3))
    .force('charge', forceManyBody<Node>().strength(-500))
    // Room for the label under each node too, so titles do not run into each other.
    .force('collide', forceCollide<Node>((n) => n.radius + 28))
    .force('x', forceX<Node>(0).strength(0.03))
    .force('y', forceY<Node>(0).strength(0.03))
    .on('tick', () => render(nodes, edges))
    .on('end', () => {
      fit(nodes);
      vscode.postMessage({ type: 'settled' });
    });
  render(nodes, edges);
  fit(nodes);
  vscode.postMessage({ type: 'rendered', nodes: circles.childElementCount, edges: lines.childElementCount });
}

/** Scales and centres the view on the nodes (never above life size), unless the reader has moved it. */
function fit(nodes: Node[]): void {
  if (moved) return;
  const box = svg.getBoundingClientRect();
  let minX = 0, maxX = 0, minY = 0, maxY = 0;
  for (const n of nodes) {
    minX = Math.min(minX, (n.x ?? 0) - n.radius - 40);
    maxX = Math.max(maxX, (n.x ?? 0) + n.radius + 40);
    minY = Math.min(minY, (n.y ?? 0) - n.radius - 10);
    maxY = Math.max(maxY, (n.y ?? 0) + n.radius + 24);
  }
  view.k = Math.max(0.2, Math.min(1.5, (box.width - 20) / (maxX - minX || 1), (box.height - 50) / (maxY - minY || 1)));
  view.x = -((minX + maxX) / 2) * view.k;
  view.y = 15 - ((minY + maxY) / 2) * view.k;
  place();
}

function nodeElement(n: Node): SVGGElement {
  const g = make('g', { class: `node depth-${Math.min(n.depth, 3)}${n.missing ? ' missing' : ''}${n.index === 0 ? ' center' : ''}`, tabindex: 0, role: 'button' });
  g.setAttribute('aria-label', n.missing ? `${n.title} (missing: create it)` : n.title);
  const title = make('title');
  title.textContent = n.missing ? `${n.title}: no such article yet; click to create it` : `${n.title}: ${n.incoming} linking article${n.incoming === 1 ? '' : 's'}`;
  const label = make('text', { y: n.radius + 12 });
  // textContent, never markup: titles come from the wiki's files.
  label.textContent = n.title.length > 40 ? n.title.slice(0, 39) + '…' : n.title;
  g.append(title, make('circle', { r: n.radius }), label);
  const open = () => vscode.postMessage({ type: 'open', index: n.index });
  g.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' || e.key === ' ') open();
  });
  dragNode(g, n, open);
  return g;
}

/** Dragging a node moves it (the layout follows); a press without a move opens the article. */
function dragNode(g: SVGGElement, n: Node, open: () => void): void {
  g.addEventListener('pointerdown', (down) => {
    down.stopPropagation();
    g.setPointerCapture(down.pointerId);
    let moved = false;
    const move = (e: PointerEvent) => {
      if (!moved && Math.hypot(e.clientX - down.clientX, e.clientY - down.clientY) < 4) return;
      moved = true;
      const p = toWorld(e);
      n.fx = p.x;
      n.fy = p.y;
      simulation?.alphaTarget(0.2).restart();
    };
    const up = () => {
      g.removeEventListener('pointermove', move);
      g.removeEventListener('pointerup', up);
      simulation?.alphaTarget(0);
      if (!moved) open();
      else if (n.index !== 0) {
        n.fx = undefined;
        n.fy = undefined;
      }
    };
    g.addEventListener('pointermove', move);
    g.addEventListener('pointerup', up);
  });
}

/** The arrowhead at the end of each edge: edges go from the linking article to the one it links to. */
function arrowMarker(): SVGDefsElement {
  const defs = make('defs');
  const marker = make('marker', { id: 'arrow', viewBox: '0 0 10 10', refX: 10, refY: 5, markerWidth: 7, markerHeight: 7, orient: 'auto-start-reverse' });
  marker.appendChild(make('path', { d: 'M0,1L10,5L0,9z', class: 'arrow' }));
  defs.appendChild(marker);
  return defs;
}

function render(nodes: Node[], edges: Edge[]): void {
  for (const e of edges) {
    const s = e.source as Node;
    const t = e.target as Node;
    const line = e.element!;
    const sx = s.x ?? 0;
    const sy = s.y ?? 0;
    const tx = t.x ?? 0;
    const ty = t.y ?? 0;
    // The line stops at the target's rim, so its arrowhead shows.
    const length = Math.hypot(tx - sx, ty - sy) || 1;
    const back = (t.radius + 2) / length;
    line.setAttribute('x1', String(sx));
    line.setAttribute('y1', String(sy));
    line.setAttribute('x2', String(tx - (tx - sx) * back));
    line.setAttribute('y2', String(ty - (ty - sy) * back));
  }
  for (const n of nodes) n.element!.setAttribute('transform', `translate(${n.x ?? 0},${n.y ?? 0})`);
}

function place(): void {
  const box = svg.getBoundingClientRect();
  world.setAttribute('transform', `translate(${box.width / 2 + view.x},${box.height / 2 + view.y}) scale(${view.k})`);
}

function toWorld(e: { clientX: number; clientY: number }): { x: number; y: number } {
  const box = svg.getBoundingClientRect();
  return { x: (e.clientX - box.left - box.width / 2 - view.x) / view.k, y: (e.clientY - box.top - box.height / 2 - view.y) / view.k };
}

/** Dragging the background pans; the wheel zooms about the pointer. */
function panAndZoom(): void {
  svg.addEventListener('pointerdown', (down) => {
    svg.setPointerCapture(down.pointerId);
    const from = { x: view.x - down.clientX, y: view.y - down.clientY };
    const move = (e: PointerEvent) => {
      moved = true;
      view.x = from.x + e.clientX;
      view.y = from.y + e.clientY;
      place();
    };
    const up = () => {
      svg.removeEventListener('pointermove', move);
      svg.removeEventListener('pointerup', up);
    };
    svg.addEventListener('pointermove', move);
    svg.addEventListener('pointerup', up);
  });
  svg.addEventListener(
    'wheel',
    (e) => {
      e.preventDefault();
      moved = true;
      const before = toWorld(e);
      view.k = Math.max(0.2, Math.min(4, view.k * Math.exp(-e.deltaY / 400)));
      const box = svg.getBoundingClientRect();
      view.x = e.clientX - box.left - box.width / 2 - before.x * view.k;
      view.y = e.clientY - box.top - box.height / 2 - before.y * view.k;
      place();
    },
    { passive: false },
  );
}
