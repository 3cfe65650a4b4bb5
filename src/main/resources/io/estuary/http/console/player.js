// Estuary player: one stream through HTTP-FLV (mpegts.js) or HLS (hls.js), switchable, with the URLs to play it
// elsewhere and how far behind live the picture is. The libraries come from the build's npm (vendor/); a jar built
// without npm has none, and this page says so.
'use strict';

const el = Format.el;
const params = new URLSearchParams(location.search);
const app = params.get('app') || 'live';
const stream = params.get('stream') || '';
const video = document.getElementById('video');
const LIBRARIES = {
  flv: {name: 'mpegts.js', src: 'vendor/mpegts.js/dist/mpegts.js', global: 'mpegts'},
  hls: {name: 'hls.js', src: 'vendor/hls.js/dist/hls.min.js', global: 'Hls'},
};

// What the page shows and a test can read: the protocol playing and every error seen since it started.
const playback = window.estuaryPlayer = {protocol: null, errors: [], player: null, urls: null};

function fail(message) {
  playback.errors.push(message);
  const box = document.getElementById('error');
  box.hidden = false;
  box.textContent = message;
}

// Where this node serves its streams: this page's own origin, unless ?api= names another node, whose HTTP and RTMP
// ports the cluster API tells (GET /api/v1/cluster/nodes answers for a node alone too).
async function endpoints() {
  let self = {};
  try {
    self = (await Api.get('/api/v1/cluster/nodes')).nodes.find(n => n.self) || {};
  } catch (e) {
    if (e instanceof Api.AuthRequired) {
      await new Promise(done => askCredentials(done));
      return endpoints();
    }
  }
  const port = hostPort => hostPort ? hostPort.slice(hostPort.lastIndexOf(':') + 1) : null;
  let http = location.origin;
  let host = location.hostname;
  if (Api.overridden()) {
    const api = new URL(await Api.resolve());
    host = api.hostname;
    http = `${api.protocol}//${Api.hostForUrl(host)}:${port(self.http) || api.port}`;
  }
  const rtmpPort = port(self.rtmp) || '1935';
  const path = `/${app}/${stream}`;
  return {
    flv: `${http}${path}.flv`,
    hls: `${http}${path}.m3u8`,
    rtmp: `rtmp://${Api.hostForUrl(host)}${rtmpPort === '1935' ? '' : ':' + rtmpPort}${path}`,
  };
}

function loadLibrary(protocol) {
  const lib = LIBRARIES[protocol];
  if (window[lib.global]) {
    return Promise.resolve(window[lib.global]);
  }
  return new Promise((resolve, reject) => {
    const script = el('script', {src: lib.src});
    script.onload = () => window[lib.global] ? resolve(window[lib.global]) : reject(new Error(lib.name + ' did not load'));
    script.onerror = () => reject(new Error(`${lib.name} is missing: this Estuary was built on a machine without npm, `
      + `so its jar has no player libraries. Play the stream with one of the URLs instead (ffplay, VLC, OBS).`));
    document.head.append(script);
  });
}

function stop() {
  if (playback.player) {
    playback.player.destroy();
    playback.player = null;
  }
  video.removeAttribute('src');
  video.load();
}

