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
 */
(function () {
  'use strict';

  var SENDER_KEY = 'fsp-chat-sender';
  var TRANSCRIPT_KEY = 'fsp-chat-transcript';
  var DEFAULT_EXIT_URL = 'https://www.bbc.co.uk/weather';
  var RETRY_DELAYS_MS = [1000, 2000, 4000];
  var REQUEST_TIMEOUT_MS = 15000;
  var SHIFT_WINDOW_MS = 1000;
  var GREET_PAYLOAD = '/greet';
  var EXIT_PAYLOAD = '/quick_exit';
  var exitWords = [];

  var CONNECTION_TROUBLE =
    "Sorry, I can't connect just now. I'll keep trying.\n" +
    'If you are in danger now, call 999. If you can\'t speak, call 999 from a mobile, then press 55.\n' +
    'National Domestic Abuse Helpline (for women): 0808 2000 247 (24 hours).\n' +
    'Men\'s Advice Line: 0808 801 0327.\n' +
    'Samaritans: 116 123 (24 hours).';
  var GAVE_UP_TEXT =
    "I still can't connect. Your message is back in the box below, so you can send it again when you're ready.";
  var GAVE_UP_CHOICE_TEXT =
    "I still can't connect. You can choose again when you're ready.";
  var BACK_AGAIN = "I'm connected again.";

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
            'Text ' + m[2] + ' to ' + number));
          parent.appendChild(document.createTextNode(' or '));
          parent.appendChild(link('sms:' + number + '?body=' + encodeURIComponent(m[3]), m[3],
            'Text ' + m[3] + ' to ' + number));
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

  function hiddenText(text) {
    var span = document.createElement('span');
    span.className = 'visually-hidden';
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
      if (entry.r === 'user') {
        p.appendChild(hiddenText('You said: '));
        p.appendChild(document.createTextNode(entry.t));
      } else {
        p.appendChild(hiddenText('Assistant said: '));
        appendLinkified(p, entry.t);
      }
      wrap.appendChild(p);
    }
    if (entry.r === 'user' && entry.unsent) { wrap.appendChild(unsentNote()); }
    if (entry.r === 'bot' && entry.t && entry.t.indexOf(NOTE_TITLE) === 0) { wrap.appendChild(noteTools(entry.t, wrap)); }
    if (entry.r === 'bot' && entry.b && entry.b.length) { wrap.appendChild(renderChoices(entry)); }
    entry.el = wrap;
    logEl.appendChild(wrap);
    return wrap;
  }

  // The tell-it-once note: the parent can copy, save or print it. All in the browser:
  // nothing is sent anywhere.
  var NOTE_TITLE = 'Note for the next service';

  function noteTools(text, wrap) {
    var tools = document.createElement('div');
    tools.className = 'note-tools';
    tools.setAttribute('role', 'group');
    tools.setAttribute('aria-label', 'Keep your note');
    function tool(label, action) {
      var button = document.createElement('button');
      button.type = 'button';
      button.className = 'note-tool';
      button.textContent = label;
      button.addEventListener('click', action);
      tools.appendChild(button);
      return button;
    }
    var copy = tool('Copy note', function () {
      if (navigator.clipboard) {
        navigator.clipboard.writeText(text).then(function () { copy.textContent = 'Copied'; }, function () {});
      }
    });
    tool('Save note', function () {
      var a = document.createElement('a');
      a.href = URL.createObjectURL(new Blob([text + '\n'], { type: 'text/plain' }));
      a.download = 'note-for-the-next-service.txt';
      document.body.appendChild(a);
      a.click();
      a.remove();
      setTimeout(function () { URL.revokeObjectURL(a.href); }, 1000);
    });
    tool('Print note', function () {
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
    note.textContent = 'Not sent';
    return note;
  }

  function renderChoices(entry) {
    var group = document.createElement('div');
    group.className = 'choices';
    group.setAttribute('role', 'group');
    group.setAttribute('aria-label', 'Choose an answer');
    entry.b.forEach(function (b) {
      var button = document.createElement('button');
      button.type = 'button';
      button.className = 'choice';
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
    p.appendChild(hiddenText('Notice: '));
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
    typingEl.appendChild(hiddenText('The assistant is typing'));
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
  }

  function renderReplies(replies, quiet) {
    var first = null;
    var asks = replies.map(function (r) { return r && typeof r === 'object' ? r.page : null; });
    if (asks.indexOf('leave') !== -1) { quickExit(); return; }
    if (asks.indexOf('clear') !== -1) { clearChat(); }
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
        if (troubled) { addNotice(BACK_AGAIN); }
        renderReplies(replies, quiet);
        return true;
      }, function (err) {
        setTyping(false);
        if (exiting) { return false; }
        if (err instanceof HttpError && err.status >= 400 && err.status < 500) {
          var msg = err.body && typeof err.body.message === 'string' ? err.body.message
            : 'Sorry, something went wrong sending that. Please try again.';
          addNotice(msg);
          return false;
        }
        if (!troubled) { troubled = true; addNotice(CONNECTION_TROUBLE); }
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
    send(text, text, GAVE_UP_TEXT, function () {
      // Never lose what the parent typed: put it back in the box.
      input.value = input.value.trim() ? text + '\n' + input.value : text;
    });
  }

  function choose(button, byKeyboard) {
    if (button.payload.indexOf(EXIT_PAYLOAD) === 0) { quickExit(); return; }
    send(button.title, button.payload, GAVE_UP_CHOICE_TEXT);
    // Keyboard users land in the message box, not at the top of the page.
    if (byKeyboard && input) { input.focus({ preventScroll: true }); }
  }

  // -------------------------------------------------------------------- init

  function init() {
    setUpExitButton();
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
      enqueue(function () { return deliver(GREET_PAYLOAD, true); });
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
