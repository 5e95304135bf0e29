"""The chat page in front of the REAL assistant: action server, Rasa and the web server.

A parent's whole conversation in headless Chromium: a need, an area, services on screen,
a button click, urgent help, and the mentor page next to the chat.
"""

import pytest
from playwright.sync_api import expect

from bot.directory import load_directory
from bot.search import find_services
from bot.tools.servers import running_assistant
from tests.browser.conftest import Chat, mentor_sign_in, start_web_server

pytestmark = [pytest.mark.browser, pytest.mark.e2e]


@pytest.fixture(scope="module")
def real_web(tmp_path_factory, neutral_url):
    workdir = tmp_path_factory.mktemp("real-assistant")
    with running_assistant(workdir) as assistant:
        web = start_web_server(assistant.rasa_url, neutral_url, workdir / "web.log")
        yield web
        web.stop()


def test_a_whole_conversation_on_the_page(context, real_web):
    chat = Chat(context.new_page(), real_web).open()
    chat.wait_for_bot("What would help most right now?")
    chat.page.get_by_role("button", name="Food", exact=True).click()
    chat.wait_for_bot("Which area are you in?")
    chat.page.get_by_role("button", name="Bradford", exact=True).click()
    for service in find_services(load_directory(), "food", "bradford")[:3]:
        chat.wait_for_bot(service.name)
    expect(chat.page.get_by_role("button", name="More options")).to_be_visible()
    # Numbers in services are links a phone can call.
    assert chat.page.locator("#chat-log a[href^='tel:']").count() >= 3


def test_typed_need_and_place_go_straight_to_services(context, real_web):
    chat = Chat(context.new_page(), real_web).open()
    chat.send("we need nappies, we live in Brixton")
    first = find_services(load_directory(), "baby_essentials", "lambeth")[0]
    chat.wait_for_bot(first.name)
    assert chat.bot_bubbles().filter(has_text="Which area").count() == 0


def test_danger_mid_question_shows_999_first(context, real_web):
    chat = Chat(context.new_page(), real_web).open()
    chat.send("I need help with money")
    chat.wait_for_bot("Which area are you in?")
    chat.send("he's hitting me right now")
    bubble = chat.wait_for_bot("call 999")
    assert "If you are in danger now, call 999." in bubble.inner_text().splitlines()[:2]


def test_the_mentor_page_finds_services(context, real_web):
    page = context.new_page()
    mentor_sign_in(page, real_web.url)
    page.get_by_label("Food and essentials for meals (food banks, parcels, Healthy Start)").check()
    page.get_by_label("Area").select_option("southend")
    page.get_by_role("button", name="Search").click()
    first = find_services(load_directory(), "food", "southend")[0]
    expect(page.get_by_role("heading", name=first.name)).to_be_visible()
    page.get_by_label("How is it safe for a service to get in touch?").select_option("text")
    page.get_by_role("button", name="Make the note").click()
    expect(page.locator("#note-lines")).to_contain_text("Safe ways to contact me: a text message.")


def test_the_referral_note_in_the_chat_can_be_trimmed_and_saved(context, real_web):
    chat = Chat(context.new_page(), real_web).open()
    chat.send("I need a food bank in Bradford")
    chat.page.get_by_role("button", name="Make a note for the next service").click()
    chat.page.get_by_role("button", name="Yes, make a note").click()
    for choice in ("A text message", "Evenings", "Skip", "A quiet space"):
        chat.page.get_by_role("button", name=choice, exact=True).click()
    note = chat.wait_for_bot("Note for the next service")
    expect(note).to_contain_text("Safe ways to contact me: a text message.")
    chat.page.get_by_role("button", name="Remove times line").click()
    trimmed = chat.bot_bubbles().filter(has_text="Note for the next service").last
    expect(trimmed).not_to_contain_text("Good times")
    with chat.page.expect_download() as download:
        chat.page.get_by_role("button", name="Save note").last.click()
    saved = open(download.value.path(), encoding="utf-8").read()
    assert "Safe ways to contact me: a text message." in saved and "Good times" not in saved
    expect(chat.page.get_by_role("button", name="Print note").last).to_be_visible()
