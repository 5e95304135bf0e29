"""Shared fixtures for the web chat browser tests.

The real ``bot/web/server.py`` runs in a subprocess on a free port. Behind it sits
a FAKE Rasa REST server (``http.server`` in a thread) that answers
deterministically and records every message it gets, so tests can check, say,
that quick exit reset the conversation. The same little server also plays the
"neutral site" that quick exit goes to (``/neutral``) and a page the parent was on
before (``/before``).

Set ``CHAT_E2E_RASA_URL`` to point the web server at a real Rasa instead; tests
that depend on the fake's scripted replies then skip.

Chromium comes from Debian (``apt-get install -y chromium``); Playwright can't
download its own browser here.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SENDER_KEY = "fsp-chat-sender"
REAL_RASA_URL = os.environ.get("CHAT_E2E_RASA_URL", "").strip()
# The web server signs conversation cookies with this key in tests, so a test can work out
# which Rasa sender id a page's conversation has (bot.web.server.sender_id).
WEB_SECRET = "browser-tests-only-" + "0" * 32
# As scripts/run.sh: the web server runs in its own environment when `make setup` made it.
WEB_PYTHON = (
    REPO / ".venv-web" / "bin" / "python"
    if (REPO / ".venv-web" / "bin" / "python").exists()
    else Path(sys.executable)
)
COOKIE_NAME = "fsp_conversation"
MENTOR_TOKEN = "browser-tests-mentor-sign-in-code"
# The page's languages: every file in bot/words/languages/ once there are any, else this
# folder's fixtures (page words only), so the language tests always have something to drive;
# PAGE_LANGUAGES_DIR set before the tests names another folder. The web servers started here,
# and bot.web.page_words in this process, read the same folder.
REAL_LANGUAGES = REPO / "bot" / "words" / "languages"
FIXTURE_LANGUAGES = Path(__file__).resolve().parent / "fixtures" / "languages"
LANGUAGES_DIR = Path(
    os.environ.get("PAGE_LANGUAGES_DIR")
    or (REAL_LANGUAGES if any(REAL_LANGUAGES.glob("*.yml")) else FIXTURE_LANGUAGES)
)
os.environ["PAGE_LANGUAGES_DIR"] = str(LANGUAGES_DIR)

GREETING = (
    "Hello. I'm an automated assistant, not a person.\n"
    "I can help you find support near you. What would help most right now?"
)
AREA_QUESTION = "Which area are you in? It helps me show local services. You can skip this."
PHONES_TEXT = (
    "You could call the National Domestic Abuse Helpline on 0808 2000 247 (24 hours).\n"
    "Samaritans: 116 123. Family Line: 0300 100 0212.\n"
    "Leeds family hub: 0113 496 0123. London office: 020 7946 0123. Mobile: 07700 900123.\n"
    "In danger now? Call 999. Can't speak? Call 999, then press 55. NHS: 111.\n"
    "You could text SHOUT to 85258, or Text PANDAS to 85258."
)
BTN_FOOD = {"title": "Food", "payload": "/need_food"}
BTN_LEAVE = {"title": "Leave", "payload": "/quick_exit"}
BTN_SKIP = {"title": "I'd rather not say", "payload": "/skip"}
# axe-core comes from `npm ci` (package-lock.json); the chat page is checked against WCAG 2.2 AA
# and axe's best practices.
AXE_PATH = REPO / "node_modules" / "axe-core" / "axe.min.js"
AXE_WCAG_TAGS = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice")
# The keys that leave the chat from the message box, whatever the language.
EXIT_KEYS = ("escape", "shift_x3")


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "browser: drives the web chat in headless Chromium (needs /usr/bin/chromium)"
    )


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until(predicate, timeout: float = 10.0, interval: float = 0.05, what: str = "condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = predicate()
        if result:
            return result
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout}s waiting for {what}")


# --------------------------------------------------------------------------- fake Rasa


def _bot(sender: str, text: str, buttons: list[dict] | None = None) -> dict:
    msg = {"recipient_id": sender, "text": text}
    if buttons:
        msg["buttons"] = buttons
    return msg


def _language(code: str) -> dict:
    # As Rasa sends utter_language_chosen: the custom part alone.
    return {"recipient_id": "", "custom": {"language": code, "direction": "ltr"}}


def scripted_reply(sender: str, message: str) -> list[dict]:
    if message == "/greet":
        return [_bot(sender, GREETING, [BTN_FOOD, BTN_LEAVE])]
    if message.startswith("/greet{"):
        code = json.loads(message[len("/greet") :]).get("language")
        return [_bot(sender, f"{GREETING} [{code}]", [BTN_FOOD, BTN_LEAVE])]
    if message == "cześć, potrzebuję pomocy":  # the assistant finds the language itself
        return [_language("pl"), _bot(sender, "Language found: pl")]
    if message.startswith("/say_language "):  # any language code, for the server's filter
        return [_language(message.split()[1]), _bot(sender, "ok")]
    if message == "/need_food":
        return [
            _bot(
                sender,
                AREA_QUESTION,
                [
                    {"title": "Bradford", "payload": '/inform{"area": "Bradford"}'},
                    {"title": "Leeds", "payload": '/inform{"area": "Leeds"}'},
                    {"title": "Skip", "payload": "/skip"},
                ],
            )
        ]
    if message.startswith("/inform"):
        return [_bot(sender, "Here are food services near you.\nBradford Food Bank: 01274 000000.")]
    if message == "/quick_exit":
        return []
    if message.startswith("/choose_language"):
        code = json.loads(message[len("/choose_language") :] or "{}").get("language")
        return [_language(code), _bot(sender, f"Language chosen: {code}")]
    # As Rasa sends a domain response with `custom`: the text, then the custom part alone.
    if message == "take me away from this":  # the classifier's quick exit, not an exit word
        return [
            _bot(sender, "Goodbye. Take care."),
            {"recipient_id": sender, "custom": {"page": "leave"}},
        ]
    if message == "forget me":
        return [
            _bot(sender, "Done. I've deleted this chat."),
            {"recipient_id": sender, "custom": {"page": "clear"}},
        ]
    if message == "slow":
        time.sleep(2)
        return [_bot(sender, "Sorry to keep you waiting.")]
    if message == "phones":
        return [_bot(sender, PHONES_TEXT)]
    if message == "sms-or":
        return [_bot(sender, "If you'd like, text SHOUT or PANDAS to 85258 at any time.")]
    if message == "two":
        return [_bot(sender, "First message."), _bot(sender, "Second message.", [BTN_FOOD])]
    if "<" in message:
        # Hostile text comes straight back, as text and as a button title.
        return [_bot(sender, message, [{"title": message, "payload": "/hostile"}])]
    return [
        _bot(
            sender,
            f"Thanks. I heard: {message}\nWhat would help most right now?",
            [BTN_FOOD, BTN_SKIP],
        )
    ]


NEUTRAL_HTML = (
    "<!doctype html><html lang='en'><head><meta charset='utf-8'><title>Weather</title></head>"
    "<body><h1>Weather forecast</h1><p>Sunny spells.</p></body></html>"
)
BEFORE_HTML = (
    "<!doctype html><html lang='en'><head><meta charset='utf-8'><title>Recipes</title></head>"
    "<body><h1>Recipes</h1><p>A page the parent was on before.</p></body></html>"
)


class _FakeRasaHandler(BaseHTTPRequestHandler):
    server: _FakeHTTPServer

    def log_message(self, format, *args):  # noqa: A002 - quiet
        pass

    def _send(self, status: int, body: bytes, content_type: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):  # noqa: N802
        if self.path == "/neutral":
            self._send(200, NEUTRAL_HTML.encode(), "text/html; charset=utf-8")
        elif self.path == "/before":
            self._send(200, BEFORE_HTML.encode(), "text/html; charset=utf-8")
        else:
            self._send(404, b"not found", "text/plain")

    def do_POST(self):  # noqa: N802
        if self.path != "/webhooks/rest/webhook":
            self._send(404, b"not found", "text/plain")
            return
        length = int(self.headers.get("Content-Length", "0"))
        data = json.loads(self.rfile.read(length) or b"{}")
        sender, message = data.get("sender", ""), data.get("message", "")
        self.server.fake.record(sender, message)
        body = json.dumps(scripted_reply(sender, message)).encode()
        self._send(200, body, "application/json")


class _FakeHTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    fake: FakeRasa


class FakeRasa:
    """A tiny stand-in for Rasa's REST channel that records what it receives."""

    def __init__(self) -> None:
        self.received: list[tuple[str, str]] = []
        self._lock = threading.Lock()
        self._server: _FakeHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self.port = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, port: int = 0) -> FakeRasa:
        self._server = _FakeHTTPServer(("127.0.0.1", port or self.port), _FakeRasaHandler)
        self._server.fake = self
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def record(self, sender: str, message: str) -> None:
        with self._lock:
            self.received.append((sender, message))

    def messages_for(self, sender: str) -> list[str]:
        with self._lock:
            return [m for s, m in self.received if s == sender]

    def wait_for(self, sender: str, message: str, timeout: float = 5.0) -> None:
        wait_until(
            lambda: message in self.messages_for(sender),
            timeout=timeout,
            what=f"fake Rasa to receive {message!r}",
        )


