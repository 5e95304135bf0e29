"""Quick exit: every way out lands on the neutral site, wipes the chat and resets Rasa."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import EXIT_KEYS, wait_for_no_cookies

pytestmark = pytest.mark.browser


def _leave(chat, how: str) -> None:
    page = chat.page
    if how == "leave_button":
        page.get_by_role("button", name="Leave this site").click()
    elif how in EXIT_KEYS:
        chat.press_exit_keys(how)
    elif how == "bot_leave_choice":
        page.get_by_role("button", name="Leave", exact=True).click()
    elif how == "typed_exit":
        chat.send("exit")
    else:  # pragma: no cover
        raise ValueError(how)


@pytest.mark.parametrize(
    "how", ["leave_button", "escape", "shift_x3", "bot_leave_choice", "typed_exit"]
)
def test_quick_exit(how, chat, fake_rasa, before_url, neutral_url, needs_fake):
    page = chat.page
    page.goto(before_url)
    chat.open()
    if how != "bot_leave_choice":  # that one uses the greeting's own Leave button
        chat.send("I need some help")
        chat.wait_for_bot("Thanks. I heard: I need some help")
    sender = chat.sender()
    assert sender and page.evaluate("sessionStorage.length") >= 2

    _leave(chat, how)

    page.wait_for_url(neutral_url)
    expect(page.locator("h1")).to_have_text("Weather forecast")
    # The conversation was reset on the server, for this sender.
    fake_rasa.wait_for(sender, "/quick_exit")
    assert "exit" not in fake_rasa.messages_for(sender)

    # Back goes to the page before the chat, not to the chat.
    page.go_back()
    page.wait_for_load_state()
    assert page.url == before_url
    expect(page.locator("h1")).to_have_text("Recipes")

    # Back on the chat's origin in the same tab: session storage was wiped.
    page.goto(chat.web.url + "/static/chat.css")
    assert page.evaluate("sessionStorage.length") == 0
    assert page.evaluate("localStorage.length") == 0
    wait_for_no_cookies(page.context)


def test_quick_exit_button_works_before_the_bot_answers(chat, neutral_url):
    # Even with the chat never having loaded a reply, Leave goes straight out.
    chat.open(wait_for_greeting=False)
    chat.page.get_by_role("button", name="Leave this site").click()
    chat.page.wait_for_url(neutral_url)


def test_leave_button_is_a_real_link_without_script(browser, web_server, neutral_url):
    ctx = browser.new_context(java_script_enabled=False)
    try:
        page = ctx.new_page()
        page.goto(web_server.url)
        assert page.get_attribute("#quick-exit", "href") == neutral_url
        page.click("#quick-exit")
        page.wait_for_url(neutral_url)
    finally:
        ctx.close()


def test_space_on_leave_button_exits(chat, neutral_url):
    chat.open()
    chat.page.keyboard.press("Tab")
    chat.page.keyboard.press("Space")
    chat.page.wait_for_url(neutral_url)


def test_slow_or_interrupted_shift_presses_do_not_exit(chat, needs_fake):
    chat.open()
    page = chat.page
    chat.input.focus()
    # Shift, Shift, a letter, Shift: the letter breaks the run.
    page.keyboard.press("Shift")
    page.keyboard.press("Shift")
    page.keyboard.type("a")
    page.keyboard.press("Shift")
    page.wait_for_timeout(1100)
    # Three presses spread over more than a second.
    page.keyboard.press("Shift")
    page.wait_for_timeout(600)
    page.keyboard.press("Shift")
    page.wait_for_timeout(600)
    page.keyboard.press("Shift")
    page.wait_for_timeout(300)
    assert page.url.startswith(chat.web.url)
    # Typing a capital (Shift held with a letter) never counts.
    chat.send("Hello I Am OK")
    chat.wait_for_bot("Thanks. I heard: Hello I Am OK")
    assert page.url.startswith(chat.web.url)


def test_quick_exit_wipes_the_transcript_from_the_dom(chat, needs_fake):
    chat.open()
    chat.send("something private")
    chat.wait_for_bot("something private")
    page = chat.page
    # Answer the neutral page with 204 No Content: the browser then stays on the
    # page being left, so what quick exit did to it can be inspected.
    asked = []

    def no_content(route):
        asked.append(route.request.url)
        route.fulfill(status=204)

    page.route("**/neutral", no_content)
    chat.input.fill("half typed words")
    page.keyboard.press("Escape")
    page.wait_for_timeout(500)
    assert asked, "quick exit navigated to the neutral site"
    assert page.url.startswith(chat.web.url)
    assert page.evaluate("document.getElementById('chat-log').textContent") == ""
    assert page.evaluate("document.getElementById('chat-input').value") == ""
    assert page.evaluate("sessionStorage.length") == 0
