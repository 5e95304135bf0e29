"""The chat page in every language the page offers: words, lang and dir, right-to-left layout
and fonts, switching language, quick exit, and axe-core.

The languages are every enabled one with a file in bot/words/languages/ (or the fixtures in
tests/browser/fixtures/languages/ while there are none; see conftest.py), so a new language
file is tested here without a change to this file.
"""

from __future__ import annotations

import json
import re

import pytest
from playwright.sync_api import expect

from bot.web.page_words import page_exit_words, page_languages, page_words
from tests.browser.conftest import EXIT_KEYS, wait_for_no_cookies

pytestmark = pytest.mark.browser

LANGUAGES = {lang.code: lang for lang in page_languages()}
CODES = list(LANGUAGES)
RTL = [code for code, lang in LANGUAGES.items() if lang.direction == "rtl"]
FONTS = {"ur": "Noto Nastaliq Urdu", "ar": "Noto Naskh Arabic"}


def _words(code: str) -> dict[str, str]:
    return page_words(code)


def _exit_word(code: str) -> str:
    """The word the page itself tells the parent to type to leave, in that language."""
    about = _words(code)["chat_about"]
    # The word is the last quoted thing in chat_about ("...", „...” or «...»).
    quoted = re.findall(r"[\"„“«]([^\"„“”«»]+)[\"”»]", about)
    assert quoted, about
    return quoted[-1]


def _open(chat, code: str, wait_for_greeting: bool = True):
    return chat.open(f"/?lang={code}", wait_for_greeting=wait_for_greeting)


def test_the_page_offers_more_than_english():
    assert len(CODES) >= 2 and CODES[0] == "en", CODES


@pytest.mark.parametrize("code", CODES)
def test_page_shows_its_words_lang_and_dir(code, chat, fake_rasa, needs_fake):
    page = _open(chat, code).page
    words = _words(code)
    lang = LANGUAGES[code]
    assert page.get_attribute("html", "lang") == code
    assert page.get_attribute("html", "dir") == lang.direction
    assert page.title() == words["title"]
    expect(page.locator("h1")).to_have_text(words["title"])
    expect(page.locator("#quick-exit")).to_have_text(words["quick_exit"])
    expect(page.locator("label[for=chat-input]")).to_have_text(words["message_label"])
    expect(page.locator("#chat-send")).to_have_text(words["send"])
    expect(page.locator(".privacy-note")).to_have_text(words["privacy_note"])
    assert page.locator("#chat-log").get_attribute("aria-label") == words["log_label"]
    # "Call {number}." with 999 as a link, in this language.
    urgent = page.locator(".urgent")
    expect(urgent.locator("a[href='tel:999']")).to_have_text("999")
    expect(urgent).to_contain_text(words["urgent_call"].replace("{number}", "999"))
    # No placeholder is left for the parent to read.
    assert "{" not in page.locator("body").inner_text()
    # The list of languages: each by its own name, marked with its language; this one current.
    nav = page.get_by_role("navigation", name=words["language_label"])
    links = nav.get_by_role("link")
    expect(links).to_have_count(len(CODES))
    for i, other in enumerate(LANGUAGES.values()):
        expect(links.nth(i)).to_have_text(other.native)
        assert links.nth(i).get_attribute("lang") == other.code
    expect(nav.locator("[aria-current=true]")).to_have_text(lang.native)
    # The greeting carries the page's language, so the assistant greets in it.
    chat.wait_for_bot("Hello.")
    greet = "/greet" if code == "en" else f'/greet{{"language":"{code}"}}'
    fake_rasa.wait_for(chat.sender(), greet)
    assert fake_rasa.messages_for(chat.sender()) == [greet]


