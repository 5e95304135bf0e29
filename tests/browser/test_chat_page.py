"""The chat in a real browser: greeting, buttons, safe rendering, links, storage, keyboard."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

HOSTILE = "<img src=x onerror=alert(1)>"
SENDER_KEY = "fsp-chat-sender"


def test_page_structure(chat):
    page = chat.open().page
    assert page.get_attribute("html", "lang") == "en"
    expect(page.locator("h1")).to_have_count(1)
    expect(page.locator("h1")).to_have_text("Family support near you")
    expect(page.locator("header")).to_have_count(1)
    expect(page.locator("main")).to_have_count(1)
    log = page.locator("#chat-log")
    assert log.get_attribute("role") == "log"
    assert log.get_attribute("aria-live") == "polite"
    expect(page.locator("label[for=chat-input]")).to_be_visible()
    assert page.get_attribute("#chat-input", "maxlength") == "2000"
    expect(page.locator("#quick-exit")).to_have_text("Leave this site")
    urgent = page.locator(".urgent")
    expect(urgent).to_have_text(
        "In danger now? Call 999. Can't speak? Call 999 from a mobile, then press 55."
    )
    assert urgent.locator("a").get_attribute("href") == "tel:999"
    expect(page.locator(".privacy-note")).to_have_text(
        'This browser tab keeps the chat while you use it. "Leave this site" clears it from the tab. '
        'To delete our record of it too, type "forget me".'
    )


def test_greeting_shows_and_its_buttons_are_buttons(chat, fake_rasa, needs_fake):
    chat.open()
    expect(chat.bot_bubbles().first).to_contain_text("Hello. I'm an automated assistant")
    # The /greet payload is sent but never shown as something the parent said.
    expect(chat.user_bubbles()).to_have_count(0)
    fake_rasa.wait_for(chat.sender(), "/greet")
    buttons = chat.choices()
    expect(buttons).to_have_count(2)
    assert buttons.evaluate_all("els => els.map(e => e.tagName + ':' + e.type)") == [
        "BUTTON:button",
        "BUTTON:button",
    ]
    expect(chat.page.get_by_role("button", name="Food", exact=True)).to_be_visible()
    expect(chat.page.get_by_role("button", name="Leave", exact=True)).to_be_visible()
    # Screen readers hear who said what; the greeting's line break is kept.
    expect(chat.bot_bubbles().first.locator(".visually-hidden")).to_have_text("Assistant said: ")
    assert "not a person.\nI can help" in chat.bot_bubbles().first.inner_text()


def test_button_shows_title_as_user_message_and_sends_payload(chat, fake_rasa, needs_fake):
    chat.open()
    chat.page.get_by_role("button", name="Food", exact=True).click()
    expect(chat.user_bubbles().last).to_have_text("You said: Food")
    chat.wait_for_bot("Which area are you in?")
    fake_rasa.wait_for(chat.sender(), "/need_food")
    # Old buttons are gone; only the new question's buttons remain.
    expect(chat.choices()).to_have_count(3)
    expect(chat.page.get_by_role("button", name="Food", exact=True)).to_have_count(0)
    chat.page.get_by_role("button", name="Bradford").click()
    expect(chat.user_bubbles().last).to_have_text("You said: Bradford")
    chat.wait_for_bot("Here are food services near you.")
    fake_rasa.wait_for(chat.sender(), '/inform{"area": "Bradford"}')
    assert "/need_food" not in chat.log.inner_text()


def test_typed_answer_removes_old_buttons(chat, needs_fake):
    chat.open()
    expect(chat.choices()).to_have_count(2)
    chat.send("hello there")
    expect(chat.user_bubbles().last).to_have_text("You said: hello there")
    chat.wait_for_bot("Thanks. I heard: hello there")
    expect(chat.page.get_by_role("button", name="Leave", exact=True)).to_have_count(0)
    expect(chat.choices()).to_have_count(2)  # Food + I'd rather not say from the new reply


def test_several_bot_messages_in_one_reply(chat, needs_fake):
    chat.open()
    chat.send("two")
    chat.wait_for_bot("Second message.")
    texts = chat.bot_bubbles().all_text_contents()
    assert texts[-2:] == ["Assistant said: First message.", "Assistant said: Second message."]


def test_hostile_text_shows_literally(chat, needs_fake):
    chat.open()
    chat.send(HOSTILE)
    expect(chat.user_bubbles().last).to_have_text("You said: " + HOSTILE)
    chat.wait_for_bot(HOSTILE)
    # The echo also came back as a button title: shown as text too.
    expect(chat.page.get_by_role("button", name=HOSTILE)).to_be_visible()
    chat.page.wait_for_timeout(500)  # give any injected handler a chance to fire
    expect(chat.page.locator("img")).to_have_count(0)
    expect(chat.page.locator("#chat-log script, #chat-log iframe")).to_have_count(0)
    assert chat.watch.dialogs == []
    assert chat.watch.page_errors == []


def test_hostile_link_markup_never_becomes_a_link(chat, needs_fake):
    chat.open()
    chat.send('<a href="javascript:alert(1)">call 0808 2000 247</a>')
    chat.wait_for_bot('<a href="javascript:alert(1)">')
    hrefs = chat.log.locator("a").evaluate_all("els => els.map(e => e.getAttribute('href'))")
    assert hrefs and all(h.startswith(("tel:", "sms:")) for h in hrefs), hrefs
    chat.page.wait_for_timeout(300)
    assert chat.watch.dialogs == []


def test_phone_numbers_become_links(chat, needs_fake):
    chat.open()
    chat.send("phones")
    bubble = chat.wait_for_bot("National Domestic Abuse Helpline")
    links = bubble.locator("a").evaluate_all(
        "els => els.map(e => [e.textContent, e.getAttribute('href')])"
    )
    assert links == [
        ["0808 2000 247", "tel:08082000247"],
        ["116 123", "tel:116123"],
        ["0300 100 0212", "tel:03001000212"],
        ["0113 496 0123", "tel:01134960123"],
        ["020 7946 0123", "tel:02079460123"],
        ["07700 900123", "tel:07700900123"],
        ["999", "tel:999"],
        ["999", "tel:999"],
        ["111", "tel:111"],
        ["text SHOUT to 85258", "sms:85258?body=SHOUT"],
        ["Text PANDAS to 85258", "sms:85258?body=PANDAS"],
    ]
    # The surrounding words are untouched and "press 55" is not a link.
    assert "Can't speak? Call 999, then press 55." in bubble.inner_text()


def test_sms_or_form_links_each_keyword(chat, needs_fake):
    chat.open()
    chat.send("sms-or")
    bubble = chat.wait_for_bot("SHOUT or PANDAS")
    links = bubble.locator("a").evaluate_all(
        "els => els.map(e => [e.textContent, e.getAttribute('href'), e.getAttribute('aria-label')])"
    )
    assert links == [
        ["SHOUT", "sms:85258?body=SHOUT", "Text SHOUT to 85258"],
        ["PANDAS", "sms:85258?body=PANDAS", "Text PANDAS to 85258"],
    ]
    assert "If you'd like, text SHOUT or PANDAS to 85258 at any time." in bubble.inner_text()


def test_empty_or_whitespace_input_is_not_sent(chat, fake_rasa, needs_fake):
    chat.open()
    sender = chat.sender()
    fake_rasa.wait_for(sender, "/greet")
    chat.send("   ")
    chat.page.locator("#chat-send").click()
    chat.page.wait_for_timeout(500)
    expect(chat.user_bubbles()).to_have_count(0)
    assert fake_rasa.messages_for(sender) == ["/greet"]


def test_shift_enter_makes_a_new_line_and_enter_sends(chat, needs_fake):
    chat.open()
    chat.input.type("line one")
    chat.input.press("Shift+Enter")
    chat.input.type("line two")
    expect(chat.user_bubbles()).to_have_count(0)
    chat.input.press("Enter")
    expect(chat.user_bubbles().last).to_have_text("You said: line one\nline two")
    expect(chat.input).to_have_value("")


def test_typing_indicator_while_waiting(chat, needs_fake):
    chat.open()
    chat.send("slow")
    typing = chat.page.locator("#chat-typing")
    expect(typing).to_have_class("typing is-typing")
    expect(typing).to_have_text("The assistant is typing")
    expect(typing.locator(".typing-dots span")).to_have_count(3)
    assert typing.locator(".typing-dots").get_attribute("aria-hidden") == "true"
    name = typing.locator(".typing-dots span").first.evaluate(
        "e => getComputedStyle(e).animationName"
    )
    assert name == "typing-bounce"
    chat.wait_for_bot("Sorry to keep you waiting.")
    expect(typing).to_have_text("")


def test_typing_dots_respect_reduced_motion(new_context, web_server, needs_fake):
    page = new_context(reduced_motion="reduce").new_page()
    page.goto(web_server.url)
    page.locator("#chat-log .entry-bot").first.wait_for()
    page.fill("#chat-input", "slow")
    page.press("#chat-input", "Enter")
    dot = page.locator("#chat-typing .typing-dots span").first
    dot.wait_for(state="attached")
    assert dot.evaluate("e => getComputedStyle(e).animationName") == "none"


def test_reload_keeps_transcript_without_greeting_again(chat, fake_rasa, needs_fake):
    chat.open()
    chat.send("remember me")
    chat.wait_for_bot("Thanks. I heard: remember me")
    sender = chat.sender()
    chat.page.reload()
    expect(chat.user_bubbles()).to_have_text(["You said: remember me"])
    chat.wait_for_bot("Thanks. I heard: remember me")
    expect(chat.choices()).to_have_count(2)
    assert chat.sender() == sender
    chat.page.wait_for_timeout(300)
    assert fake_rasa.messages_for(sender) == ["/greet", "remember me"]


def only_the_conversation_cookie(cookies) -> bool:
    """The one cookie allowed: the server's HttpOnly conversation id, gone when the browser closes."""
    return [(c["name"], c["httpOnly"], c["expires"]) for c in cookies] == [
        ("fsp_conversation", True, -1)
    ]