# ------------------------------------------------------------------------- web server


def rasa_sender(cookie_value: str, tab: str) -> str:
    """The Rasa sender id the web server uses for this cookie and tab id."""
    from bot.web.server import cookie_ident, sender_id

    ident = cookie_ident(WEB_SECRET.encode(), cookie_value or "")
    assert ident, "the server set a signed conversation cookie"
    return sender_id(WEB_SECRET.encode(), ident, tab)


def mentor_sign_in(page, base_url: str) -> None:
    """Open /mentor as a family mentor: the sign-in page first, then the mentors' view."""
    page.goto(base_url + "/mentor")
    page.get_by_label("Sign-in code").fill(MENTOR_TOKEN)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(base_url + "/mentor")


def page_sender(page) -> str:
    """The Rasa sender id of a page's conversation: the server's cookie id with the tab's id."""
    cookie = next((c["value"] for c in page.context.cookies() if c["name"] == COOKIE_NAME), "")
    return rasa_sender(cookie, page.evaluate(f"sessionStorage.getItem({SENDER_KEY!r})"))


@dataclass
class WebServer:
    url: str
    log_path: Path
    process: subprocess.Popen = field(repr=False)

    def log_text(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)


def start_web_server(
    rasa_url: str,
    exit_url: str,
    log_path: Path,
    *,
    use_env: bool = False,
    extra_env: dict | None = None,
) -> WebServer:
    """Start ``python -m bot.web.server`` on a free port and wait until it answers."""
    port = free_port()
    cmd = [str(WEB_PYTHON), "-m", "bot.web.server"]
    env = dict(
        os.environ,
        PYTHONUNBUFFERED="1",
        WEB_SECRET=WEB_SECRET,
        MENTOR_TOKEN=MENTOR_TOKEN,
        PAGE_LANGUAGES_DIR=str(LANGUAGES_DIR),
        **(extra_env or {}),
    )
    if use_env:
        env.update(WEB_PORT=str(port), WEB_HOST="127.0.0.1", RASA_URL=rasa_url, EXIT_URL=exit_url)
    else:
        cmd += ["--port", str(port), "--host", "127.0.0.1"]
        cmd += ["--rasa-url", rasa_url, "--exit-url", exit_url]
    log_file = open(log_path, "w", encoding="utf-8")  # noqa: SIM115 - closed with the process
    process = subprocess.Popen(
        cmd, cwd=REPO, env=env, stdout=log_file, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL
    )
    log_file.close()
    server = WebServer(url=f"http://127.0.0.1:{port}", log_path=log_path, process=process)

    def ready() -> bool:
        if process.poll() is not None:
            raise AssertionError(f"web server exited early:\n{server.log_text()}")
        try:
            with urllib.request.urlopen(server.url + "/api/config", timeout=1) as resp:
                return resp.status == 200
        except (urllib.error.URLError, OSError):
            return False

    try:
        wait_until(ready, timeout=20, interval=0.1, what="the web server to start")
    except BaseException:
        server.stop()
        raise
    return server