@pytest.mark.parametrize("width", [320, 360])
@pytest.mark.parametrize("code", RTL)
def test_right_to_left_page_reads_and_sits_right_to_left(
    code, width, new_context, web_server, needs_fake
):
    page = new_context(viewport={"width": width, "height": 740}).new_page()
    outside: list[str] = []
    page.on(
        "request",
        lambda r: None if r.url.startswith((web_server.url, "data:")) else outside.append(r.url),
    )
    fonts: list[tuple[str, int]] = []
    page.on("response", lambda r: fonts.append((r.url, r.status)) if "/fonts/" in r.url else None)
    page.goto(f"{web_server.url}/?lang={code}")
    page.locator("#chat-log .entry-bot").first.wait_for()
    page.fill("#chat-input", "phones")
    page.press("#chat-input", "Enter")
    page.locator("#chat-log .entry-bot .bubble").filter(has_text="Samaritans").wait_for()
    assert page.get_attribute("html", "dir") == "rtl"
    assert page.evaluate("getComputedStyle(document.body).direction") == "rtl"

    # Its own font, from this site, loaded and used for the page's words.
    family = FONTS.get(code)
    if family:
        assert family in page.evaluate("getComputedStyle(document.querySelector('h1')).fontFamily")
        page.evaluate("document.fonts.ready")
        loaded = page.evaluate(
            """(family) => document.fonts.ready.then(() => [...document.fonts]
                 .filter(f => f.family.replace(/"/g, '') === family && f.status === 'loaded')
                 .map(f => f.weight))""",
            family,
        )
        assert loaded, f"{family} not loaded; font responses: {fonts}"
        assert fonts and all(status == 200 for _, status in fonts), fonts
    assert outside == [], outside

    # Mirrored: Leave this site at the top left, the parent's messages on the left, the
    # assistant's on the right, the urgent line's bar on its right edge.
    exit_box = page.locator("#quick-exit").bounding_box()
    name_box = page.locator(".site-name").bounding_box()
    assert exit_box["x"] < name_box["x"] and exit_box["x"] >= 0, (exit_box, name_box)
    user = page.locator("#chat-log .entry-user .bubble").last.bounding_box()
    bot = page.locator("#chat-log .entry-bot .bubble").last.bounding_box()
    main = page.locator("#chat-log").bounding_box()
    assert user["x"] - main["x"] < 2, (user, main)
    assert abs((bot["x"] + bot["width"]) - (main["x"] + main["width"])) < 2, (bot, main)
    assert page.evaluate(
        "getComputedStyle(document.querySelector('.urgent')).borderRightWidth"
    ) == ("5px")
    # An English reply inside the right-to-left page still reads left to right, and a phone
    # number keeps its digits in order.
    reply = page.locator("#chat-log .entry-bot .bubble").last
    assert reply.evaluate("el => getComputedStyle(el).direction") == "ltr"
    number = reply.locator("a[href='tel:08082000247']")
    assert number.evaluate("el => getComputedStyle(el).direction") == "ltr"
    overflow = page.evaluate("[document.documentElement.scrollWidth, innerWidth]")
    assert overflow[0] <= overflow[1], overflow
    for el in page.locator("#quick-exit, .language, #chat-log .bubble, #chat-log .choice").all():
        box = el.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= width + 0.5, box


def test_a_left_to_right_page_fetches_no_fonts(new_context, web_server, needs_fake):
    page = new_context().new_page()
    fetched: list[str] = []
    page.on("request", lambda r: fetched.append(r.url) if "/fonts/" in r.url else None)
    page.goto(web_server.url + "/?lang=" + CODES[0])
    page.locator("#chat-log .entry-bot").first.wait_for()
    page.evaluate("document.fonts.ready")
    assert fetched == []


def test_fonts_are_only_the_listed_files(web_server):
    import urllib.error
    import urllib.request

    with urllib.request.urlopen(
        web_server.url + "/fonts/noto-nastaliq-urdu-arabic-400-normal.woff2"
    ) as resp:
        assert resp.headers["Content-Type"] == "font/woff2"
        assert resp.read(4) == b"wOF2"
    for name in ("noto-nastaliq-urdu-latin-400-normal.woff2", "..%2Fpackage.json", "x.css"):
        with pytest.raises(urllib.error.HTTPError) as err:
            urllib.request.urlopen(web_server.url + "/fonts/" + name)
        assert err.value.code == 404