async function play(protocol) {
  stop();
  playback.protocol = protocol;
  playback.errors = [];
  document.getElementById('error').hidden = true;
  for (const b of document.querySelectorAll('.switch button')) {
    b.setAttribute('aria-pressed', String(b.dataset.protocol === protocol));
  }
  params.set('protocol', protocol);
  history.replaceState(null, '', '?' + params.toString());
  const url = playback.urls[protocol];
  let lib;
  try {
    lib = await loadLibrary(protocol);
  } catch (e) {
    document.getElementById('library').textContent = '';
    return fail(e.message);
  }
  if (playback.protocol !== protocol) {
    return; // switched again while loading
  }
  if (protocol === 'flv') {
    document.getElementById('library').textContent = `mpegts.js ${lib.version || ''} · ${url}`;
    if (!lib.isSupported()) {
      return fail('this browser has no Media Source Extensions: mpegts.js cannot play here');
    }
    const player = lib.createPlayer({type: 'flv', isLive: true, url},
      {enableWorker: false, lazyLoad: false, liveBufferLatencyChasing: true, liveBufferLatencyMaxLatency: 3,
        liveBufferLatencyMinRemain: 0.5});
    player.on(lib.Events.ERROR, (type, detail, info) => fail(`mpegts.js: ${type} ${detail} ${info && info.msg || ''}`));
    player.attachMediaElement(video);
    player.load();
    playback.player = player;
  } else {
    document.getElementById('library').textContent = `hls.js ${lib.version || ''} · ${url}`;
    if (lib.isSupported()) {
      const hls = new lib({liveSyncDurationCount: 2});
      hls.on(lib.Events.ERROR, (event, data) => {
        if (data.fatal) {
          fail(`hls.js: ${data.type} ${data.details}`);
        }
      });
      hls.loadSource(url);
      hls.attachMedia(video);
      playback.player = hls;
    } else if (video.canPlayType('application/vnd.apple.mpegurl')) {
      video.src = url; // Safari plays HLS itself
    } else {
      return fail('this browser has no Media Source Extensions: hls.js cannot play here');
    }
  }
  video.play().catch(() => { /* autoplay refused: the controls are there */ });
}

// How far behind the newest media the picture is: hls.js estimates it against the playlist's live edge; for
// HTTP-FLV the newest media is the end of what the browser has buffered.
function behindLive() {
  if (playback.protocol === 'hls' && playback.player && playback.player.latency) {
    return playback.player.latency;
  }
  const b = video.buffered;
  return b.length ? Math.max(0, b.end(b.length - 1) - video.currentTime) : null;
}

function urlRow(label, value, how) {
  const input = el('input', {readonly: true, value, 'aria-label': label});
  const copy = el('button', {onclick: async () => {
    try {
      await navigator.clipboard.writeText(value);
    } catch (e) { // no clipboard (plain http on another host): select it for Ctrl+C
      input.select();
      document.execCommand('copy');
    }
    copy.textContent = 'Copied';
    setTimeout(() => copy.textContent = 'Copy', 1500);
  }}, 'Copy');
  return el('div', {}, el('div', {class: 'muted'}, label, ' ', el('small', {}, how)),
    el('div', {class: 'url'}, input, copy));
}

async function start() {
  document.getElementById('title').textContent = `${app}/${stream}`;
  document.getElementById('back').href = './' + Api.carry();
  document.getElementById('to-streams').href = './' + Api.carry() + '#streams';
  document.title = `${app}/${stream} · Estuary`;
  try {
    document.getElementById('api-where').textContent = 'API ' + await Api.resolve();
    playback.urls = await endpoints();
  } catch (e) {
    return fail(e.message);
  }
  const u = playback.urls;
  document.getElementById('urls').replaceChildren(
    urlRow('HTTP-FLV', u.flv, 'ffplay, VLC'),
    urlRow('HLS', u.hls, 'ffplay, VLC, Safari'),
    urlRow('RTMP', u.rtmp, 'ffplay, VLC, OBS Media Source'),
    urlRow('ffplay', `ffplay -fflags nobuffer ${u.flv}`, 'lowest latency'));
  for (const b of document.querySelectorAll('.switch button')) {
    b.addEventListener('click', () => play(b.dataset.protocol));
  }
  video.addEventListener('error', () => {
    if (video.error && !/empty src/i.test(video.error.message)) { // not the emptied element of a switch
      fail('video: ' + (video.error.message || 'error ' + video.error.code));
    }
  });
  setInterval(() => {
    const lag = behindLive();
    document.getElementById('latency').textContent = lag === null ? '–' : lag.toFixed(1) + ' s';
    document.getElementById('played').textContent = video.currentTime.toFixed(1);
    document.getElementById('state').textContent = video.paused ? 'paused' : video.readyState >= 3 ? 'playing' : 'loading';
  }, 500);
  play(params.get('protocol') === 'hls' ? 'hls' : 'flv');
}

start();
