// Estuary console: where the HTTP API is, how to ask it (with the session's credentials), and number formats.
// Plain script, no build step; shared by index.html and player.html.
'use strict';

const Api = (() => {
  // sessionStorage only (gone when the tab closes), per API: credentials given to one API never go to another
  const authKey = () => 'estuary.console.auth ' + base;
  const params = new URLSearchParams(location.search);
  let base = null;

  // ?api=http://host:1985 wins; else this node's API, as /console/settings.json tells (same origin when they share it).
  async function resolve() {
    if (base !== null) {
      return base;
    }
    const asked = params.get('api');
    if (asked) {
      if (!/^https?:\/\/[^/]+/i.test(asked)) {
        throw new Error('?api= must be an http:// or https:// URL, e.g. ?api=http://host:1985');
      }
      base = asked.replace(/\/+$/, '');
      return base;
    }
    const settings = await (await fetch('settings.json', {cache: 'no-store'})).json();
    if (!settings.api) {
      throw new Error('the HTTP API of this node is off (http_api { enabled on; }); open the console with ?api=http://host:1985');
    }
    base = settings.api.same_origin ? location.origin
      : `${location.protocol}//${hostForUrl(location.hostname)}:${settings.api.port}`;
    return base;
  }

  function hostForUrl(host) {
    return host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
  }

  class AuthRequired extends Error {
    constructor() {
      super('the HTTP API asks for a user name and password');
    }
  }

  async function request(method, path) {
    const url = (await resolve()) + path;
    const headers = {};
    const auth = sessionStorage.getItem(authKey());
    if (auth) {
      headers.Authorization = 'Basic ' + auth;
    }
    const response = await fetch(url, {method, headers, cache: 'no-store'});
    if (response.status === 401) {
      throw new AuthRequired();
    }
    if (!response.ok) {
      throw new Error(`${method} ${path}: HTTP ${response.status}`);
    }
    const body = await response.json();
    if (body.code !== undefined && body.code !== 0) {
      throw new Error(`${method} ${path}: code ${body.code}${body.reason ? ' (' + body.reason + ')' : ''}`);
    }
    return body;
  }

  // UTF-8 safe base64 of "user:password".
  function login(user, password) {
    const bytes = new TextEncoder().encode(user + ':' + password);
    sessionStorage.setItem(authKey(), btoa(String.fromCharCode(...bytes)));
  }

  function logout() {
    sessionStorage.removeItem(authKey());
  }

  // The query this page was opened with that the other pages should keep (?api=).
  function carry(extra) {
    const q = new URLSearchParams(extra || {});
    if (params.get('api')) {
      q.set('api', params.get('api'));
    }
    const s = q.toString();
    return s ? '?' + s : '';
  }

  return {
    resolve, request, login, logout, carry, hostForUrl, AuthRequired,
    get: path => request('GET', path),
    del: path => request('DELETE', path),
    overridden: () => !!params.get('api'),
    hasAuth: () => base !== null && !!sessionStorage.getItem(authKey()),
  };
})();

const Format = {
  kbps(value) {
    if (value === null || value === undefined || isNaN(value)) {
      return '–';
    }
    return value >= 10000 ? (value / 1000).toFixed(1) + ' Mbps' : Math.round(value) + ' kbps';
  },
  bytes(n) {
    const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
    let i = 0;
    while (n >= 1024 && i < units.length - 1) {
      n /= 1024;
      i++;
    }
    return (i === 0 ? n : n.toFixed(1)) + ' ' + units[i];
  },
  duration(seconds) {
    seconds = Math.max(0, Math.floor(seconds));
    const d = Math.floor(seconds / 86400), h = Math.floor(seconds / 3600) % 24;
    const m = Math.floor(seconds / 60) % 60, s = seconds % 60;
    const two = v => String(v).padStart(2, '0');
    return (d ? d + 'd ' : '') + (d || h ? h + ':' + two(m) : m) + ':' + two(s);
  },
  // Elements without innerHTML: text is always text.
  el(tag, attrs, ...children) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (k === 'class') {
        e.className = v;
      } else if (k.startsWith('on')) {
        e.addEventListener(k.slice(2), v);
      } else if (v !== null && v !== undefined && v !== false) {
        e.setAttribute(k, v === true ? '' : v);
      }
    }
    for (const c of children.flat()) {
      if (c !== null && c !== undefined) {
        e.append(c instanceof Node ? c : String(c));
      }
    }
    return e;
  },
};

// The login form, in a <dialog> made on first need.
function loginDialog() {
  let dialog = document.getElementById('login');
  if (!dialog) {
    const el = Format.el;
    dialog = el('dialog', {id: 'login'}, el('form', {method: 'dialog'},
      el('h2', {}, 'Sign in to the HTTP API'),
      el('p', {class: 'muted'}, 'Kept in this tab only (sessionStorage), sent as an Authorization header.'),
      el('label', {}, 'User ', el('input', {name: 'user', autocomplete: 'username', required: true})),
      el('label', {}, 'Password ', el('input', {name: 'password', type: 'password', autocomplete: 'current-password',
        required: true})),
      el('p', {class: 'login-error error'}),
      el('button', {type: 'submit'}, 'Sign in')));
    dialog.addEventListener('cancel', event => event.preventDefault()); // nothing shows without the credentials
    document.body.append(dialog);
  }
  return dialog;
}

// Asks for the API's credentials; calls onDone once the API accepts them.
function askCredentials(onDone) {
  const dialog = loginDialog();
  const form = dialog.querySelector('form');
  const error = dialog.querySelector('.login-error');
  form.onsubmit = async event => {
    event.preventDefault();
    Api.login(form.user.value, form.password.value);
    try {
      await Api.get('/api/v1/versions');
      form.password.value = '';
      error.textContent = '';
      dialog.close();
      onDone();
    } catch (e) {
      Api.logout();
      error.textContent = e instanceof Api.AuthRequired ? 'Wrong user name or password.' : e.message;
    }
  };
  if (!dialog.open) {
    dialog.showModal();
    form.user.focus();
  }
}