def test_nothing_in_local_storage_or_cookies(chat, context, needs_fake):
    chat.open()
    chat.page.get_by_role("button", name="Food", exact=True).click()
    chat.wait_for_bot("Which area are you in?")
    chat.send("hello")
    chat.wait_for_bot("Thanks. I heard: hello")
    page = chat.page
    assert page.evaluate("localStorage.length") == 0
    assert page.evaluate("document.cookie") == ""
    assert only_the_conversation_cookie(context.cookies())
    sender = page.evaluate(f"sessionStorage.getItem({SENDER_KEY!r})")
    assert len(sender) == 32 and all(c in "0123456789abcdef" for c in sender)
    saved = page.evaluate("JSON.parse(sessionStorage.getItem('fsp-chat-transcript'))")
    assert [e["r"] for e in saved] == ["bot", "user", "bot", "user", "bot"]
    assert all(set(e) <= {"r", "t", "b", "unsent"} for e in saved)
    # Same origin, same tab, away from the chat: session storage is still there
    # (so the quick-exit tests' "it is empty" check means something).
    page.goto(chat.web.url + "/static/chat.css")
    assert page.evaluate("sessionStorage.length") >= 2
    assert page.evaluate("localStorage.length") == 0
    assert only_the_conversation_cookie(context.cookies())


