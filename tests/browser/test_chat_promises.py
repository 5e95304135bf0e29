"""What the page says about keeping, clearing and leaving is what it does.

Each test does the thing, then looks at the screen and at this tab's storage. (Deleting the
stored conversation on the server is the tracker store's work: tests/e2e/test_privacy.py.)
"""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import expect

from bot.urgent import exit_words
from tests.browser.conftest import COOKIE_NAME

pytestmark = pytest.mark.browser

TRANSCRIPT_KEY = "fsp-chat-transcript"


def stored_transcript(page) -> list[dict]:
    return json.loads(page.evaluate(f"sessionStorage.getItem({TRANSCRIPT_KEY!r})") or "[]")


@pytest.mark.parametrize("word", exit_words())
def test_typing_any_exit_word_leaves_at_once(word, chat, fake_rasa, neutral_url, needs_fake):
    """The page's exit words are the server's own list (bot/words/urgent_help.yml)."""
    chat.open()
    chat.send("I need some help")
    chat.wait_for_bot("Thanks. I heard: I need some help")
    sender = chat.sender()

    chat.send(f"  {word.upper()}! ")

    chat.page.wait_for_url(neutral_url)
    fake_rasa.wait_for(sender, "/quick_exit")
    assert fake_rasa.messages_for(sender) == ["/greet", "I need some help", "/quick_exit"]
    chat.page.goto(chat.web.url + "/static/chat.css")
    assert chat.page.evaluate("sessionStorage.length") == 0


def test_a_word_that_only_contains_an_exit_word_is_sent(chat, fake_rasa, needs_fake):
    chat.open()
    chat.send("please stop the bailiffs")
    chat.wait_for_bot("Thanks. I heard: please stop the bailiffs")


def test_when_the_server_takes_a_message_as_quick_exit_the_page_leaves_too(
    chat, fake_rasa, neutral_url, needs_fake
):
    # Words the classifier reads as "get me out" that are not on the list: the reply says
    # page: leave, and the chat must not stay on the screen.
    chat.open()
    chat.send("I need some help")
    chat.wait_for_bot("Thanks. I heard: I need some help")

    chat.send("take me away from this")

    chat.page.wait_for_url(neutral_url)
    expect(chat.page.locator("h1")).to_have_text("Weather forecast")
    chat.page.goto(chat.web.url + "/static/chat.css")
    assert chat.page.evaluate("sessionStorage.length") == 0


def test_forget_me_clears_the_chat_from_the_screen_and_the_tab(chat, fake_rasa, needs_fake):
    chat.open()
    chat.send("my rent is late")
    chat.wait_for_bot("Thanks. I heard: my rent is late")
    old_sender = chat.sender()
    assert any(e["t"] == "my rent is late" for e in stored_transcript(chat.page))

    chat.send("forget me")
    chat.wait_for_bot("Done. I've deleted this chat.")

    # On the screen: only the answer. In the tab: nothing of the old chat, a new id.
    expect(chat.bot_bubbles()).to_have_count(1)
    expect(chat.user_bubbles()).to_have_count(0)
    expect(chat.log).not_to_contain_text("my rent is late")
    assert [e["t"] for e in stored_transcript(chat.page)] == ["Done. I've deleted this chat."]
    assert chat.sender() != old_sender
    # Coming back to the page doesn't bring it back either.
    chat.page.reload()
    chat.wait_for_bot("Done. I've deleted this chat.")
    expect(chat.log).not_to_contain_text("my rent is late")
    # The next message starts a new conversation on the server.
    chat.send("hello again")
    chat.wait_for_bot("Thanks. I heard: hello again")
    assert fake_rasa.messages_for(chat.sender()) == ["hello again"]


def test_the_tab_keeps_the_chat_as_the_page_says_and_leaving_clears_it(
    chat, neutral_url, needs_fake
):
    chat.open()
    chat.send("I need some help")
    chat.wait_for_bot("Thanks. I heard: I need some help")
    expect(chat.page.locator(".privacy-note")).to_contain_text("This browser tab keeps the chat")
    chat.page.reload()
    chat.wait_for_bot("Thanks. I heard: I need some help")  # kept in the tab, as it says
    # Nothing in localStorage; the one cookie is the server's HttpOnly conversation id.
    cookies = chat.page.context.cookies()
    assert chat.page.evaluate("localStorage.length") == 0
    assert [(c["name"], c["httpOnly"]) for c in cookies] == [(COOKIE_NAME, True)]

    chat.page.get_by_role("button", name="Leave this site").click()  # "clears it from the tab"
    chat.page.wait_for_url(neutral_url)
    chat.page.goto(chat.web.url + "/static/chat.css")
    assert chat.page.evaluate("sessionStorage.length") == 0


def test_esc_and_shift_are_offered_only_with_a_keyboard_and_pointer(chat, new_context, web_server):
    chat.open(wait_for_greeting=False)
    expect(chat.page.locator("#exit-keys")).to_be_visible()
    expect(chat.page.locator(".chat-about")).to_contain_text("press Esc")

    phone = new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    page = phone.new_page()
    page.goto(web_server.url)
    about = page.locator(".chat-about")
    expect(about).to_contain_text('type "exit"')
    expect(page.locator("#exit-keys")).to_be_hidden()
    assert "Esc" not in about.inner_text() and "Shift" not in about.inner_text()


def test_without_script_the_page_offers_999_and_both_helplines(browser, web_server):
    ctx = browser.new_context(java_script_enabled=False)
    try:
        page = ctx.new_page()
        page.goto(web_server.url)
        text = page.locator(".noscript").inner_text()
        assert (
            "999" in text
            and "0808 2000 247" in text
            and "Men's Advice Line on 0808 801 0327" in text
        )
    finally:
        ctx.close()
