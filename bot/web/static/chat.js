/*
 * Family support chat widget. Plain JS, no framework, no build step.
 *
 * Safety rules this file keeps:
 * - Message text is only ever put in the page with textContent / text nodes
 *   (never innerHTML), so "<img src=x onerror=...>" shows as text.
 * - Quick exit (Leave button, Esc, Shift x3, typing one of the exit words, a bot
 *   button whose payload is /quick_exit, or a reply marked page: "leave") wipes the
 *   transcript, clears sessionStorage, asks the server to reset the conversation,
 *   and replaces this page in history so Back doesn't return here. The exit words
 *   come from the server (meta exit-words), the same list it uses itself.
 * - A reply marked page: "clear" (forget me) wipes the transcript from the screen
 *   and from sessionStorage and starts a new tab id.
 * - Esc and Shift are only offered as exits where there is a fine pointer (a
 *   mouse or trackpad, so most likely a keyboard); a phone has neither key.
 * - The tab id and transcript live in sessionStorage only (no localStorage). The
 *   conversation id is the server's HttpOnly cookie: this script never sees it.
 * - Every word this script shows comes from the server (meta page-words: bot/words/page.yml
 *   or the chosen language's file). Choosing a language from the page's list puts the page's
 *   words in that language at once (GET /api/words), keeps the chat, and sends
 *   /choose_language{"language": code} so the assistant carries on in that language. The
 *   language goes in sessionStorage too, so this tab stays in it. A page opened in a language
 *   greets with /greet{"language": code}; a reply carrying `language` (the assistant found
 *   or was told the conversation's language) puts the page's words in it too.
 */
