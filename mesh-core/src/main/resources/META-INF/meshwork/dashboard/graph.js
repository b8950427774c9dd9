// The calls between services as a drawing: nodes in columns (callers, a service, what it calls),
// arrows from caller to callee labelled with their traffic. Plain SVG markup; the pages put the same
// facts in a table next to it for screen readers and for copying.
import { html } from './html.js';

const WIDTH = 960;
const NODE_WIDTH = 220;
const NODE_HEIGHT = 48;
const GAP = 26;
const MARGIN = 12;

// id: unique in the page; columns: [[{id, label, note, kind}]], edges: [{from, to, label, kind}],
// node ids unique across columns.
export function graph(id, title, columns, edges) {
  const rows = Math.max(1, ...columns.map(c => c.length));
  const height = rows * (NODE_HEIGHT + GAP) + MARGIN * 2;
  const step = columns.length > 1 ? (WIDTH - 2 * MARGIN - NODE_WIDTH) / (columns.length - 1) : 0;
  const at = new Map();
  columns.forEach((column, c) => {
    const top = (height - column.length * (NODE_HEIGHT + GAP) + GAP) / 2;
    column.forEach((node, r) => at.set(node.id, {
      x: columns.length > 1 ? MARGIN + c * step : (WIDTH - NODE_WIDTH) / 2,
      y: top + r * (NODE_HEIGHT + GAP),
      node,
    }));
  });
  const arrows = edges.filter(e => at.has(e.from) && at.has(e.to)).map(e => {
    const a = at.get(e.from);
    const b = at.get(e.to);
    const x1 = a.x + NODE_WIDTH;
    const y1 = a.y + NODE_HEIGHT / 2;
    const x2 = b.x - 6;
    const y2 = b.y + NODE_HEIGHT / 2;
    const bend = (x2 - x1) / 2;
    return html`<g class="edge edge-${e.kind || 'normal'}">
      <path d="M${x1},${y1} C${x1 + bend},${y1} ${x2 - bend},${y2} ${x2},${y2}" marker-end="url(#${id}-arrow)"/>
      <text x="${(x1 + x2) / 2}" y="${(y1 + y2) / 2 - 6}" text-anchor="middle">${e.label}</text></g>`;
  });
  const nodes = [...at.values()].map(({ x, y, node }) => html`<g class="node node-${node.kind || 'service'}">
      <title>${node.label}</title>
      <rect x="${x}" y="${y}" width="${NODE_WIDTH}" height="${NODE_HEIGHT}" rx="8"/>
      <text x="${x + NODE_WIDTH / 2}" y="${y + 20}" text-anchor="middle" class="node-label">${short(node.label)}</text>
      <text x="${x + NODE_WIDTH / 2}" y="${y + 38}" text-anchor="middle" class="node-note">${node.note || ''}</text></g>`);
  const name = nodeId => (at.get(nodeId) ? at.get(nodeId).node.label : nodeId);
  const description = edges.map(e => `${name(e.from)} to ${name(e.to)}: ${e.label}`).join('; ') || 'no calls';
  return html`<figure class="graph">
    <svg viewBox="0 0 ${WIDTH} ${height}" role="img" aria-labelledby="${id}-title ${id}-desc">
      <title id="${id}-title">${title}</title><desc id="${id}-desc">${description}</desc>
      <defs><marker id="${id}-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7"
        orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z"/></marker></defs>
      ${arrows}${nodes}
    </svg>
    <figcaption>${title}</figcaption>
  </figure>`;
}

// Columns for a graph of `ids` and `edges`: each node one column right of its furthest caller, so
// calls read left to right (a cycle is cut where it closes).
export function layers(ids, edges) {
  const depth = new Map();
  const visiting = new Set();
  const callers = id => edges.filter(e => e.to === id).map(e => e.from);
  const measure = id => {
    if (depth.has(id)) return depth.get(id);
    if (visiting.has(id)) return -1;
    visiting.add(id);
    const d = Math.max(-1, ...callers(id).map(measure)) + 1;
    visiting.delete(id);
    depth.set(id, d);
    return d;
  };
  ids.forEach(measure);
  const columns = [];
  for (const id of ids) (columns[depth.get(id)] ||= []).push(id);
  return columns.filter(Boolean);
}

function short(label) {
  return label.length > 28 ? `${label.slice(0, 27)}…` : label;
}