def test_choosing_a_language_changes_the_page_and_keeps_the_chat(chat, fake_rasa, needs_fake):
    others = [code for code in CODES if code != "en"]
    first = others[0]
    chat.open()
    page = chat.page
    chat.send("hello there")
    chat.wait_for_bot("Thanks. I heard: hello there")
    # By keyboard: the language's link takes focus and Enter chooses it.
    link = page.locator(f"a[data-language={first}]")
    link.focus()
    page.keyboard.press("Enter")
    words = _words(first)
    expect(page.locator("h1")).to_have_text(words["title"])
    assert page.get_attribute("html", "lang") == first
    assert page.get_attribute("html", "dir") == LANGUAGES[first].direction
    expect(page.locator("#quick-exit")).to_have_text(words["quick_exit"])
    expect(page.locator("#chat-send")).to_have_text(words["send"])
    expect(page.locator(".privacy-note")).to_have_text(words["privacy_note"])
    expect(page.locator(f"a[data-language={first}]")).to_have_attribute("aria-current", "true")
    expect(page.locator("a[data-language=en]")).not_to_have_attribute("aria-current", "true")
    # Shown as the parent's choice; the assistant is told.
    expect(chat.user_bubbles().last).to_contain_text(LANGUAGES[first].native)
    chat.wait_for_bot(f"Language chosen: {first}")
    fake_rasa.wait_for(chat.sender(), f'/choose_language{{"language":"{first}"}}')
    # The chat so far is still there.
    expect(chat.bot_bubbles().filter(has_text="Thanks. I heard: hello there")).to_have_count(1)
    assert page.url.endswith(f"/?lang={first}")

    # Into every other language, then a reload: the tab keeps the language and the chat.
    for code in others[1:] + ["en", first]:
        page.locator(f"a[data-language={code}]").click()
        expect(page.locator("h1")).to_have_text(_words(code)["title"])
        assert page.get_attribute("html", "dir") == LANGUAGES[code].direction
        chat.wait_for_bot(f"Language chosen: {code}")
    page.reload()
    expect(page.locator("h1")).to_have_text(words["title"])
    expect(chat.bot_bubbles().filter(has_text="Thanks. I heard: hello there")).to_have_count(1)
    # The address without ?lang= in the same tab: still the chosen language.
    page.goto(chat.web.url + "/")
    expect(page.locator("h1")).to_have_text(words["title"])
    assert page.get_attribute("html", "lang") == first


def test_the_page_follows_the_language_the_assistant_finds(chat, fake_rasa, needs_fake):
    if "pl" not in LANGUAGES:
        pytest.skip("no Polish file")
    chat.open()
    chat.send("cześć, potrzebuję pomocy")
    chat.wait_for_bot("Language found: pl")
    expect(chat.page.locator("h1")).to_have_text(_words("pl")["title"])
    assert chat.page.get_attribute("html", "lang") == "pl"
    # The assistant already knows: the page doesn't send it a choice of its own.
    assert not [m for m in fake_rasa.messages_for(chat.sender()) if "choose_language" in m]
    chat.page.reload()
    expect(chat.page.locator("h1")).to_have_text(_words("pl")["title"])


def test_without_script_the_language_links_still_work(browser, web_server):
    ctx = browser.new_context(java_script_enabled=False)
    try:
        page = ctx.new_page()
        page.goto(web_server.url)
        code = CODES[-1]
        page.locator(f"a[data-language={code}]").click()
        page.wait_for_url(f"**/?lang={code}")
        expect(page.locator("h1")).to_have_text(_words(code)["title"])
        assert page.get_attribute("html", "dir") == LANGUAGES[code].direction
    finally:
        ctx.close()


