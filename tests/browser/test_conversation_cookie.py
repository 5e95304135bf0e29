"""The conversation id is the server's: script on the page can neither read nor set it."""

from __future__ import annotations

import pytest

from tests.browser.conftest import COOKIE_NAME

pytestmark = pytest.mark.browser


def server_cookie(page):
    return next((c for c in page.context.cookies() if c["name"] == COOKIE_NAME), None)


def test_script_cannot_read_or_set_the_conversation_cookie(chat, fake_rasa, needs_fake):
    chat.open()
    cookie = server_cookie(chat.page)
    assert cookie and cookie["httpOnly"] and cookie["sameSite"] == "Strict"
    assert COOKIE_NAME not in chat.page.evaluate("document.cookie")
    sender = chat.sender()

    chat.page.evaluate(f"document.cookie = '{COOKIE_NAME}=attacker-chosen-id; path=/'")
    assert server_cookie(chat.page)["value"] == cookie["value"]
    chat.send("still me")
    fake_rasa.wait_for(sender, "still me")  # the same conversation carried on


def test_a_cookie_planted_before_the_first_message_is_replaced(
    context, web_server, fake_rasa, needs_fake
):
    page = context.new_page()
    page.goto(
        web_server.url + "/api/config"
    )  # same origin, before the chat page has talked to the server
    planted = "0" * 32 + ".planted"
    page.evaluate(f"document.cookie = '{COOKIE_NAME}={planted}; path=/'")
    page.goto(web_server.url + "/")
    page.locator("#chat-log .entry-bot").first.wait_for()
    cookie = server_cookie(page)
    assert cookie["value"] != planted and cookie["httpOnly"]
