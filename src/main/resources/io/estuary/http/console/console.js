// Estuary console: streams, clients and node(s), polled from the public HTTP API every two seconds.
// Bitrates and frame rates are measured here, from the byte and frame counters between two polls; each stream keeps
// the last five minutes of them for its sparklines (in this tab only).
'use strict';

const POLL_MS = 2000;
const HISTORY_MS = 5 * 60 * 1000;
const el = Format.el;

const state = {
  tab: 'streams',
  streams: [],
  clients: [],
  history: new Map(), // stream id -> [{t, recv, send, frames, inKbps, outKbps, fps}]
  skewMs: 0, // the API node's clock minus ours
  sort: {streams: {key: 'name', dir: 1}, clients: {key: 'id', dir: 1}},
  timer: null,
  waitingForLogin: false,
};

const PUBLISH_TYPES = new Set(['fmle-publish', 'flash-publish', 'haivision-publish']);

function clientType(c) {
  return c.publish || PUBLISH_TYPES.has(c.type) ? 'publish' : c.type;
}

function streamOfClient(c) {
  return c.url ? c.url.replace(/^\//, '') : '';
}

// ---- polling

async function poll() {
  clearTimeout(state.timer);
  try {
    const [streams, clients, summaries] = await Promise.all([
      Api.get('/api/v1/streams/?count=10000'), Api.get('/api/v1/clients/?count=100000'), Api.get('/api/v1/summaries')]);
    state.skewMs = summaries.data.now_ms - Date.now();
    remember(streams.streams.filter(s => s.publish && s.publish.active));
    state.clients = clients.clients;
    if (state.tab === 'node') {
      await renderNode(summaries.data);
    }
    renderStreams();
    renderClients();
    showError(null);
  } catch (e) {
    if (e instanceof Api.AuthRequired) {
      return needLogin();
    }
    showError(e.message);
  }
  state.timer = setTimeout(poll, POLL_MS);
}

function needLogin() {
  if (state.waitingForLogin) {
    return;
  }
  state.waitingForLogin = true;
  askCredentials(() => {
    state.waitingForLogin = false;
    document.getElementById('logout').hidden = false;
    poll();
  });
}

function remember(streams) {
  const now = Date.now();
  const seen = new Set();
  for (const s of streams) {
    seen.add(s.id);
    const samples = state.history.get(s.id) || [];
    const prev = samples[samples.length - 1];
    const sample = {t: now, recv: s.recv_bytes, send: s.send_bytes, frames: s.frames};
    if (prev && now > prev.t) {
      const seconds = (now - prev.t) / 1000;
      sample.inKbps = Math.max(0, (s.recv_bytes - prev.recv) * 8 / 1000 / seconds);
      sample.outKbps = Math.max(0, (s.send_bytes - prev.send) * 8 / 1000 / seconds);
      sample.fps = Math.max(0, (s.frames - prev.frames) / seconds);
    }
    samples.push(sample);
    while (samples.length && samples[0].t < now - HISTORY_MS) {
      samples.shift();
    }
    state.history.set(s.id, samples);
  }
  for (const id of state.history.keys()) {
    if (!seen.has(id)) {
      state.history.delete(id);
    }
  }
  state.streams = streams;
}

// ---- streams

function streamRow(s) {
  const samples = state.history.get(s.id) || [];
  const last = samples[samples.length - 1] || {};
  const players = {};
  let publisher = null;
  for (const c of state.clients) {
    if (c.id === s.publish.cid) {
      publisher = c;
    } else if (c.stream === s.id && !c.publish) { // the client's "stream" is the stream's id (vhost included)
      const type = clientType(c).replace(/-play$/, '');
      players[type] = (players[type] || 0) + 1;
    }
  }
  const v = s.video, a = s.audio;
  return {
    s, samples,
    name: s.name,
    where: vhostName(s) + ' / ' + s.app,
    video: v ? [v.codec, v.width && v.height ? v.width + 'x' + v.height : null, v.profile].filter(Boolean).join(' ') : '–',
    audio: a ? [a.codec, a.sample_rate ? a.sample_rate / 1000 + ' kHz' : null, a.channel ? a.channel + 'ch' : null]
      .filter(Boolean).join(' ') : '–',
    fps: last.fps,
    // measured here once two polls are in; until then the API's 30 s average, when it has one
    in: last.inKbps !== undefined ? last.inKbps : s.kbps.recv_30s || undefined,
    out: last.outKbps !== undefined ? last.outKbps : s.kbps.send_30s || undefined,
    players: Object.values(players).reduce((x, y) => x + y, 0),
    playersText: Object.entries(players).map(([t, n]) => `${t} ${n}`).join(' · ') || '0',
    publisher: publisher ? publisher.ip : '',
    publisherId: s.publish.cid,
    uptime: s.live_ms ? (Date.now() + state.skewMs - s.live_ms) / 1000 : 0,
  };
}

// The API's "vhost" is an id (SRS's); the name is in the tcUrl it gives: rtmp://VHOST/APP.
function vhostName(s) {
  return (s.tcUrl || '').split('/')[2] || s.vhost;
}

function renderStreams() {
  const filter = document.getElementById('stream-filter').value.trim().toLowerCase();
  const rows = state.streams.map(streamRow)
    .filter(r => !filter || [r.name, r.where, r.video, r.audio, r.publisher, r.publisherId].join(' ').toLowerCase()
      .includes(filter));
  sortRows(rows, state.sort.streams);
  const body = document.querySelector('#streams tbody');
  body.replaceChildren(...rows.map(r => el('tr', {'data-stream': r.s.app + '/' + r.name, 'data-id': r.s.id},
    el('td', {class: 'name', 'data-label': 'Stream'},
      el('a', {href: 'player.html' + Api.carry({app: r.s.app, stream: r.name}), class: 'play'}, r.name)),
    el('td', {'data-label': 'Vhost / app'}, r.where),
    el('td', {class: 'video', 'data-label': 'Video'}, r.video),
    el('td', {class: 'audio', 'data-label': 'Audio'}, r.audio),
    el('td', {class: 'num fps', 'data-label': 'FPS'}, r.fps === undefined ? '–' : r.fps.toFixed(1)),
    el('td', {class: 'num in', 'data-label': 'In'}, el('span', {class: 'rated'},
      el('span', {class: 'rate'}, Format.kbps(r.in)), sparkline(r.samples.map(x => x.inKbps)))),
    el('td', {class: 'num out', 'data-label': 'Out'}, el('span', {class: 'rated'},
      el('span', {class: 'rate'}, Format.kbps(r.out)), sparkline(r.samples.map(x => x.outKbps)))),
    el('td', {class: 'num players', 'data-label': 'Players'}, r.playersText),
    el('td', {class: 'publisher', 'data-label': 'Publisher'}, r.publisher, ' ',
      el('span', {class: 'muted'}, r.publisherId)),
    el('td', {class: 'num', 'data-label': 'Uptime'}, Format.duration(r.uptime)))));
  document.getElementById('stream-count').textContent = `${rows.length} of ${state.streams.length} live`;
  document.querySelector('#tab-streams .empty').hidden = state.streams.length > 0;
}

// An inline SVG of the last five minutes of a rate (at least a minute wide); scaled to its own maximum.
function sparkline(values) {
  const ns = 'http://www.w3.org/2000/svg';
  const w = 72, h = 16;
  const svg = document.createElementNS(ns, 'svg');
  svg.setAttribute('class', 'spark');
  svg.setAttribute('viewBox', `0 0 ${w} ${h}`);
  svg.setAttribute('width', w);
  svg.setAttribute('height', h);
  const points = values.filter(x => x !== undefined);
  if (points.length > 1) {
    const max = Math.max(...points, 1);
    const step = w / Math.max(points.length - 1, 30); // a minute fills the width; then it scrolls
    const x0 = w - (points.length - 1) * step;
    const line = document.createElementNS(ns, 'polyline');
    line.setAttribute('points', points.map((p, i) => `${(x0 + i * step).toFixed(1)},${(h - 1 - p / max * (h - 2)).toFixed(1)}`).join(' '));
    svg.append(line);
  }
  return svg;
}

// ---- clients

function renderClients() {
  const filter = document.getElementById('client-filter').value.trim().toLowerCase();
  const rows = state.clients.map(c => ({
    c, id: c.id, ip: c.ip, type: clientType(c), stream: streamOfClient(c),
    bytes: c.send_bytes + c.recv_bytes, alive: c.alive,
  })).filter(r => !filter || [r.id, r.ip, r.type, r.stream].join(' ').toLowerCase().includes(filter));
  sortRows(rows, state.sort.clients);
  const body = document.querySelector('#clients tbody');
  body.replaceChildren(...rows.map(r => el('tr', {'data-client': r.id, 'data-type': r.type, 'data-stream': r.stream},
    el('td', {'data-label': 'Id'}, r.id),
    el('td', {'data-label': 'Address'}, r.ip),
    el('td', {class: 'type', 'data-label': 'Type'}, r.type),
    el('td', {'data-label': 'Stream'}, r.stream),
    el('td', {class: 'num', 'data-label': 'Bytes'}, Format.bytes(r.bytes)),
    el('td', {class: 'num', 'data-label': 'Duration'}, Format.duration(r.alive)),
    el('td', {}, el('button', {class: 'kick danger', onclick: () => kick(r)}, 'Kick')))));
  document.getElementById('client-count').textContent = `${rows.length} of ${state.clients.length}`;
  document.querySelector('#tab-clients .empty').hidden = state.clients.length > 0;
}

async function kick(r) {
  if (!confirm(`Kick client ${r.id} (${r.type}${r.stream ? ' ' + r.stream : ''}, ${r.ip})?`)) {
    return;
  }
  try {
    await Api.del('/api/v1/clients/' + encodeURIComponent(r.id));
    poll();
  } catch (e) {
    showError('kick ' + r.id + ': ' + e.message);
  }
}

// ---- node and cluster

async function renderNode(summary) {
  const [versions, nodes, streams] = await Promise.all([Api.get('/api/v1/versions'),
    Api.get('/api/v1/cluster/nodes').catch(e => ({nodes: [], error: e})),
    Api.get('/api/v1/cluster/streams').catch(e => ({streams: [], error: e}))]);
  const self = summary.self, sys = summary.system;
  const me = nodes.nodes.find(n => n.self) || {};
  const facts = [
    ['Version', versions.data.version],
    ['Uptime', Format.duration(self.srs_uptime)],
    ['CPU', `${self.cpu_percent.toFixed(1)} % of a core (system ${sys.cpu_percent.toFixed(1)} % of ${sys.cpus} cores, load ${sys.load_1m})`],
    ['Memory', `${Format.bytes(self.mem_kbyte * 1024)} (${self.mem_percent.toFixed(1)} % of ${Format.bytes(sys.mem_ram_kbyte * 1024)})`],
    ['Connections', sys.conn_srs],
    ['Received / sent', `${Format.bytes(sys.srs_recv_bytes)} / ${Format.bytes(sys.srs_send_bytes)}`],
    ['Listeners', ['RTMP ' + (me.rtmp || '–'), 'HTTP ' + (me.http || '–'), 'API ' + (me.api || '–')].join(', ')],
    ['Role', me.role || '–'],
  ];
  document.getElementById('node-facts').replaceChildren(...facts.flatMap(([k, v]) => [el('dt', {}, k), el('dd', {}, v)]));
  const now = Date.now() + state.skewMs;
  document.querySelector('#nodes tbody').replaceChildren(...nodes.nodes.map(n => el('tr', {'data-node': n.id},
    el('td', {'data-label': 'Node'}, n.self || !n.api ? n.id
      : el('a', {href: './?' + new URLSearchParams({api: 'http://' + n.api}) + '#node', title: 'this console on that node\'s API'}, n.id),
      n.self ? el('span', {class: 'tag'}, 'this node') : null),
    el('td', {'data-label': 'Role'}, n.role),
    el('td', {'data-label': 'RTMP'}, n.rtmp || '–'),
    el('td', {'data-label': 'HTTP'}, n.http || '–'),
    el('td', {'data-label': 'API'}, n.api || '–'),
    el('td', {class: 'num', 'data-label': 'Streams'}, n.streams),
    el('td', {class: 'num', 'data-label': 'Clients'}, n.clients),
    el('td', {class: 'num', 'data-label': 'Up'}, n.since ? Format.duration((now - n.since) / 1000) : '–'))));
  document.querySelector('#cluster-streams tbody').replaceChildren(...streams.streams.map(s => el('tr', {},
    el('td', {'data-label': 'Stream'}, `${s.app}/${s.name}`, el('span', {class: 'muted'}, ' ' + s.vhost)),
    el('td', {'data-label': 'Owner'}, s.owner ? `${s.owner.id} (${s.owner.rtmp || s.owner.http})` : 'outside the cluster'),
    el('td', {class: 'wrap', 'data-label': 'Edges'}, s.edges.length
      ? s.edges.map(e => el('div', {}, `${e.id} (${e.rtmp || e.http}) pulls ${e.upstream}, ${e.players} players`)) : '–'),
    el('td', {class: 'num', 'data-label': 'Since'}, s.since ? Format.duration((now - s.since) / 1000) : '–'))));
}

// ---- shared

function sortRows(rows, sort) {
  rows.sort((a, b) => {
    const x = a[sort.key], y = b[sort.key];
    if (typeof x === 'number' || typeof y === 'number') {
      return ((x || 0) - (y || 0)) * sort.dir;
    }
    return String(x || '').localeCompare(String(y || ''), undefined, {numeric: true}) * sort.dir;
  });
}

function showError(message) {
  const box = document.getElementById('error');
  box.hidden = !message;
  box.textContent = message || '';
}

function showTab(tab) {
  state.tab = ['streams', 'clients', 'node'].includes(tab) ? tab : 'streams';
  for (const section of document.querySelectorAll('.tab')) {
    section.hidden = section.id !== 'tab-' + state.tab;
  }
  for (const link of document.querySelectorAll('nav a')) {
    link.classList.toggle('active', link.dataset.tab === state.tab);
  }
  if (!state.waitingForLogin) {
    poll();
  }
}

function setUpSorting(table, sort) {
  for (const th of document.querySelectorAll(`#${table} th[data-key]`)) {
    th.addEventListener('click', () => {
      const s = state.sort[table];
      s.dir = s.key === th.dataset.key ? -s.dir : 1;
      s.key = th.dataset.key;
      for (const other of th.parentElement.children) {
        other.removeAttribute('aria-sort');
      }
      th.setAttribute('aria-sort', s.dir > 0 ? 'ascending' : 'descending');
      table === 'streams' ? renderStreams() : renderClients();
    });
  }
}

async function start() {
  setUpSorting('streams');
  setUpSorting('clients');
  document.getElementById('stream-filter').addEventListener('input', renderStreams);
  document.getElementById('client-filter').addEventListener('input', renderClients);
  document.getElementById('logout').addEventListener('click', () => {
    Api.logout();
    location.reload();
  });
  for (const link of document.querySelectorAll('nav a')) {
    link.href = Api.carry() + '#' + link.dataset.tab;
  }
  window.addEventListener('hashchange', () => showTab(location.hash.slice(1)));
  try {
    document.getElementById('api-where').textContent = 'API ' + await Api.resolve();
  } catch (e) {
    return showError(e.message);
  }
  document.getElementById('logout').hidden = !Api.hasAuth();
  showTab(location.hash.slice(1));
}

start();