def test_only_a_page_language_passes_from_a_replys_custom(web_server, needs_fake):
    import urllib.request

    def reply_to(message: str) -> list[dict]:
        body = json.dumps({"sender": "language-sender-1", "message": message}).encode()
        req = urllib.request.Request(
            web_server.url + "/api/chat", body, {"Content-Type": "application/json"}
        )
        with urllib.request.urlopen(req) as resp:
            return [{k: v for k, v in r.items() if k != "recipient_id"} for r in json.load(resp)]

    code = CODES[-1]
    assert reply_to(f"/say_language {code}") == [{"language": code}, {"text": "ok"}]
    for other in ("xx", "<b>", "en-GB"):
        assert reply_to(f"/say_language {other}") == [{"text": "ok"}]


def test_words_api_falls_back_to_english(web_server):
    import urllib.request

    for asked in ("xx", "", "<script>"):
        with urllib.request.urlopen(f"{web_server.url}/api/words?lang={asked}") as resp:
            data = json.load(resp)
        assert data["lang"] == "en" and data["dir"] == "ltr"
        assert data["words"]["title"] == _words("en")["title"]


def test_every_language_exit_word_is_handed_to_the_page(chat, needs_fake):
    page = _open(chat, CODES[-1]).page
    handed = json.loads(page.get_attribute("meta[name=exit-words]", "content"))
    assert handed == list(page_exit_words())
    for code in CODES:
        assert _exit_word(code).lower() in handed, code


def _leave(chat, how: str, code: str) -> None:
    page = chat.page
    if how == "button":
        page.get_by_role("button", name=_words(code)["quick_exit"]).click()
    elif how in EXIT_KEYS:
        chat.press_exit_keys(how)
    elif how == "typed_word":
        chat.send(_exit_word(code))
    else:  # pragma: no cover
        raise ValueError(how)


@pytest.mark.parametrize("how", ["button", "escape", "shift_x3", "typed_word"])
@pytest.mark.parametrize("code", CODES)
def test_quick_exit_in_every_language(code, how, chat, fake_rasa, neutral_url, needs_fake):
    _open(chat, code)
    page = chat.page
    chat.send("I need some help")
    chat.wait_for_bot("Thanks. I heard: I need some help")
    sender = chat.sender()
    _leave(chat, how, code)
    page.wait_for_url(neutral_url)
    fake_rasa.wait_for(sender, "/quick_exit")
    # A typed exit word never reaches the assistant as a message.
    assert _exit_word(code) not in fake_rasa.messages_for(sender)
    page.goto(chat.web.url + "/static/chat.css")
    assert page.evaluate("sessionStorage.length") == 0
    wait_for_no_cookies(page.context)


# Ordinary words in each script: none is an exit word, so each must reach the assistant.
ORDINARY = [
    "مدد",
    "کھانا",
    "طعام",
    "żłobek",
    "pomoc",
    "ajutor",
    "ayuda",
    "ajuda",
    "😊",
    "...",
    "123",
]


@pytest.mark.parametrize("code", CODES)
def test_ordinary_words_in_any_script_are_sent_not_taken_for_exit(
    code, chat, fake_rasa, needs_fake
):
    _open(chat, code)
    for text in ORDINARY:
        chat.send(text)
        chat.wait_for_bot(f"Thanks. I heard: {text}")
        fake_rasa.wait_for(chat.sender(), text)
    assert chat.page.url.startswith(chat.web.url)


@pytest.mark.parametrize("code", CODES)
def test_axe_core_finds_nothing_in_each_language(code, new_context, web_server, axe, needs_fake):
    # The page's CSP (rightly) blocks injected scripts, so this one context bypasses it.
    page = new_context(bypass_csp=True, viewport={"width": 360, "height": 740}).new_page()
    page.goto(f"{web_server.url}/?lang={code}")
    page.locator("#chat-log .entry-bot").first.wait_for()
    page.fill("#chat-input", "phones")
    page.press("#chat-input", "Enter")
    page.locator("#chat-log .entry-bot .bubble").filter(has_text="Samaritans").wait_for()
    violations = axe(page)
    assert violations == [], json.dumps(violations, indent=1, ensure_ascii=False)