(function () {
  'use strict';

  var SENDER_KEY = 'fsp-chat-sender';
  var TRANSCRIPT_KEY = 'fsp-chat-transcript';
  var LANGUAGE_KEY = 'fsp-chat-language';
  var DEFAULT_EXIT_URL = 'https://www.bbc.co.uk/weather';
  var RETRY_DELAYS_MS = [1000, 2000, 4000];
  var REQUEST_TIMEOUT_MS = 15000;
  var SHIFT_WINDOW_MS = 1000;
  var GREET_PAYLOAD = '/greet';
  var EXIT_PAYLOAD = '/quick_exit';
  var CHOOSE_LANGUAGE_PAYLOAD = '/choose_language';
  var exitWords = [];

  // The page's words (meta page-words). Only if that is missing: the urgent numbers.
  var FALLBACK_WORDS = { connection_trouble: 'If you are in danger now, call 999.' };
  var words = FALLBACK_WORDS;
  var pageLanguage = 'en';
  var noteTitles = [];
  function word(key) { return typeof words[key] === 'string' ? words[key] : (FALLBACK_WORDS[key] || ''); }
  function useWords(data) {
    if (!data || typeof data !== 'object' || !data.words || typeof data.words !== 'object') { return false; }
    words = data.words;
    if (typeof data.lang === 'string') { pageLanguage = data.lang; }
    if (Array.isArray(data.note_titles)) {
      noteTitles = data.note_titles.filter(function (t) { return typeof t === 'string' && t; });
    }
    return true;
  }
  try {
    useWords(JSON.parse(document.querySelector('meta[name="page-words"]').getAttribute('content')));
  } catch (e) { /* the fallback words stay */ }

  var exiting = false;
  var exitUrl = DEFAULT_EXIT_URL;

  // ---------------------------------------------------------------- storage

  var memoryStore = {};
  function storeGet(key) {
    try { return window.sessionStorage.getItem(key); } catch (e) { return memoryStore[key] || null; }
  }
  function storeSet(key, value) {
    if (exiting) { return; }
    try { window.sessionStorage.setItem(key, value); } catch (e) { memoryStore[key] = value; }
  }
  function storeClear() {
    memoryStore = {};
    try { window.sessionStorage.clear(); } catch (e) { /* nothing stored */ }
  }

  function isHttpUrl(value) {
    if (typeof value !== 'string') { return false; }
    try {
      var u = new URL(value, window.location.href);
      return u.protocol === 'http:' || u.protocol === 'https:';
    } catch (e) { return false; }
  }

  // The same comparison as bot/urgent.py exit_word: lower case, spaces and punctuation
  // trimmed at both ends, runs of spaces made one. Letters of every script count as letters
  // (\p{L}, with the u flag): an ASCII-only \W would trim an Urdu or Arabic word to nothing.
  function exitWord(text) {
    return String(text).toLowerCase()
      .replace(/^[^\p{L}\p{N}\p{M}]+|[^\p{L}\p{N}\p{M}]+$/gu, '').replace(/\s+/g, ' ');
  }
  function isExitWord(text) {
    var word = exitWord(text);
    return word !== '' && exitWords.indexOf(word) !== -1;
  }
  function useExitWords(list) {
    if (Array.isArray(list)) {
      exitWords = list.filter(function (w) { return typeof w === 'string'; }).map(exitWord)
        .filter(function (w) { return w !== ''; });
    }
  }

  function makeSenderId() {
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    var out = '';
    for (var i = 0; i < bytes.length; i++) { out += ('0' + bytes[i].toString(16)).slice(-2); }
    return out;
  }

  var sender = storeGet(SENDER_KEY);
  if (!sender || !/^[A-Za-z0-9-]{8,64}$/.test(sender)) {
    sender = makeSenderId();
    storeSet(SENDER_KEY, sender);
  }

  // -------------------------------------------------------------- quick exit

  function quickExit() {
    if (exiting) { return; }
    var who = sender;
    var log = document.getElementById('chat-log');
    var input = document.getElementById('chat-input');
    try { if (log) { log.textContent = ''; } } catch (e) { /* keep going */ }
    try { if (input) { input.value = ''; } } catch (e) { /* keep going */ }
    exiting = true;
    storeClear();
    try {
      var body = JSON.stringify({ sender: who });
      var sent = navigator.sendBeacon && navigator.sendBeacon('/api/reset', body);
      if (!sent) {
        fetch('/api/reset', { method: 'POST', body: body, keepalive: true,
          headers: { 'Content-Type': 'text/plain' } }).catch(function () {});
      }
    } catch (e) { /* leaving matters more than the reset */ }
    window.location.replace(exitUrl);
  }

  var shiftTimes = [];
  document.addEventListener('keydown', function (event) {
    if ((event.key === 'Escape' || event.key === 'Esc') && !event.isComposing) {
      // (While an input method is composing, Esc only cancels the composition.)
      event.preventDefault();
      quickExit();
      return;
    }
    if (event.key === 'Shift') {
      if (event.repeat) { return; }
      var now = Date.now();
      shiftTimes = shiftTimes.filter(function (t) { return now - t < SHIFT_WINDOW_MS; });
      shiftTimes.push(now);
      if (shiftTimes.length >= 3) { shiftTimes = []; quickExit(); }
      return;
    }
    shiftTimes = [];
  }, true);

  function setUpExitButton() {
    var meta = document.querySelector('meta[name="exit-url"]');
    var wordsMeta = document.querySelector('meta[name="exit-words"]');
    try { useExitWords(JSON.parse(wordsMeta.getAttribute('content'))); } catch (e) { exitWords = []; }
    if (meta && isHttpUrl(meta.getAttribute('content')) && exitWords.length) {
      exitUrl = meta.getAttribute('content');
    } else {
      fetch('/api/config', { headers: { Accept: 'application/json' } })
        .then(function (r) { return r.json(); })
        .then(function (cfg) {
          if (cfg && isHttpUrl(cfg.exit_url)) { exitUrl = cfg.exit_url; }
          if (cfg && !exitWords.length) { useExitWords(cfg.exit_words); }
        })
        .catch(function () {});
    }
    var keys = document.getElementById('exit-keys');
    if (keys && window.matchMedia && window.matchMedia('(any-pointer: fine)').matches) { keys.hidden = false; }
    var button = document.getElementById('quick-exit');
    if (!button) { return; }
    button.setAttribute('href', exitUrl);
    button.addEventListener('click', function (event) { event.preventDefault(); quickExit(); });
    button.addEventListener('keydown', function (event) {
      if (event.key === ' ' || event.key === 'Spacebar') { event.preventDefault(); quickExit(); }
    });
  }

  // ---------------------------------------------------------- safe rendering

  // Text the bot sends may contain phone numbers; they become tel:/sms: links.
  // Groups: 1-4 "text SHOUT (or PANDAS) to 85258"; 5 +44 numbers; 6 UK numbers
  // starting 0; 7 short numbers (116 xxx, 999, 111, 101).
  var LINK_RE = new RegExp([
    '\\b([Tt]ext)\\s+([A-Z][A-Z0-9]{1,15})(?:\\s+or\\s+([A-Z][A-Z0-9]{1,15}))?\\s+to\\s+(\\d{5})\\b',
    '(\\+44\\s?(?:\\(0\\)\\s?)?\\d{2,4}(?:[ -]?\\d{3,6}){1,2})(?!\\d)',
    '\\b(0\\d{2,4}(?:[ -]?\\d{3,6}){1,2})(?!\\d)',
    '\\b(116 ?\\d{3}|999|111|101)(?!\\d)'
  ].join('|'), 'g');

  function telHref(number) {
    var plus = number.trim().charAt(0) === '+';
    var digits = number.replace(/\(0\)/, '').replace(/\D/g, '');
    if (plus) {
      return /^44\d{9,10}$/.test(digits) ? 'tel:+' + digits : null;
    }
    if (/^0\d{9,10}$/.test(digits) || /^0800\d{4}$/.test(digits)) { return 'tel:' + digits; }
    if (/^(116\d{3}|999|111|101)$/.test(digits)) { return 'tel:' + digits; }
    return null;
  }

  function link(href, text, label) {
    var a = document.createElement('a');
    a.href = href;
    a.className = 'phone-link';
    a.dir = 'ltr';  // "0808 2000 247" keeps its order inside right-to-left text
    a.textContent = text;
    if (label) { a.setAttribute('aria-label', label); }
    return a;
  }

  // Append `text` to `parent` as text nodes and phone links. Never parses HTML.
  function appendLinkified(parent, text) {
    var last = 0;
    var m;
    LINK_RE.lastIndex = 0;
    while ((m = LINK_RE.exec(text)) !== null) {
      if (m.index > last) { parent.appendChild(document.createTextNode(text.slice(last, m.index))); }
      if (m[2]) {
        var number = m[4];
        if (!m[3]) {
          parent.appendChild(link('sms:' + number + '?body=' + encodeURIComponent(m[2]), m[0]));
        } else {
          // "text SHOUT or PANDAS to 85258": one link per keyword.
          parent.appendChild(document.createTextNode(m[1] + ' '));
          parent.appendChild(link('sms:' + number + '?body=' + encodeURIComponent(m[2]), m[2],
            textKeyword(m[2], number)));
          parent.appendChild(document.createTextNode(' or '));
          parent.appendChild(link('sms:' + number + '?body=' + encodeURIComponent(m[3]), m[3],
            textKeyword(m[3], number)));
          parent.appendChild(document.createTextNode(' to ' + number));
        }
      } else {
        var found = m[5] || m[6] || m[7];
        var href = telHref(found);
        parent.appendChild(href ? link(href, found) : document.createTextNode(found));
      }
      last = m.index + m[0].length;
    }
    if (last < text.length) { parent.appendChild(document.createTextNode(text.slice(last))); }
  }

  function textKeyword(keyword, number) {
    return word('text_keyword').replace('{keyword}', keyword).replace('{number}', number);
  }

  function hiddenText(text) {
    var span = document.createElement('span');
    span.className = 'visually-hidden';
    // Its own direction, so a message's dir="auto" goes by the message, not by this label.
    span.dir = document.documentElement.dir === 'rtl' ? 'rtl' : 'ltr';
    span.textContent = text;
    return span;
  }

  // ------------------------------------------------------------- transcript

  // Entries: {r: 'user'|'bot', t: text, b: [{title, payload}], unsent: bool}
  var transcript = [];
  try {
    var saved = JSON.parse(storeGet(TRANSCRIPT_KEY) || '[]');
    if (Array.isArray(saved)) {
      transcript = saved.filter(function (e) {
        return e && (e.r === 'user' || e.r === 'bot') && typeof e.t === 'string';
      });
    }
  } catch (e) { transcript = []; }

  function saveTranscript() {
    storeSet(TRANSCRIPT_KEY, JSON.stringify(transcript, function (key, value) {
      return key === 'el' ? undefined : value;
    }));
  }

  var logEl, typingEl, form, input, sendButton;

  function renderEntry(entry) {
    var wrap = document.createElement('div');
    wrap.className = 'entry entry-' + entry.r;
    if (entry.t) {
      var p = document.createElement('p');
      p.className = 'bubble';
      p.dir = 'auto';  // each message reads in its own direction, whatever the page's
      if (entry.r === 'user') {
        p.appendChild(hiddenText(word('you_said')));
        p.appendChild(document.createTextNode(entry.t));
      } else {
        p.appendChild(hiddenText(word('assistant_said')));
        appendLinkified(p, entry.t);
      }
      wrap.appendChild(p);
    }
    if (entry.r === 'user' && entry.unsent) { wrap.appendChild(unsentNote()); }
    if (entry.r === 'bot' && entry.t && isNote(entry.t)) { wrap.appendChild(noteTools(entry.t, wrap)); }
    if (entry.r === 'bot' && entry.b && entry.b.length) { wrap.appendChild(renderChoices(entry)); }
    entry.el = wrap;
    logEl.appendChild(wrap);
    return wrap;
  }

  // The tell-it-once note: the parent can copy, save or print it. All in the browser:
  // nothing is sent anywhere. Its title is the page's note_title in any page language.
  function isNote(text) {
    return noteTitles.concat([word('note_title')]).some(function (title) {
      return title && text.indexOf(title) === 0;
    });
  }

  function noteTools(text, wrap) {
    var tools = document.createElement('div');
    tools.className = 'note-tools';
    tools.setAttribute('role', 'group');
    tools.setAttribute('aria-label', word('note_tools'));
    function tool(label, action) {
      var button = document.createElement('button');
      button.type = 'button';
      button.className = 'note-tool';
      button.textContent = label;
      button.addEventListener('click', action);
      tools.appendChild(button);
      return button;
    }
    var copy = tool(word('copy_note'), function () {
      if (navigator.clipboard) {
        navigator.clipboard.writeText(text).then(function () { copy.textContent = word('copied'); }, function () {});
      }
    });
    tool(word('save_note'), function () {
      var a = document.createElement('a');
      a.href = URL.createObjectURL(new Blob([text + '\n'], { type: 'text/plain' }));
      a.download = 'note-for-the-next-service.txt';
      document.body.appendChild(a);
      a.click();
      a.remove();
      setTimeout(function () { URL.revokeObjectURL(a.href); }, 1000);
    });
    tool(word('print_note'), function () {
      wrap.classList.add('print-target');
      document.body.classList.add('printing-note');
      window.print();
      document.body.classList.remove('printing-note');
      wrap.classList.remove('print-target');
    });
    return tools;
  }

  function unsentNote() {
    var note = document.createElement('p');
    note.className = 'unsent-note';
    note.textContent = word('not_sent');
    return note;
  }

  function renderChoices(entry) {
    var group = document.createElement('div');
    group.className = 'choices';
    group.setAttribute('role', 'group');
    group.setAttribute('aria-label', word('choose_answer'));
    entry.b.forEach(function (b) {
      var button = document.createElement('button');
      button.type = 'button';
      button.className = 'choice';
      button.dir = 'auto';
      button.textContent = b.title;
      button.addEventListener('click', function (event) { choose(b, event.detail === 0); });
      group.appendChild(button);
    });
    return group;
  }

  // Once the parent answers, earlier buttons go away (they stay in history as text).
  // Returns what was removed so it can come back if sending fails.
  function clearChoices() {
    var removed = [];
    transcript.forEach(function (entry) {
      if (entry.r === 'bot' && entry.b && entry.b.length) {
        removed.push({ entry: entry, buttons: entry.b });
        entry.b = [];
        var group = entry.el && entry.el.querySelector('.choices');
        if (group) { group.remove(); }
      }
    });
    saveTranscript();
    return removed;
  }

  function restoreChoices(removed) {
    removed.forEach(function (item) {
      if (transcript.indexOf(item.entry) === -1 || !item.entry.el) { return; }
      item.entry.b = item.buttons;
      item.entry.el.appendChild(renderChoices(item.entry));
    });
    saveTranscript();
  }

  function addEntry(entry) {
    transcript.push(entry);
    saveTranscript();
    return renderEntry(entry);
  }

  function addNotice(text) {
    var wrap = document.createElement('div');
    wrap.className = 'entry entry-notice';
    var p = document.createElement('p');
    p.className = 'bubble';
    p.dir = 'auto';
    p.appendChild(hiddenText(word('notice')));
    appendLinkified(p, text);
    wrap.appendChild(p);
    logEl.appendChild(wrap);
    reveal(wrap);
    return wrap;
  }

  function setTyping(on) {
    if (!typingEl) { return; }
    typingEl.textContent = '';
    typingEl.classList.toggle('is-typing', on);
    if (!on) { return; }
    var dots = document.createElement('span');
    dots.className = 'typing-dots';
    dots.setAttribute('aria-hidden', 'true');
    for (var i = 0; i < 3; i++) { dots.appendChild(document.createElement('span')); }
    typingEl.appendChild(dots);
    typingEl.appendChild(hiddenText(word('typing')));
  }

  // Keep the newest message and the message box in view, never hiding the start
  // of a long reply under the sticky header. Does nothing if it is already visible.
  function reveal(el) {
    if (!el || !el.getBoundingClientRect) { return; }
    var header = document.querySelector('.site-header');
    var headerBottom = header ? header.getBoundingClientRect().bottom : 0;
    var viewHeight = window.innerHeight || document.documentElement.clientHeight;
    var rect = el.getBoundingClientRect();
    if (rect.top >= headerBottom && rect.bottom <= viewHeight) { return; }
    var composer = document.getElementById('chat-form');
    if (composer && composer.scrollIntoView) { composer.scrollIntoView({ block: 'end' }); }
    var top = el.getBoundingClientRect().top;
    if (top < headerBottom + 8) { window.scrollBy(0, top - headerBottom - 8); }
  }

  // ----------------------------------------------------------------- network

  function sleep(ms) { return new Promise(function (resolve) { setTimeout(resolve, ms); }); }

  function HttpError(status, body) { this.status = status; this.body = body; }

  // `id` names this message: a retry sends the same id, so the server never passes it on twice.
  function postChat(message, id) {
    var controller = window.AbortController ? new AbortController() : null;
    var timer = controller ? setTimeout(function () { controller.abort(); }, REQUEST_TIMEOUT_MS) : null;
    return fetch('/api/chat', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify({ sender: sender, message: message, id: id }),
      signal: controller ? controller.signal : undefined
    }).then(function (resp) {
      return resp.json().catch(function () { return null; }).then(function (body) {
        if (!resp.ok) { throw new HttpError(resp.status, body); }
        return Array.isArray(body) ? body : [];
      });
    }).finally(function () { if (timer) { clearTimeout(timer); } });
  }

  // Forget me: the chat goes from the screen and from this tab, and a new conversation
  // id is used from now on.
  function clearChat() {
    transcript.forEach(function (entry) { if (entry.el) { entry.el.remove(); } });
    transcript = [];
    if (logEl) { logEl.textContent = ''; }
    storeClear();
    sender = makeSenderId();
    storeSet(SENDER_KEY, sender);
    if (pageLanguage !== 'en') {
      // The new conversation carries on in the page's language.
      storeSet(LANGUAGE_KEY, pageLanguage);
      var choice = CHOOSE_LANGUAGE_PAYLOAD + JSON.stringify({ language: pageLanguage });
      enqueue(function () { return deliver(choice, true); });
    }
  }

  function renderReplies(replies, quiet) {
    var first = null;
    var asks = replies.map(function (r) { return r && typeof r === 'object' ? r.page : null; });
    if (asks.indexOf('leave') !== -1) { quickExit(); return; }
    if (asks.indexOf('clear') !== -1) { clearChat(); }
    // The assistant says which language the conversation is in (a choice, or found from
    // what the parent wrote): the page's own words follow it.
    replies.forEach(function (r) {
      if (r && typeof r.language === 'string') { followLanguage(r.language); }
    });
    replies.forEach(function (reply) {
      if (!reply || typeof reply !== 'object') { return; }
      var text = typeof reply.text === 'string' ? reply.text : '';
      var buttons = Array.isArray(reply.buttons) ? reply.buttons.filter(function (b) {
        return b && typeof b.title === 'string' && typeof b.payload === 'string';
      }).map(function (b) { return { title: b.title, payload: b.payload }; }) : [];
      if (!text && !buttons.length) { return; }
      var el = addEntry({ r: 'bot', t: text, b: buttons });
      if (!first) { first = el; }
    });
    if (first && !quiet) { reveal(first); }
  }

  // Sends one message, retrying with backoff. Resolves to true when delivered,
  // false when refused (a 4xx answer is shown, not retried) and null when every
  // retry failed. `quiet` leaves the scroll position alone (the first greeting).
  function deliver(message, quiet) {
    var id = makeSenderId();
    var attempt = 0;
    var troubled = false;
    function tryOnce() {
      if (exiting) { return Promise.resolve(false); }
      setTyping(true);
      return postChat(message, id).then(function (replies) {
        setTyping(false);
        if (exiting) { return false; }
        if (troubled) { addNotice(word('back_again')); }
        renderReplies(replies, quiet);
        return true;
      }, function (err) {
        setTyping(false);
        if (exiting) { return false; }
        if (err instanceof HttpError && err.status >= 400 && err.status < 500) {
          var msg = err.body && typeof err.body.message === 'string' ? err.body.message
            : word('send_failed');
          addNotice(msg);
          return false;
        }
        if (!troubled) { troubled = true; addNotice(word('connection_trouble')); }
        if (attempt >= RETRY_DELAYS_MS.length) { return null; }
        var delay = RETRY_DELAYS_MS[attempt];
        attempt += 1;
        return sleep(delay).then(tryOnce);
      });
    }
    return tryOnce();
  }

  var queue = Promise.resolve();
  function enqueue(task) {
    queue = queue.then(task, task);
    return queue;
  }

  // Shows `label` as the parent's message and delivers `payload`. When it can't be sent, the
  // message is marked not sent, `afterFailure` runs, the choices come back, and if every
  // retry failed `gaveUpText` says so.
  function send(label, payload, gaveUpText, afterFailure) {
    var removed = clearChoices();
    var entry = { r: 'user', t: label, b: [] };
    reveal(addEntry(entry));
    enqueue(function () {
      return deliver(payload).then(function (ok) {
        if (ok || exiting) { return; }
        entry.unsent = true;
        saveTranscript();
        if (entry.el) { entry.el.appendChild(unsentNote()); }
        if (afterFailure) { afterFailure(); }
        restoreChoices(removed);
        if (ok === null) { addNotice(gaveUpText); }
      });
    });
  }

  function sendText(text) {
    if (isExitWord(text)) { quickExit(); return; }
    send(text, text, word('gave_up'), function () {
      // Never lose what the parent typed: put it back in the box.
      input.value = input.value.trim() ? text + '\n' + input.value : text;
    });
  }

  function choose(button, byKeyboard) {
    if (button.payload.indexOf(EXIT_PAYLOAD) === 0) { quickExit(); return; }
    send(button.title, button.payload, word('gave_up_choice'));
    // Keyboard users land in the message box, not at the top of the page.
    if (byKeyboard && input) { input.focus({ preventScroll: true }); }
  }

  // --------------------------------------------------------------- language

  // Puts the page's own words in the language of `data` (GET /api/words): every element
  // marked data-word, the labels marked data-word-label, and "Call {number}." with its link.
  function showWords(data) {
    if (!useWords(data)) { return; }
    var root = document.documentElement;
    root.lang = data.lang;
    root.dir = data.dir === 'rtl' ? 'rtl' : 'ltr';
    document.querySelectorAll('[data-word]').forEach(function (el) {
      var key = el.getAttribute('data-word');
      if (typeof words[key] === 'string') { el.textContent = words[key]; }
    });
    document.querySelectorAll('[data-word-label]').forEach(function (el) {
      var key = el.getAttribute('data-word-label');
      if (typeof words[key] === 'string') { el.setAttribute('aria-label', words[key]); }
    });
    document.querySelectorAll('[data-word-call]').forEach(function (el) {
      var parts = word(el.getAttribute('data-word-call')).split('{number}');
      el.textContent = '';
      el.appendChild(document.createTextNode(parts[0]));
      var a = document.createElement('a');
      a.className = 'urgent-link';
      a.href = 'tel:999';
      a.textContent = '999';
      el.appendChild(a);
      el.appendChild(document.createTextNode(parts.slice(1).join('{number}')));
    });
    document.querySelectorAll('a[data-language]').forEach(function (a) {
      if (a.getAttribute('data-language') === data.lang) {
        a.setAttribute('aria-current', 'true');
      } else {
        a.removeAttribute('aria-current');
      }
    });
    try { window.history.replaceState(null, '', '/?lang=' + encodeURIComponent(data.lang)); } catch (e) { /* the address stays */ }
  }

  function fetchWords(code) {
    return fetch('/api/words?lang=' + encodeURIComponent(code), { headers: { Accept: 'application/json' } })
      .then(function (r) {
        if (!r.ok) { throw new HttpError(r.status, null); }
        return r.json();
      });
  }

  // The parent chose a language from the page's list: the page's words change now, and the
  // assistant is told, as if the parent had pressed a button with the language's name.
  function chooseLanguage(code, name) {
    if (code === pageLanguage || exiting) { return; }
    fetchWords(code).then(function (data) {
      if (exiting || !data || data.lang !== code) { return; }
      showWords(data);
      storeSet(LANGUAGE_KEY, code);
      send(name, CHOOSE_LANGUAGE_PAYLOAD + JSON.stringify({ language: code }), word('gave_up_choice'));
    }, function () {
      if (!exiting) { addNotice(word('send_failed')); }
    });
  }

  function followLanguage(code) {
    if (code === pageLanguage || exiting) { return; }
    fetchWords(code).then(function (data) {
      if (!exiting && data && data.lang === code) {
        showWords(data);
        storeSet(LANGUAGE_KEY, code);
      }
    }, function () {});
  }

  function setUpLanguages() {
    document.querySelectorAll('a[data-language]').forEach(function (a) {
      a.addEventListener('click', function (event) {
        if (event.ctrlKey || event.metaKey || event.shiftKey || event.altKey) { return; }
        event.preventDefault();
        chooseLanguage(a.getAttribute('data-language'), a.textContent);
      });
    });
    // A new page in this tab (say, the address without ?lang=) keeps the tab's language.
    var kept = storeGet(LANGUAGE_KEY);
    var asked = new URLSearchParams(window.location.search).get('lang');
    if (kept && !asked && kept !== pageLanguage) {
      fetchWords(kept).then(function (data) {
        if (!exiting && data && data.lang === kept) { showWords(data); }
      }, function () {});
    } else if (pageLanguage !== 'en' || kept) {
      storeSet(LANGUAGE_KEY, pageLanguage);
    }
  }

  // -------------------------------------------------------------------- init

  function init() {
    setUpExitButton();
    setUpLanguages();
    logEl = document.getElementById('chat-log');
    typingEl = document.getElementById('chat-typing');
    form = document.getElementById('chat-form');
    input = document.getElementById('chat-input');
    sendButton = document.getElementById('chat-send');
    if (!logEl || !form || !input) { return; }

    transcript.forEach(renderEntry);

    form.addEventListener('submit', function (event) {
      event.preventDefault();
      var text = input.value;
      if (!text.trim()) { input.value = ''; input.focus(); return; }
      input.value = '';
      sendText(text.trim());
      input.focus({ preventScroll: true });
    });
    input.addEventListener('keydown', function (event) {
      if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
        event.preventDefault();
        if (form.requestSubmit) { form.requestSubmit(sendButton); } else { sendButton.click(); }
      }
    });

    if (!transcript.length) {
      // A page opened in another language (/?lang=pl) is greeted in it: the greeting carries
      // the language entity, which sets the assistant's language slot in the same turn.
      var greet = GREET_PAYLOAD + (pageLanguage !== 'en' ? JSON.stringify({ language: pageLanguage }) : '');
      enqueue(function () { return deliver(greet, true); });
    } else if (logEl.lastElementChild) {
      reveal(logEl.lastElementChild);
    }
  }

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', init);
  } else {
    init();
  }
})();
