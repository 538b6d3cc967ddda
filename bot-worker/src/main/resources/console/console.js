// splitbot ops console. Reads /console/api/* every few seconds and draws it: charts as inline SVG, the rest as
// tables. The monitoring token, when the console asks for one, stays in this tab's sessionStorage and goes out as a
// bearer header, never in a URL.
'use strict';

(function () {
  const TOKEN_KEY = 'splitbot.monitoringToken';
  const REFRESH_MS = 5000;
  const SVG = 'http://www.w3.org/2000/svg';
  const LABELS = {
    acked_per_second: 'acked',
    handled_per_second: 'handled',
    ack_p50_ms: 'ack p50',
    ack_p99_ms: 'ack p99',
    handler_p50_ms: 'handler p50',
    handler_p99_ms: 'handler p99',
    spool_depth: 'spool depth'
  };

  const $ = (id) => document.getElementById(id);
  let timer = null;
  let needsToken = false;
  /** Actions under way: the periodic refresh leaves the letters alone meanwhile, so no button vanishes under the pointer. */
  let acting = 0;
  const ARMED_MS = 8000;

  class Refused extends Error {}

  function setStatus(text) {
    $('status').textContent = text;
  }

  /** A call to the console's data; 401 shows the token form, 403 says why, both stop the refresh. */
  async function api(path, options) {
    const init = Object.assign({ cache: 'no-store', credentials: 'omit' }, options || {});
    const headers = Object.assign({}, init.headers || {});
    const token = sessionStorage.getItem(TOKEN_KEY);
    if (token) {
      headers.Authorization = 'Bearer ' + token;
    }
    init.headers = headers;
    const response = await fetch('api/' + path, init);
    let body = null;
    try {
      body = await response.json();
    } catch (e) {
      body = null;
    }
    if (response.status === 401) {
      askForToken(token ? 'That token was not accepted. Enter the monitoring token (MONITORING_TOKEN).'
        : 'This console needs the monitoring token (MONITORING_TOKEN).');
      throw new Refused('401');
    }
    if (response.status === 403) {
      setStatus((body && body.error) || 'Not allowed from here.');
      throw new Refused('403');
    }
    return { status: response.status, body: body };
  }

  function askForToken(reason) {
    needsToken = true;
    sessionStorage.removeItem(TOKEN_KEY);
    $('token-reason').textContent = reason;
    $('token-form').hidden = false;
    setStatus('Waiting for the monitoring token.');
    $('token').focus();
  }

  function el(tag, attrs, text) {
    const node = document.createElement(tag);
    Object.entries(attrs || {}).forEach(([k, v]) => {
      if (v !== null && v !== undefined) {
        node.setAttribute(k, v);
      }
    });
    if (text !== undefined && text !== null) {
      node.textContent = String(text);
    }
    return node;
  }

  function svg(tag, attrs, text) {
    const node = document.createElementNS(SVG, tag);
    Object.entries(attrs || {}).forEach(([k, v]) => node.setAttribute(k, v));
    if (text !== undefined) {
      node.textContent = text;
    }
    return node;
  }

  function fill(tbody, rows, columns, emptyText) {
    tbody.replaceChildren();
    if (rows.length === 0) {
      const tr = el('tr', { class: 'empty' });
      tr.appendChild(el('td', { colspan: String(columns) }, emptyText));
      tbody.appendChild(tr);
    }
    rows.forEach((row) => tbody.appendChild(row));
  }

  function format(value, unit) {
    if (value === null || value === undefined) {
      return '–';
    }
    const digits = Math.abs(value) >= 100 ? 0 : Math.abs(value) >= 10 ? 1 : 2;
    return Number(value).toFixed(digits) + (unit ? ' ' + unit : '');
  }

  function duration(ms) {
    if (ms === null || ms === undefined) {
      return '–';
    }
    return ms < 1000 ? ms + ' ms' : (ms / 1000).toFixed(1) + ' s';
  }

  function niceMax(max) {
    if (!(max > 0)) {
      return 1;
    }
    const power = Math.pow(10, Math.floor(Math.log10(max)));
    for (const step of [1, 2, 2.5, 5, 10]) {
      if (max <= step * power) {
        return step * power;
      }
    }
    return 10 * power;
  }

  // ------------------------------------------------------------------ charts

  /** The newest value there is: a latency is null in an interval that handled nothing, and the one before still holds. */
  function lastValue(points) {
    for (let k = points.length - 1; k >= 0; k--) {
      if (points[k][1] !== null) {
        return points[k][1];
      }
    }
    return null;
  }

  function drawChart(figure, data) {
    const names = figure.dataset.series.split(' ');
    const unit = figure.dataset.unit;
    // About the size it is shown at, so its text is the page's size.
    const width = 420;
    const height = 190;
    const left = 46;
    const right = 8;
    const top = 8;
    const bottom = 22;
    const now = Date.now();
    const series = names.map((name) => ({ name: name, points: (data.series[name] || { points: [] }).points }));
    // The whole window once it is full; until then what there is (a minute at least), so a fresh start is readable.
    const oldest = series.reduce((t, s) => (s.points.length ? Math.min(t, s.points[0][0]) : t), now);
    const windowMs = Math.min(data.window_seconds * 1000, Math.max(60000, now - oldest));
    let max = 0;
    series.forEach((s) => s.points.forEach((p) => {
      if (p[1] !== null && p[1] > max) {
        max = p[1];
      }
    }));
    max = niceMax(max);
    const x = (t) => left + (width - left - right) * Math.max(0, Math.min(1, 1 - (now - t) / windowMs));
    const y = (v) => top + (height - top - bottom) * (1 - v / max);

    const latest = series.map((s) => LABELS[s.name] + ' ' + format(lastValue(s.points), unit)).join(', ');
    const chart = svg('svg', { viewBox: '0 0 ' + width + ' ' + height, role: 'img', 'aria-label':
      figure.querySelector('figcaption').textContent + ' over the last ' + Math.round(windowMs / 60000) + ' minutes; latest: ' + latest });
    for (let i = 0; i <= 4; i++) {
      const v = (max * i) / 4;
      chart.appendChild(svg('line', { class: 'grid', x1: left, x2: width - right, y1: y(v), y2: y(v) }));
      chart.appendChild(svg('text', { class: 'axis', x: left - 6, y: y(v) + 4, 'text-anchor': 'end' }, format(v)));
    }
    [3, 2, 1, 0].forEach((part) => {
      const ago = (windowMs * part) / 3;
      const label = part === 0 ? 'now' : ago >= 60000 ? '−' + Math.round(ago / 60000) + ' min' : '−' + Math.round(ago / 1000) + ' s';
      chart.appendChild(svg('text', { class: 'axis', x: x(now - ago), y: height - 6,
        'text-anchor': part === 3 ? 'start' : part === 0 ? 'end' : 'middle' }, label));
    });
    let drawn = 0;
    series.forEach((s, i) => {
      // a null (no edge, nothing handled in that interval) breaks the line rather than drawing a zero
      let d = '';
      s.points.forEach((p, k) => {
        if (p[1] === null) {
          return;
        }
        const joined = k > 0 && s.points[k - 1][1] !== null;
        const alone = !joined && (k === s.points.length - 1 || s.points[k + 1][1] === null);
        if (alone) {
          chart.appendChild(svg('circle', { class: 'dot s' + i, cx: x(p[0]).toFixed(1), cy: y(p[1]).toFixed(1), r: 2.5 }));
        }
        d += (joined ? 'L' : 'M') + x(p[0]).toFixed(1) + ' ' + y(p[1]).toFixed(1) + ' ';
        drawn++;
      });
      if (d) {
        chart.appendChild(svg('path', { class: 'line s' + i, d: d.trim() }));
      }
    });
    if (drawn === 0) {
      chart.appendChild(svg('text', { class: 'nodata', x: width / 2, y: height / 2, 'text-anchor': 'middle' },
        'No data yet: a point every ' + data.interval_seconds + ' s'));
    }
    const legend = el('ul', { class: 'legend' });
    series.forEach((s, i) => {
      const item = el('li');
      item.appendChild(el('span', { class: 'swatch s' + i, 'aria-hidden': 'true' }));
      item.appendChild(document.createTextNode(LABELS[s.name] + ': ' + format(lastValue(s.points), unit)));
      legend.appendChild(item);
    });
    figure.replaceChildren(figure.querySelector('figcaption'), chart, legend);
  }

  async function refreshSeries() {
    const answer = await api('series');
    if (answer.status !== 200) {
      return;
    }
    document.querySelectorAll('figure[data-series]').forEach((figure) => drawChart(figure, answer.body));
  }

  // ------------------------------------------------------------------ dead letters

  async function act(action, letter, button) {
    const message = $('letters-message');
    acting++;
    button.disabled = true;
    message.className = 'message';
    message.textContent = (action === 'replay' ? 'Replaying update ' : 'Dropping update ') + letter.update + '…';
    try {
      const answer = await api('dead-letters/' + action, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ update: letter.update, from: letter.from })
      });
      const body = answer.body || {};
      if (answer.status !== 200) {
        message.className = 'message error';
        message.textContent = 'Update ' + letter.update + ': ' + (body.error || 'HTTP ' + answer.status);
      } else if (body.outcome === 'failed_again') {
        message.className = 'message error';
        message.textContent = 'Update ' + letter.update + ' failed again: ' + body.error;
      } else if (body.outcome === 'waiting') {
        message.textContent = 'Replay of update ' + letter.update + ' requested; ' + body.reason + '.';
      } else {
        message.textContent = 'Update ' + letter.update + ' ' + body.outcome + '.';
      }
    } catch (e) {
      if (!(e instanceof Refused)) {
        message.className = 'message error';
        message.textContent = 'Update ' + letter.update + ': the console did not answer.';
      }
    }
    acting--;
    await refreshLetters(true).catch(() => {});
    $('letters-title').focus();
  }

  function letterRow(letter) {
    const tr = el('tr', { 'data-update': letter.update, 'data-from': letter.from });
    tr.appendChild(el('th', { scope: 'row' }, letter.update));
    tr.appendChild(el('td', {}, letter.from));
    tr.appendChild(el('td', {}, letter.chat));
    tr.appendChild(el('td', { class: 'num' }, letter.attempts));
    tr.appendChild(el('td', {}, new Date(letter.failed_at).toLocaleString()));
    tr.appendChild(el('td', { class: 'error' }, letter.error + (letter.replay_requested ? ' (replay requested)' : '')));
    const actions = el('td', { class: 'actions' });
    const replay = el('button', { type: 'button', 'aria-label': 'Replay update ' + letter.update }, 'Replay');
    replay.addEventListener('click', () => act('replay', letter, replay));
    // Drop is for good: the first press asks, the second drops.
    const drop = el('button', { type: 'button', class: 'danger', 'aria-label': 'Drop update ' + letter.update }, 'Drop');
    drop.addEventListener('click', () => {
      if (drop.dataset.armed) {
        act('drop', letter, drop);
        return;
      }
      drop.dataset.armed = 'yes';
      drop.textContent = 'Confirm drop';
      drop.setAttribute('aria-label', 'Confirm: drop update ' + letter.update + ' for good');
      $('letters-message').textContent = 'Press "Confirm drop" to delete update ' + letter.update + ' for good.';
      setTimeout(() => {
        delete drop.dataset.armed;
        drop.textContent = 'Drop';
        drop.setAttribute('aria-label', 'Drop update ' + letter.update);
      }, ARMED_MS);
    });
    actions.append(replay, drop);
    tr.appendChild(actions);
    return tr;
  }

  /** @param after true right after an action: it redraws even while a Drop waits for its confirmation */
  async function refreshLetters(after) {
    const answer = await api('dead-letters');
    const tbody = $('dead-letters').querySelector('tbody');
    if (answer.status !== 200 || (!after && (acting > 0 || tbody.querySelector('button[data-armed]')))) {
      return;
    }
    const body = answer.body;
    fill(tbody, body.letters.map(letterRow), 7, 'No dead letters.');
    $('letters-count').textContent = '(' + body.count + ')';
    if (body.unreadable.length) {
      $('letters-message').className = 'message error';
      $('letters-message').textContent = 'Could not read the dead letters of: ' + body.unreadable.join(', ') + '.';
    }
  }

  // ------------------------------------------------------------------ overview

  function row(cells, header) {
    const tr = el('tr');
    cells.forEach((cell, i) => {
      const td = el(i === 0 && header ? 'th' : 'td', i === 0 && header ? { scope: 'row' } : {}, cell.text !== undefined ? cell.text : cell);
      if (cell.cls) {
        td.className = cell.cls;
      }
      tr.appendChild(td);
    });
    return tr;
  }

  function drawOverview(o) {
    const inFlight = o.in_flight;
    $('chats-count').textContent = '(' + inFlight.chats_total + ' chats, ' + inFlight.updates + ' updates)';
    fill($('in-flight').querySelector('tbody'), inFlight.chats.map((c) => row([
      c.chat, c.running ? 'yes' : 'no', duration(c.running_ms), { text: c.queued, cls: 'num' }], true)), 4,
    'Nothing in flight.');

    const r = o.rollout;
    const rollout = r.reachable ? [
      ['Routing', r.enabled ? (r.use_legacy ? 'on: every chat to the legacy bot (USE_LEGACY)' : 'on') : 'off: every chat to the new worker'],
      ['Share to the new worker', r.use_legacy ? '0 %' : r.share_percent + ' %'],
      ['Chats always on the new worker', r.allowed_chats],
      ['Routed to the new worker (since start)', r.routed.worker],
      ['Routed to the legacy bot (since start)', r.routed.legacy],
      ['New / legacy in the last minute', r.routed_last_minute.worker + ' / ' + r.routed_last_minute.legacy],
      ['Legacy deliveries: attempted / delivered / retried',
        [r.legacy_deliveries.forwarded, r.legacy_deliveries.delivered, r.legacy_deliveries.retried].map((n) => n || 0).join(' / ')]
    ] : [['Edge', r.reason]];
    fill($('rollout').querySelector('tbody'), rollout.map((pair) => row(pair, true)), 2, '');

    const services = Object.entries(o.health.services || {}).map(([name, part]) => row([
      name,
      { text: part.status, cls: 'st-' + part.status },
      part.required === undefined ? '–' : part.required ? 'yes' : 'no',
      { text: part.latency_ms === undefined ? '–' : part.latency_ms + ' ms', cls: 'num' },
      detail(part)], true));
    fill($('services').querySelector('tbody'), services, 5, 'No answer.');
    const members = (o.health.members || []).map((m) => row([
      m.role, m.node, { text: m.in_flight === undefined ? '–' : m.in_flight, cls: 'num' },
      m.started_at ? new Date(m.started_at).toLocaleString() : '–',
      m.last_seen ? new Date(m.last_seen).toLocaleTimeString() : '–'], true));
    fill($('members').querySelector('tbody'), members, 5, 'No members heard yet.');
  }

  function detail(part) {
    const bits = [];
    if (part.reason) {
      bits.push(part.reason);
    }
    if (part.backend) {
      bits.push('backend ' + part.backend);
    }
    if (part.spool) {
      bits.push('spool ' + part.spool.depth + ' / ' + part.spool.max + ' (' + part.spool.kind + ')');
    }
    if (part.in_flight !== undefined) {
      bits.push(part.in_flight + ' in flight');
    }
    if (part.dead_letters && part.dead_letters.count !== undefined) {
      bits.push(part.dead_letters.count + ' dead letters');
    }
    return bits.join('; ') || '–';
  }

  async function refreshOverview() {
    const answer = await api('overview');
    if (answer.status === 200) {
      drawOverview(answer.body);
    }
  }

  // ------------------------------------------------------------------ the loop

  async function refresh() {
    if (needsToken) {
      return;
    }
    try {
      await Promise.all([refreshSeries(), refreshLetters(), refreshOverview()]);
      setStatus('Updated ' + new Date().toLocaleTimeString());
    } catch (e) {
      if (!(e instanceof Refused)) {
        setStatus('The console did not answer; retrying.');
      }
    }
  }

  function schedule() {
    clearInterval(timer);
    timer = setInterval(() => {
      if (!document.hidden) {
        refresh();
      }
    }, REFRESH_MS);
  }

  document.addEventListener('DOMContentLoaded', () => {
    $('token-form').addEventListener('submit', (event) => {
      event.preventDefault();
      const value = $('token').value.trim();
      if (!value) {
        return;
      }
      sessionStorage.setItem(TOKEN_KEY, value);
      $('token').value = '';
      $('token-form').hidden = true;
      needsToken = false;
      setStatus('Loading…');
      refresh();
    });
    refresh();
    schedule();
  });
})();
