"""When Rasa or the network is down: a kind message, urgent numbers, retries, nothing lost."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import page_sender

pytestmark = pytest.mark.browser

KIND = "Sorry, I can't connect just now. I'll keep trying."


def test_rasa_down_shows_kind_message_then_delivers_on_reconnect(
    make_fake_rasa, make_web_server, neutral_url, new_context, needs_fake
):
    rasa = make_fake_rasa()
    web = make_web_server(rasa.url, neutral_url)
    page = new_context().new_page()
    page.goto(web.url)
    page.locator("#chat-log .entry-bot").first.wait_for()
    sender = page_sender(page)

    rasa.stop()
    page.fill("#chat-input", "are you there")
    page.press("#chat-input", "Enter")

    notice = page.locator("#chat-log .entry-notice").filter(has_text=KIND)
    expect(notice).to_be_visible()
    text = notice.text_content()
    assert "call 999" in text and "call 999 from a mobile, then press 55" in text
    assert "National Domestic Abuse Helpline (for women): 0808 2000 247 (24 hours)" in text
    assert "Men's Advice Line: 0808 801 0327" in text
    assert "Samaritans: 116 123" in text
    hrefs = notice.locator("a").evaluate_all("els => els.map(e => e.getAttribute('href'))")
    assert {"tel:999", "tel:08082000247", "tel:116123"} <= set(hrefs)

    # Rasa comes back on the same port: the unsent message goes through by itself.
    rasa.start()
    reply = page.locator("#chat-log .entry-bot .bubble").filter(has_text="I heard: are you there")
    expect(reply).to_be_visible(timeout=15_000)
    expect(
        page.locator("#chat-log .entry-notice").filter(has_text="connected again")
    ).to_be_visible()
    assert rasa.messages_for(sender) == ["/greet", "are you there"]  # delivered once
    expect(page.locator("#chat-log .unsent-note")).to_have_count(0)


def test_network_failure_keeps_what_the_parent_typed(chat, fake_rasa, needs_fake):
    chat.open()
    page = chat.page
    sender = chat.sender()
    attempts = []

    def fail(route):
        attempts.append(route.request.url)
        route.abort("connectionrefused")

    page.route("**/api/chat", fail)
    chat.send("please help me find food")
    expect(page.locator("#chat-log .entry-notice").filter(has_text=KIND)).to_be_visible()
    expect(page.locator("#chat-typing")).to_have_text("")
    # 1 try + 3 retries with 1 s, 2 s, 4 s backoff, then the words come back.
    expect(chat.input).to_have_value("please help me find food", timeout=15_000)
    assert len(attempts) == 4
    expect(page.locator("#chat-log .unsent-note")).to_have_text("Not sent")
    expect(
        page.locator("#chat-log .entry-notice").filter(has_text="back in the box")
    ).to_be_visible()
    # The greeting's buttons come back too, so nothing is lost either way.
    expect(chat.choices()).to_have_count(2)

    page.unroute("**/api/chat")
    page.locator("#chat-send").click()
    chat.wait_for_bot("Thanks. I heard: please help me find food")
    expect(chat.input).to_have_value("")
    assert fake_rasa.messages_for(sender) == ["/greet", "please help me find food"]


def test_failed_choice_brings_its_buttons_back(chat, needs_fake):
    chat.open()
    page = chat.page
    page.route("**/api/chat", lambda route: route.abort("connectionrefused"))
    page.get_by_role("button", name="Food", exact=True).click()
    expect(chat.user_bubbles().last).to_have_text("You said: Food")
    expect(page.get_by_role("button", name="Food", exact=True)).to_be_visible(timeout=15_000)
    expect(page.locator("#chat-log .unsent-note")).to_have_text("Not sent")
    expect(chat.input).to_have_value("")  # a payload never lands in the message box
    page.unroute("**/api/chat")
    page.get_by_role("button", name="Food", exact=True).click()
    chat.wait_for_bot("Which area are you in?")


def test_greeting_failure_still_shows_urgent_numbers(new_context, web_server):
    page = new_context().new_page()
    page.route(
        "**/api/chat", lambda route: route.fulfill(status=503, body='{"error": "unavailable"}')
    )
    page.goto(web_server.url)
    notice = page.locator("#chat-log .entry-notice").first
    expect(notice).to_contain_text(KIND)
    expect(notice).to_contain_text("999")
    expect(page.locator(".urgent a[href='tel:999']")).to_be_visible()


def test_too_long_message_is_explained_and_kept(chat, needs_fake):
    chat.open()
    page = chat.page
    # The box itself stops at 2000 characters.
    chat.input.fill("x" * 2500)
    assert len(chat.input.input_value()) == 2000
    # If the server still refuses (413), the kind reason shows and the text comes back.
    page.route(
        "**/api/chat",
        lambda route: route.fulfill(
            status=413,
            content_type="application/json",
            body='{"error": "too_large", "message": "Sorry, that message is too long for me."}',
        ),
    )
    chat.send("a long story")
    expect(
        page.locator("#chat-log .entry-notice").filter(has_text="too long for me")
    ).to_be_visible()
    expect(chat.input).to_have_value("a long story")