def test_sender_ids_differ_between_tabs(context, web_server):
    ids = set()
    for _ in range(2):
        page = context.new_page()
        page.goto(web_server.url)
        page.locator("#chat-log .entry-bot").first.wait_for()
        ids.add(page.evaluate(f"sessionStorage.getItem({SENDER_KEY!r})"))
    assert len(ids) == 2


def test_keyboard_only(chat, fake_rasa, needs_fake):
    chat.open()
    page = chat.page

    def focused():
        return page.evaluate(
            "() => { const e = document.activeElement;"
            " return e ? (e.id || e.className || e.tagName) + '|' + (e.textContent || '') : '' }"
        )

    page.keyboard.press("Tab")
    assert focused().startswith("quick-exit|"), "Leave this site is the first Tab stop"
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline == "solid"

    for _ in range(20):
        if focused().startswith("chat-input|"):
            break
        page.keyboard.press("Tab")
    assert focused().startswith("chat-input|")
    assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") == "solid"

    page.keyboard.type("hello")
    page.keyboard.press("Enter")
    chat.wait_for_bot("Thanks. I heard: hello")
    assert focused().startswith("chat-input|")

    # The new reply's buttons sit just above the message box.
    for _ in range(10):
        if focused() == "choice|Food":
            break
        page.keyboard.press("Shift+Tab")
    assert focused() == "choice|Food"
    assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") == "solid"
    page.keyboard.press("Enter")
    expect(chat.user_bubbles().last).to_have_text("You said: Food")
    chat.wait_for_bot("Which area are you in?")
    fake_rasa.wait_for(chat.sender(), "/need_food")
    # Focus went to the message box, not back to the top of the page.
    assert focused().startswith("chat-input|")


def test_no_console_errors_or_csp_violations(chat, needs_fake):
    chat.open()
    chat.page.get_by_role("button", name="Food", exact=True).click()
    chat.wait_for_bot("Which area are you in?")
    chat.send("phones")
    chat.wait_for_bot("Samaritans")
    assert chat.watch.console_errors == []
    assert chat.watch.page_errors == []
