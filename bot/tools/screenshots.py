"""Screenshots of the chat page in a language, at a phone's width, for docs/screenshots/.

    python -m bot.tools.screenshots                      # Urdu and Polish at 360 px
    python -m bot.tools.screenshots --languages ur pl ar --width 360 --out docs/screenshots
    python -m bot.tools.screenshots --rasa-url http://127.0.0.1:5005   # a running assistant

Each picture is the page opened in that language (`/?lang=<code>`), its greeting, and the
first need button pressed, so the area question shows too. The page's words come from
bot/words/page.yml and the language's file (or `PAGE_LANGUAGES_DIR`). Without `--rasa-url`
a stand-in answers in place of Rasa with the domain's own responses: the language file's
`responses:` where it has them, else English from domain.yml (utter_greet and utter_ask_need
for the greeting, utter_ask_area for a need). Needs /usr/bin/chromium and Playwright (the
browser tests' tools).
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import yaml

from bot.web.page_words import language_file, page_languages

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
DOMAIN = ROOT / "domain.yml"
WEB_PYTHON = ROOT / ".venv-web" / "bin" / "python"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def response(name: str, code: str | None) -> dict:
    """Domain response `name` as Rasa's REST channel sends it, in `code` where the file has it."""
    english = yaml.safe_load(DOMAIN.read_text(encoding="utf-8"))["responses"][name][0]
    own = (language_file(code or "").get("responses") or {}).get(name) or {}
    message: dict = {"text": own.get("text") or english.get("text", "")}
    buttons = english.get("buttons") or []
    titles = own.get("buttons") or []
    if buttons:
        message["buttons"] = [
            {"title": titles[i] if i < len(titles) else b["title"], "payload": b["payload"]}
            for i, b in enumerate(buttons)
        ]
    return message


class _StandIn(BaseHTTPRequestHandler):
    """Answers the page's messages with domain responses, in the language it was told."""

    languages: dict[str, str] = {}

    def log_message(self, format, *args):  # noqa: A002 - quiet
        pass

    def do_POST(self):  # noqa: N802
        data = json.loads(self.rfile.read(int(self.headers.get("Content-Length", "0"))) or b"{}")
        sender, message = data.get("sender", ""), data.get("message", "")
        intent, brace, entities = message.partition("{")
        if brace:  # /greet{"language":"ur"} or /choose_language{...}: the slot maps from it
            language = json.loads(brace + entities).get("language")
            if language:
                self.languages[sender] = language
        code = self.languages.get(sender)
        replies: list[dict] = []
        if intent == "/greet":
            replies = [response("utter_greet", code), response("utter_ask_need", code)]
        elif intent.startswith("/need_"):
            replies = [response("utter_ask_area", code)]
        body = json.dumps([dict(r, recipient_id=sender) for r in replies]).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def _start_web(rasa_url: str) -> tuple[subprocess.Popen, str]:
    port = _free_port()
    python = WEB_PYTHON if WEB_PYTHON.exists() else Path(sys.executable)
    process = subprocess.Popen(
        [str(python), "-m", "bot.web.server", "--port", str(port), "--rasa-url", rasa_url],
        cwd=ROOT,
        env=dict(os.environ, PYTHONUNBUFFERED="1"),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url + "/api/config", timeout=1):
                return process, url
        except OSError:
            if process.poll() is not None:
                break
            time.sleep(0.2)
    process.terminate()
    raise SystemExit("the web server did not start")


def take(url: str, code: str, width: int, path: Path) -> None:
    """Open the page in `code` at `width` px, press the first need button, save a full-page PNG."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        try:
            page = browser.new_page(viewport={"width": width, "height": 780}, device_scale_factor=2)
            page.goto(f"{url}/?lang={code}")
            page.locator("#chat-log .entry-bot").first.wait_for()
            bots = page.locator("#chat-log .entry-bot").count()
            page.locator("#chat-log button.choice").first.click()
            page.locator("#chat-log .entry-bot").nth(bots).wait_for()
            page.evaluate("document.fonts.ready")
            page.evaluate("window.scrollTo(0, 0)")
            page.wait_for_timeout(300)
            path.parent.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(path), full_page=True)
        finally:
            browser.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot.tools.screenshots", description=__doc__)
    parser.add_argument("--languages", nargs="+", default=["ur", "pl"])
    parser.add_argument("--width", type=int, default=360)
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    parser.add_argument("--rasa-url", help="a running assistant (default: the stand-in)")
    args = parser.parse_args(argv)
    offered = {lang.code for lang in page_languages()}
    missing = [code for code in args.languages if code not in offered]
    if missing:
        print(f"not a page language (enabled, with a file): {', '.join(missing)}", file=sys.stderr)
        return 1
    stand_in = None
    rasa_url = args.rasa_url
    if not rasa_url:
        stand_in = ThreadingHTTPServer(("127.0.0.1", 0), _StandIn)
        threading.Thread(target=stand_in.serve_forever, daemon=True).start()
        rasa_url = f"http://127.0.0.1:{stand_in.server_address[1]}"
    process, url = _start_web(rasa_url)
    try:
        for code in args.languages:
            path = args.out / f"chat-{code}-{args.width}.png"
            take(url, code, args.width, path)
            print(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path)
    finally:
        process.terminate()
        process.wait(timeout=10)
        if stand_in is not None:
            stand_in.shutdown()
    return 0


if __name__ == "__main__":
    sys.exit(main())