@pytest.fixture
def make_fake_rasa():
    """Factory: start an extra fake Rasa (stopped after the test)."""
    fakes: list[FakeRasa] = []

    def make() -> FakeRasa:
        fake = FakeRasa().start()
        fakes.append(fake)
        return fake

    yield make
    for fake in fakes:
        fake.stop()


@pytest.fixture
def make_web_server(tmp_path):
    """Factory: start an extra web server (stopped after the test)."""
    servers: list[WebServer] = []

    def make(
        rasa_url: str, exit_url: str, *, use_env: bool = False, extra_env: dict | None = None
    ) -> WebServer:
        log_path = tmp_path / f"server-{len(servers)}.log"
        server = start_web_server(
            rasa_url, exit_url, log_path, use_env=use_env, extra_env=extra_env
        )
        servers.append(server)
        return server

    yield make
    for server in servers:
        server.stop()


def wait_for_no_cookies(context) -> None:
    """The browser holds no cookie. The reset's reply deletes the conversation cookie, and it
    can reach the browser a moment after Rasa has the reset, so this waits for it."""
    wait_until(lambda: context.cookies() == [], what="the conversation cookie to be deleted")


@pytest.fixture(name="wait_until")
def wait_until_fixture():
    return wait_until


@pytest.fixture(scope="session")
def fake_rasa():
    fake = FakeRasa().start()
    yield fake
    fake.stop()


@pytest.fixture(scope="session")
def neutral_url(fake_rasa) -> str:
    return fake_rasa.url + "/neutral"


@pytest.fixture(scope="session")
def before_url(fake_rasa) -> str:
    return fake_rasa.url + "/before"


@pytest.fixture(scope="session")
def using_fake() -> bool:
    return not REAL_RASA_URL


@pytest.fixture
def needs_fake(using_fake):
    if not using_fake:
        pytest.skip("depends on the fake Rasa's scripted replies (CHAT_E2E_RASA_URL is set)")


