"""Quick-exit words in other scripts: an Urdu word leaves, an Urdu sentence does not.

The web server is given the test fixture's Urdu file (LANGUAGE_FILES), so the page's exit words
include "باہر". The page compares words with Unicode letters; an ASCII-only comparison would
trim every Urdu or Arabic message to nothing and leave on any of them."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import Chat
from tests.unit.language_fixtures import FIXTURES

pytestmark = pytest.mark.browser


@pytest.fixture
def urdu_chat(page, fake_rasa, neutral_url, make_web_server) -> Chat:
    web = make_web_server(fake_rasa.url, neutral_url, extra_env={"LANGUAGE_FILES": str(FIXTURES)})
    return Chat(page, web)


def test_an_urdu_sentence_is_sent_and_an_urdu_exit_word_leaves(
    urdu_chat, fake_rasa, neutral_url, needs_fake
):
    chat = urdu_chat.open()
    chat.send("مجھے مدد چاہیے")
    chat.wait_for_bot("Thanks. I heard: مجھے مدد چاہیے")
    assert chat.page.url.startswith(chat.web.url)
    sender = chat.sender()
    chat.send(" باہر! ")
    chat.page.wait_for_url(neutral_url)
    expect(chat.page.locator("h1")).to_have_text("Weather forecast")
    fake_rasa.wait_for(sender, "/quick_exit")
    assert not any("باہر" in m for m in fake_rasa.messages_for(sender))
