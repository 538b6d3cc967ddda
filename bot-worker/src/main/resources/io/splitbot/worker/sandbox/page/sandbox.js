// The sandbox's chat page: what a Telegram app shows of a chat with the bot, drawn from the emulator's changes
// (/sandbox/api/changes, a long poll), and what the user does posted back as Telegram's updates. Every text is put
// into the page as text nodes or through a whitelist of elements: nothing the bot sends is parsed as the page's HTML.
'use strict';

(() => {
  const $ = (id) => document.getElementById(id);
  const POLL_WAIT_MS = 25000;
  const STORE_KEY = 'splitbot-sandbox-user';

  const state = {
    bot: { first_name: 'Bot' },
    people: [],
    group: null,
    me: null,          // {id, first_name, last_name, language_code, phone_number}
    chat: 'private',   // 'private' or 'group'
    last: 0,           // the last change seen
    chats: new Map(),  // chat id -> Map(message_id -> {message, parse_mode})
    keyboards: new Map(), // chat id -> the reply keyboard shown, or none
    typedInstead: new Set(), // chats where the user put the keyboard away
    replyTo: null,
  };

  // ------------------------------------------------------------------ formatting (Bot API entities, HTML, MarkdownV2)

  const SAFE_URL = /^(https?:|tg:|mailto:)/i;

  function link(url, content) {
    const a = document.createElement('a');
    if (SAFE_URL.test(url || '')) {
      a.href = url;
      a.target = '_blank';
      a.rel = 'noopener noreferrer';
    }
    a.append(content);
    return a;
  }

  function entityElement(e, covered) {
    const make = (tag, cls) => {
      const el = document.createElement(tag);
      if (cls) el.className = cls;
      return el;
    };
    switch (e.type) {
      case 'bold': return make('strong');
      case 'italic': return make('em');
      case 'underline': return make('u');
      case 'strikethrough': return make('s');
      case 'code': return make('code');
      case 'pre': return make('pre');
      case 'blockquote': case 'expandable_blockquote': return make('blockquote');
      case 'spoiler': return spoiler();
      case 'text_link': return link(e.url, '');
      case 'url': return link(/^[a-z]+:/i.test(covered) ? covered : 'https://' + covered, '');
      case 'email': return link('mailto:' + covered, '');
      case 'bot_command': return make('span', 'entity-command');
      case 'mention': case 'text_mention': return make('span', 'entity-mention');
      case 'hashtag': case 'cashtag': return make('span', 'entity-hashtag');
      default: return make('span');
    }
  }

  function spoiler() {
    const s = document.createElement('span');
    s.className = 'spoiler';
    s.tabIndex = 0;
    s.setAttribute('role', 'button');
    s.setAttribute('aria-label', 'Spoiler: show');
    const reveal = () => { s.classList.add('shown'); s.removeAttribute('role'); s.removeAttribute('aria-label'); };
    s.addEventListener('click', reveal);
    s.addEventListener('keydown', (ev) => { if (ev.key === 'Enter' || ev.key === ' ') reveal(); });
    return s;
  }

  /** Text with Bot API entities (offsets in UTF-16 units, as JavaScript strings count); nested ones nest. */
  function withEntities(text, entities) {
    const sorted = (entities || []).filter((e) => Number.isInteger(e.offset) && Number.isInteger(e.length) && e.length > 0)
      .sort((a, b) => a.offset - b.offset || b.length - a.length);
    const build = (start, end, list) => {
      const frag = document.createDocumentFragment();
      let pos = start;
      let i = 0;
      while (i < list.length) {
        const e = list[i];
        const from = Math.max(e.offset, pos);
        const to = Math.min(e.offset + e.length, end);
        if (from >= to) { i++; continue; }
        if (from > pos) frag.append(text.slice(pos, from));
        const inner = [];
        let j = i + 1;
        while (j < list.length && list[j].offset < to) inner.push(list[j++]);
        const el = entityElement(e, text.slice(e.offset, e.offset + e.length));
        el.append(build(from, to, inner));
        frag.append(el);
        pos = to;
        i = j;
      }
      if (pos < end) frag.append(text.slice(pos, end));
      return frag;
    };
    return build(0, text.length, sorted);
  }

  const HTML_TAGS = {
    B: 'bold', STRONG: 'bold', I: 'italic', EM: 'italic', U: 'underline', INS: 'underline', S: 'strikethrough',
    STRIKE: 'strikethrough', DEL: 'strikethrough', CODE: 'code', PRE: 'pre', BLOCKQUOTE: 'blockquote', 'TG-SPOILER': 'spoiler',
  };

  /** parse_mode HTML: parsed inert (DOMParser runs nothing), then rebuilt from Telegram's tags alone. */
  function fromHtml(html) {
    const doc = new DOMParser().parseFromString('<!doctype html><body>' + html, 'text/html');
    const copy = (node) => {
      const frag = document.createDocumentFragment();
      for (const child of node.childNodes) {
        if (child.nodeType === Node.TEXT_NODE) {
          frag.append(child.nodeValue);
        } else if (child.nodeType === Node.ELEMENT_NODE) {
          let el = null;
          if (child.tagName === 'A') {
            el = link(child.getAttribute('href'), '');
          } else if (child.tagName === 'SPAN' && child.classList.contains('tg-spoiler')) {
            el = spoiler();
          } else if (HTML_TAGS[child.tagName]) {
            el = entityElement({ type: HTML_TAGS[child.tagName] }, '');
          }
          if (el) {
            el.append(copy(child));
            frag.append(el);
          } else {
            frag.append(copy(child)); // any other tag: its text only
          }
        }
      }
      return frag;
    };
    return copy(doc.body);
  }

  /** parse_mode MarkdownV2 (and the legacy Markdown): turned into text and entities, then drawn as those. */
  function fromMarkdown(source, v2) {
    const marks = v2
      ? [['```', 'pre'], ['||', 'spoiler'], ['__', 'underline'], ['*', 'bold'], ['_', 'italic'], ['~', 'strikethrough'], ['`', 'code']]
      : [['```', 'pre'], ['*', 'bold'], ['_', 'italic'], ['`', 'code']];
    let text = '';
    const entities = [];
    const open = [];
    let i = 0;
    while (i < source.length) {
      const c = source[i];
      if (c === '\\' && i + 1 < source.length) { text += source[i + 1]; i += 2; continue; }
      const top = open[open.length - 1];
      if (top && (top.type === 'code' || top.type === 'pre')) {
        const closer = top.type === 'pre' ? '```' : '`';
        if (source.startsWith(closer, i)) {
          open.pop();
          entities.push({ type: top.type, offset: top.offset, length: text.length - top.offset });
          i += closer.length;
        } else { text += c; i++; }
        continue;
      }
      if (c === '[') { open.push({ type: 'text_link', offset: text.length }); i++; continue; }
      if (c === ']' && top && top.type === 'text_link' && source[i + 1] === '(') {
        const close = source.indexOf(')', i + 2);
        if (close > 0) {
          open.pop();
          entities.push({ type: 'text_link', offset: top.offset, length: text.length - top.offset, url: source.slice(i + 2, close) });
          i = close + 1;
          continue;
        }
      }
      const mark = marks.find(([m]) => source.startsWith(m, i));
      if (mark) {
        const [m, type] = mark;
        const at = open.map((o) => o.type).lastIndexOf(type);
        if (at >= 0 && type !== 'pre' && type !== 'code') {
          const o = open.splice(at, 1)[0];
          entities.push({ type, offset: o.offset, length: text.length - o.offset });
        } else {
          open.push({ type, offset: text.length });
          if (type === 'pre') { // the first line may name the language
            const nl = source.indexOf('\n', i + 3);
            if (nl > 0 && /^[\w+-]*$/.test(source.slice(i + 3, nl))) { i = nl + 1; continue; }
          }
        }
        i += m.length;
        continue;
      }
      text += c;
      i++;
    }
    return withEntities(text, entities);
  }

  function formatted(message, parseMode) {
    const text = message.text ?? message.caption ?? '';
    const entities = message.entities ?? message.caption_entities;
    if (entities && entities.length) return withEntities(text, entities);
    switch ((parseMode || '').toLowerCase()) {
      case 'html': return fromHtml(text);
      case 'markdownv2': return fromMarkdown(text, true);
      case 'markdown': return fromMarkdown(text, false);
      default: return document.createTextNode(text);
    }
  }

  // ------------------------------------------------------------------ the chats' state

  function currentChatId() {
    return state.chat === 'group' ? String(state.group.id) : String(state.me.id);
  }

  function messagesOf(chatId) {
    if (!state.chats.has(chatId)) state.chats.set(chatId, new Map());
    return state.chats.get(chatId);
  }

  /** One change from the emulator; returns whether the chat on screen shows it. */
  function apply(change) {
    const chatId = String(change.chat_id);
    const shown = chatId === currentChatId();
    switch (change.type) {
      case 'message': {
        const m = change.message;
        messagesOf(chatId).set(m.message_id, { message: m, parse_mode: change.parse_mode });
        if (m.from && m.from.is_bot) noteKeyboard(chatId, m.reply_markup);
        if (shown) { appendMessage(m.message_id); showKeyboard(); }
        break;
      }
      case 'edit': {
        const m = change.message;
        const entry = messagesOf(chatId).get(m.message_id);
        if (entry) {
          // editMessageReplyMarkup gives no parse_mode: the text stays as it was formatted
          if (change.parse_mode !== undefined || entry.message.text !== m.text) entry.parse_mode = change.parse_mode;
          entry.message = m;
          if (shown) redrawMessage(m.message_id);
        }
        break;
      }
      case 'delete':
        messagesOf(chatId).delete(change.message_id);
        if (shown) {
          const li = document.querySelector(`#messages li[data-message-id="${Number(change.message_id)}"]`);
          if (li) li.remove();
        }
        break;
      case 'toast':
        if (shown) toast(change.text, change.show_alert);
        break;
      case 'action':
        if (shown) typing();
        break;
      default:
        break;
    }
    return shown;
  }

  /** A reply keyboard stays until the bot removes it or sends another (Telegram's rule). */
  function noteKeyboard(chatId, markup) {
    if (!markup) return;
    if (Array.isArray(markup.keyboard)) {
      state.keyboards.set(chatId, markup);
      state.typedInstead.delete(chatId);
    } else if (markup.remove_keyboard) {
      state.keyboards.delete(chatId);
    }
  }

  // ------------------------------------------------------------------ drawing

  function redrawChat() {
    const list = $('messages');
    list.replaceChildren();
    const ids = [...messagesOf(currentChatId()).keys()].sort((a, b) => a - b);
    ids.forEach(appendMessage);
    $('chat-title').textContent = state.chat === 'group' ? state.group.title : state.bot.first_name;
    $('toast').hidden = true; // a toast belongs to the chat it answered in
    cancelReply();
    showKeyboard();
  }

  function appendMessage(id) {
    const li = document.createElement('li');
    li.className = 'msg';
    li.dataset.messageId = id;
    fillMessage(li, messagesOf(currentChatId()).get(id));
    $('messages').append(li);
    li.scrollIntoView({ block: 'end' });
  }

  function redrawMessage(id) {
    const li = document.querySelector(`#messages li[data-message-id="${Number(id)}"]`);
    if (li) fillMessage(li, messagesOf(currentChatId()).get(id));
  }

  /** The message's bubble and inline keyboard, drawn into its list item (kept in place when edited). */
  function fillMessage(li, entry) {
    const m = entry.message;
    const fromBot = !!(m.from && m.from.is_bot);
    li.dataset.from = fromBot ? 'bot' : 'user';
    const bubble = document.createElement('div');
    bubble.className = 'bubble';
    if (state.chat === 'group' && !fromBot && m.from) {
      const sender = document.createElement('div');
      sender.className = 'sender';
      sender.textContent = [m.from.first_name, m.from.last_name].filter(Boolean).join(' ');
      bubble.append(sender);
    }
    if (m.reply_to_message) {
      const quote = document.createElement('div');
      quote.className = 'quote';
      quote.textContent = m.reply_to_message.text || '';
      bubble.append(quote);
    }
    const body = document.createElement('div');
    body.className = 'text';
    if (m.contact) {
      body.textContent = '📱 ' + m.contact.phone_number;
    } else {
      body.append(formatted(m, entry.parse_mode));
    }
    bubble.append(body);
    const meta = document.createElement('div');
    meta.className = 'meta';
    const time = new Date((m.edit_date || m.date) * 1000).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
    meta.textContent = (m.edit_date ? 'edited ' : '') + time;
    bubble.append(meta);
    const parts = [bubble];
    const rows = m.reply_markup && m.reply_markup.inline_keyboard;
    if (Array.isArray(rows)) parts.push(inlineKeyboard(m, rows));
    if (fromBot) {
      const actions = document.createElement('div');
      actions.className = 'actions';
      const reply = document.createElement('button');
      reply.type = 'button';
      reply.className = 'link';
      reply.textContent = '↩';
      reply.setAttribute('aria-label', 'Reply to this message');
      reply.addEventListener('click', () => startReply(m));
      actions.append(reply);
      parts.push(actions);
    }
    li.replaceChildren(...parts);
  }

  function inlineKeyboard(message, rows) {
    const box = document.createElement('div');
    box.className = 'inline-keyboard';
    box.setAttribute('role', 'group');
    box.setAttribute('aria-label', 'Buttons');
    for (const row of rows) {
      const line = document.createElement('div');
      line.className = 'row';
      for (const b of Array.isArray(row) ? row : []) {
        const button = document.createElement('button');
        button.type = 'button';
        button.textContent = b.text;
        if (typeof b.callback_data === 'string') {
          button.addEventListener('click', () => press(message.message_id, b.callback_data));
        } else if (typeof b.url === 'string' && SAFE_URL.test(b.url)) {
          button.addEventListener('click', () => window.open(b.url, '_blank', 'noopener'));
        } else {
          button.disabled = true;
          button.title = 'The sandbox does not emulate this kind of button';
        }
        line.append(button);
      }
      box.append(line);
    }
    return box;
  }

  /** The reply keyboard, in place of the text field while it is shown. */
  function showKeyboard() {
    const chatId = currentChatId();
    const markup = state.keyboards.get(chatId);
    const panel = $('reply-keyboard');
    const shown = !!markup && !state.typedInstead.has(chatId);
    panel.replaceChildren();
    if (shown) {
      for (const row of markup.keyboard) {
        const line = document.createElement('div');
        line.className = 'row';
        for (const raw of Array.isArray(row) ? row : []) {
          const b = typeof raw === 'string' ? { text: raw } : raw;
          const button = document.createElement('button');
          button.type = 'button';
          button.textContent = b.text;
          button.addEventListener('click', () => replyButton(chatId, markup, b));
          line.append(button);
        }
        panel.append(line);
      }
      const typeInstead = document.createElement('button');
      typeInstead.type = 'button';
      typeInstead.className = 'icon';
      typeInstead.textContent = 'Aa';
      typeInstead.setAttribute('aria-label', 'Type a message instead');
      typeInstead.addEventListener('click', () => {
        state.typedInstead.add(chatId);
        showKeyboard();
        $('text').focus();
      });
      panel.append(typeInstead);
    }
    panel.hidden = !shown;
    $('composer').hidden = shown;
    $('show-keyboard').hidden = !markup || shown;
  }

  function replyButton(chatId, markup, button) {
    if (markup.one_time_keyboard) state.typedInstead.add(chatId);
    if (button.request_contact) {
      send({ contact: { phone_number: state.me.phone_number } });
    } else {
      send({ text: button.text });
    }
    showKeyboard();
  }

  let toastTimer = 0;
  function toast(text, alert) {
    const box = $('toast');
    $('toast-text').textContent = text;
    box.setAttribute('role', alert ? 'alert' : 'status');
    $('toast-close').hidden = !alert;
    box.hidden = false;
    clearTimeout(toastTimer);
    if (alert) {
      $('toast-close').focus();
    } else {
      toastTimer = setTimeout(() => { box.hidden = true; }, 4000);
    }
  }

  let typingTimer = 0;
  function typing() {
    $('chat-status').textContent = 'typing…';
    clearTimeout(typingTimer);
    typingTimer = setTimeout(() => { $('chat-status').textContent = online; }, 5000);
  }
  let online = 'bot';

  function startReply(message) {
    state.replyTo = message.message_id;
    $('replying-text').textContent = 'Replying to: ' + (message.text || '').split('\n')[0];
    $('replying').hidden = false;
    state.typedInstead.add(currentChatId());
    showKeyboard();
    $('text').focus();
  }

  function cancelReply() {
    state.replyTo = null;
    $('replying').hidden = true;
  }

  // ------------------------------------------------------------------ talking to the sandbox

  function from() {
    const u = { id: state.me.id, first_name: state.me.first_name, language_code: state.me.language_code };
    if (state.me.last_name) u.last_name = state.me.last_name;
    return u;
  }

  async function post(path, body) {
    const r = await fetch(path, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
    if (!r.ok) {
      let reason = r.status + '';
      try { reason = (await r.json()).error || reason; } catch (e) { /* not JSON */ }
      throw new Error(reason);
    }
    return r.json();
  }

  async function send(content) {
    const body = Object.assign({ chat_id: Number(currentChatId()), from: from() }, content);
    if (state.replyTo) body.reply_to_message_id = state.replyTo;
    try {
      await post('/sandbox/api/messages', body);
      cancelReply();
    } catch (e) {
      toast('Not sent: ' + e.message, true);
    }
  }

  async function press(messageId, data) {
    try {
      await post('/sandbox/api/callbacks', { chat_id: Number(currentChatId()), from: from(), message_id: messageId, data });
    } catch (e) {
      toast('Not pressed: ' + e.message, true);
    }
  }

  async function poll() {
    for (;;) {
      try {
        const r = await fetch(`/sandbox/api/changes?after=${state.last}&wait_ms=${POLL_WAIT_MS}`, { cache: 'no-store' });
        if (!r.ok) throw new Error(String(r.status));
        const page = await r.json();
        if (page.last < state.last) { // the sandbox was started again: its chats are new
          state.chats.clear();
          state.keyboards.clear();
          redrawChat();
        }
        page.changes.forEach(apply);
        state.last = page.last;
        setOnline('bot');
      } catch (e) {
        setOnline('waiting for the sandbox…');
        await new Promise((resolve) => setTimeout(resolve, 1000));
      }
    }
  }

  function setOnline(text) {
    online = text;
    $('chat-status').textContent = text;
  }

  // ------------------------------------------------------------------ who you are

  function choosePerson(person) {
    state.me = Object.assign({}, person);
    $('user-id').value = person.id;
    $('user-name').value = person.first_name;
    $('user-lang').value = person.language_code || 'en';
    $('person-role').textContent = person.about || 'Anyone else: the desk knows them by their id.';
    localStorage.setItem(STORE_KEY, JSON.stringify(state.me));
    redrawChat();
  }

  function applyForm(ev) {
    ev.preventDefault();
    const id = Number($('user-id').value);
    const name = $('user-name').value.trim();
    if (!Number.isInteger(id) || id < 1 || !name) {
      toast('A user needs a whole positive id and a first name.', true);
      return;
    }
    const known = state.people.find((p) => p.id === id);
    const person = Object.assign({}, known || { phone_number: '+1555' + String(id).padStart(7, '0').slice(-7) },
      { id, first_name: name, language_code: $('user-lang').value });
    if (!known || known.first_name !== name) delete person.last_name;
    $('person').value = known ? String(known.id) : 'custom';
    choosePerson(person);
  }

  async function init() {
    const r = await fetch('/sandbox/api/people');
    const people = await r.json();
    state.bot = people.bot;
    state.people = people.users;
    state.group = people.group;
    $('group-title').textContent = people.group.title + ' (group)';
    const select = $('person');
    for (const p of people.users) {
      const option = document.createElement('option');
      option.value = String(p.id);
      option.textContent = `${p.first_name} ${p.last_name} (${p.role})`;
      select.append(option);
    }
    const custom = document.createElement('option');
    custom.value = 'custom';
    custom.textContent = 'Someone else';
    select.append(custom);
    select.addEventListener('change', () => {
      const p = state.people.find((x) => String(x.id) === select.value);
      if (p) choosePerson(p); else $('user-id').focus();
    });
    $('who').addEventListener('submit', applyForm);
    $('user-lang').addEventListener('change', () => {
      state.me.language_code = $('user-lang').value;
      localStorage.setItem(STORE_KEY, JSON.stringify(state.me));
    });
    document.querySelectorAll('input[name=chat]').forEach((radio) => radio.addEventListener('change', () => {
      state.chat = radio.value;
      redrawChat();
    }));
    $('composer').addEventListener('submit', (ev) => {
      ev.preventDefault();
      const text = $('text').value;
      if (!text.trim()) return;
      $('text').value = '';
      send({ text });
    });
    $('show-keyboard').addEventListener('click', () => {
      state.typedInstead.delete(currentChatId());
      showKeyboard();
    });
    $('toast-close').addEventListener('click', () => { $('toast').hidden = true; });
    $('replying-cancel').addEventListener('click', cancelReply);

    let saved = null;
    try { saved = JSON.parse(localStorage.getItem(STORE_KEY)); } catch (e) { /* none */ }
    const start = saved && Number.isInteger(saved.id) ? saved : state.people[0];
    const known = state.people.find((p) => p.id === start.id);
    select.value = known ? String(known.id) : 'custom';
    choosePerson(start);
    poll();
  }

  init();
})();