@pytest.fixture(scope="session")
def web_server(fake_rasa, neutral_url, tmp_path_factory):
    rasa_url = REAL_RASA_URL or fake_rasa.url
    server = start_web_server(rasa_url, neutral_url, tmp_path_factory.mktemp("web") / "server.log")
    yield server
    server.stop()


# ---------------------------------------------------------------------------- browser


@pytest.fixture(scope="session")
def playwright_instance():
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is missing: install it with `apt-get install -y chromium`")
    from playwright.sync_api import sync_playwright

    pw = sync_playwright().start()
    yield pw
    pw.stop()


@pytest.fixture(scope="session")
def browser(playwright_instance):
    b = playwright_instance.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    yield b
    b.close()


@pytest.fixture
def new_context(browser):
    """Factory for extra browser contexts (viewport, reduced motion, bypass_csp...)."""
    contexts = []

    def make(**kwargs):
        kwargs.setdefault("viewport", {"width": 1024, "height": 768})
        ctx = browser.new_context(**kwargs)
        ctx.set_default_timeout(10_000)
        contexts.append(ctx)
        return ctx

    yield make
    for ctx in contexts:
        ctx.close()


@pytest.fixture
def context(new_context):
    return new_context()


def axe_violations(page, tags: tuple[str, ...] | None = AXE_WCAG_TAGS) -> list[dict]:
    """What axe-core finds wrong with the page as it is now (all of axe's rules when `tags` is
    None). The page must come from a context made with bypass_csp=True: its CSP rightly blocks
    injected scripts."""
    if not page.evaluate("typeof axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE_PATH))
    return page.evaluate(
        """async (tags) => {
          const options = {resultTypes: ['violations']};
          if (tags) options.runOnly = {type: 'tag', values: tags};
          const r = await axe.run(document, options);
          return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                                         nodes: v.nodes.map(n => n.target.join(' '))}));
        }""",
        list(tags) if tags else None,
    )


@pytest.fixture
def axe():
    """`axe_violations`, or a skip when axe-core is not installed."""
    if not AXE_PATH.exists():
        pytest.skip(f"axe-core not installed at {AXE_PATH}: run `npm ci` in the repository root")
    return axe_violations


class PageWatch:
    """Collects dialogs, console errors and uncaught page errors."""

    def __init__(self, page) -> None:
        self.dialogs: list[str] = []
        self.console_errors: list[str] = []
        self.page_errors: list[str] = []
        page.on("dialog", self._on_dialog)
        page.on("console", self._on_console)
        page.on("pageerror", lambda err: self.page_errors.append(str(err)))

    def _on_dialog(self, dialog) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def _on_console(self, msg) -> None:
        if msg.type == "error":
            self.console_errors.append(msg.text)


class Chat:
    """Small driver for the chat page."""

    def __init__(self, page, web: WebServer) -> None:
        self.page = page
        self.web = web
        self.watch = PageWatch(page)

    @property
    def log(self):
        return self.page.locator("#chat-log")

    @property
    def input(self):
        return self.page.locator("#chat-input")

    def bot_bubbles(self):
        return self.page.locator("#chat-log .entry-bot .bubble")

    def user_bubbles(self):
        return self.page.locator("#chat-log .entry-user .bubble")

    def choices(self):
        return self.page.locator("#chat-log button.choice")

    def open(self, path: str = "/", wait_for_greeting: bool = True) -> Chat:
        self.page.goto(self.web.url + path)
        if wait_for_greeting:
            self.bot_bubbles().first.wait_for(state="visible")
        return self

    def send(self, text: str) -> None:
        self.input.fill(text)
        self.input.press("Enter")

    def press_exit_keys(self, how: str) -> None:
        """Leave with the keyboard from the message box: "escape", or "shift_x3" (Shift three
        times)."""
        self.input.focus()
        if how == "escape":
            self.page.keyboard.press("Escape")
        elif how == "shift_x3":
            for _ in range(3):
                self.page.keyboard.press("Shift")
        else:  # pragma: no cover
            raise ValueError(how)

    def wait_for_bot(self, text: str, timeout: float = 10_000):
        from playwright.sync_api import expect

        bubble = self.bot_bubbles().filter(has_text=text).last
        expect(bubble).to_be_visible(timeout=timeout)
        return bubble

    def tab_id(self) -> str:
        return self.page.evaluate(f"sessionStorage.getItem({SENDER_KEY!r})")

    def cookie(self) -> str | None:
        return next(
            (c["value"] for c in self.page.context.cookies() if c["name"] == COOKIE_NAME), None
        )

    def sender(self) -> str:
        return page_sender(self.page)


@pytest.fixture
def page(context):
    return context.new_page()


@pytest.fixture
def chat(page, web_server) -> Chat:
    return Chat(page, web_server)
