"""The family mentors' page, one test (or more) per numbered problem of the referral-aid issue.

Against the real page and server (`python -m bot.web.server`) over a copy of the real
directory that gives Bradford a directory keeper's address (example.org, test data only),
so "Report a problem" can be seen; Lambeth has none, so it shows nothing there.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from bot.directory import DEFAULT_PATH, load_directory
from bot.mentor import is_stale
from bot.search import Filters, find_services
from tests.browser.conftest import mentor_sign_in, start_web_server

pytestmark = pytest.mark.browser

REPO = Path(__file__).resolve().parents[2]
DOCS = REPO / "docs"
KEEPER = "directory-keeper@example.org"
PHONE = {"width": 390, "height": 844}
PRIVACY = (
    "What is sent and kept: your search (needs, area or postcode, filters) and, when you make the note, the ticked "
    "services and the note choices are sent to this server, which answers and keeps nothing: no record, and not "
    "in its logs. The shortlist and the line you type stay in this browser tab and are gone when you close it."
)


# Enough services for one need and area to need three pages (test data, in this copy only).
EXTRA_COUNT = 23
EXTRA = """
  - id: test-play-{n}
    name: Test Play Group {n}
    organization: {{name: Test}}
    description: A test entry for paging.
    needs: [child_development]
    service_areas: [blackpool]
    phones: [{{number: "0161 496 0{n:03d}", type: voice}}]
    schedules: []
    schedule_description: Ask for times
    fees_description: Free
    free: true
    self_referral: true
    application_process: Just come along.
    eligibility_description: Anyone.
    languages: [{{code: en, name: English}}]
    assured_date: 2026-11-01
    source: test
    status: example
"""


@pytest.fixture(scope="module")
def directory():
    return load_directory()


@pytest.fixture(scope="module")
def mentor_server(fake_rasa, neutral_url, tmp_path_factory):
    folder = tmp_path_factory.mktemp("mentor")
    text = DEFAULT_PATH.read_text(encoding="utf-8")
    marker = "      name: Better Start Bradford\n"
    assert marker in text
    copy = folder / "services_directory.yml"
    copy.write_text(
        text.replace(marker, marker + f"      directory_email: {KEEPER}\n")
        + "".join(EXTRA.format(n=n) for n in range(1, EXTRA_COUNT + 1)),
        encoding="utf-8",
    )
    server = start_web_server(
        fake_rasa.url,
        neutral_url,
        folder / "server.log",
        extra_env={"SERVICES_DIRECTORY": str(copy)},
    )
    yield server
    server.stop()


class Mentor:
    """Drives /mentor with the mouse; the keyboard test below uses keys only."""

    def __init__(self, page, server) -> None:
        self.page = page
        mentor_sign_in(page, server.url)  # the mentors' view needs the partnership's sign-in code
        page.locator("#needs input").first.wait_for()
        page.locator("#language option").nth(1).wait_for(state="attached")

    def search(self, needs, area="", language="", open_on="", **flags) -> None:
        page = self.page
        for box in page.locator("#needs input").all():
            box.set_checked(box.get_attribute("value") in needs)
        page.select_option("#area", area)
        page.select_option("#language", language)
        page.select_option("#open_on", open_on)
        for name in ("open_now", "free", "self_referral", "pregnant"):
            page.locator(f"input[name={name}]").set_checked(bool(flags.get(name)))
        with page.expect_response("**/api/mentor/search"):
            page.get_by_role("button", name="Search", exact=True).click()
        expect(page.locator("#status")).to_contain_text("found")

    def cards(self):
        return self.page.locator("#results article.card")

    def card(self, name: str):
        return self.page.get_by_role("article", name=name)

    def why(self) -> list[str]:
        return self.cards().locator(".why").all_inner_texts()

    def tick(self, name: str) -> None:
        self.page.get_by_role("checkbox", name=f"Add to shortlist: {name}").check()

    def make_note(self) -> None:
        self.page.get_by_role("button", name="Make the note").click()
        expect(self.page.locator("#handout")).to_be_visible()


def names(services) -> list[str]:
    return [s.name for s in services]


# 1. The language filter counts services that book interpreters, and each card says which.
def test_1_language_means_spoken_or_interpreter(page, mentor_server, directory):
    mentor = Mentor(page, mentor_server)
    mentor.search(["perinatal_mental_health"], area="lambeth", language="ur")
    expected = names(
        find_services(directory, "perinatal_mental_health", "lambeth", Filters(language="ur"))
    )[:10]
    assert expected, "the directory has Lambeth services that book interpreters"
    expect(mentor.cards()).to_have_count(len(expected))
    for line in mentor.why():
        assert "Urdu spoken" in line or "Interpreter on request" in line, line


# 2. The note lists only ticked services still on screen; ticks survive a search that still lists them.
def test_2_note_names_only_ticked_services_still_listed(page, mentor_server, directory):
    mentor = Mentor(page, mentor_server)
    mentor.search(["food"], area="bradford")
    food = names(find_services(directory, "food", "bradford"))
    first = mentor.cards().nth(0).locator("h3").inner_text()
    mentor.tick(first)
    mentor.make_note()
    expect(page.locator("#handout-services")).to_contain_text(first)
    mentor.search(["housing"], area="lambeth")
    housing = mentor.cards().nth(0).locator("h3").inner_text()
    assert first in food and first not in names(find_services(directory, "housing", "lambeth"))
    mentor.tick(housing)
    expect(page.locator("#note-lines")).to_contain_text(housing)
    expect(page.locator("#handout")).not_to_contain_text(first)
    expect(page.locator("#shortlist-items li")).to_have_text([housing])


def test_2_ticks_survive_a_new_search_that_still_lists_the_service(page, mentor_server):
    mentor = Mentor(page, mentor_server)
    mentor.search(["food"], area="bradford")
    first = mentor.cards().nth(0).locator("h3").inner_text()
    mentor.tick(first)
    mentor.search(["food", "money"], area="bradford")
    expect(page.get_by_role("checkbox", name=f"Add to shortlist: {first}").first).to_be_checked()
    mentor.make_note()
    expect(page.locator("#note-lines")).to_contain_text(first)


# 3. Unknown hours never count as open; they say so and come after every known-open service.
def test_3_unknown_hours_are_not_open_on_saturday(page, mentor_server):
    mentor = Mentor(page, mentor_server)
    mentor.search(["money"], open_on="SA")
    lines = mentor.why()
    hardship = mentor.card("Help through Hardship helpline").locator(".why")
    expect(hardship).to_have_text(re.compile(r"^Hours not known: call to check"))
    known = [not line.startswith("Hours not known") for line in lines]
    assert known == sorted(known, reverse=True), lines
    assert all(
        line.startswith(("Open Sat", "Open 24 hours"))
        for line, k in zip(lines, known, strict=True)
        if k
    ), lines


# 4. Zero results say which single filter to drop and how many that would give.
def test_4_zero_results_say_which_filter_to_drop(page, mentor_server, directory):
    mentor = Mentor(page, mentor_server)
    mentor.search(
        ["perinatal_mental_health"], area="lambeth", language="pl", open_on="SU", free=True
    )
    hint = page.locator("#results .hint")
    expect(hint).to_contain_text("No services match all these filters.")
    without_sunday = len(
        find_services(
            directory, "perinatal_mental_health", "lambeth", Filters(language="pl", free=True)
        )
    )
    assert without_sunday
    expect(hint).to_contain_text(f'Without "Open on Sunday": {without_sunday} service(s).')


# 5. Compact cards on a phone; Search moves focus to the count; numbers and websites can be tapped.
def test_5_phone_cards_are_compact_tappable_and_search_moves_focus(
    new_context, mentor_server, directory
):
    page = new_context(viewport=PHONE, device_scale_factor=2).new_page()
    mentor = Mentor(page, mentor_server)
    page.locator("#needs input[value=food]").check()
    page.select_option("#area", "bradford")
    page.locator("#search-button").focus()
    page.keyboard.press("Enter")
    expect(page.locator("#status")).to_contain_text("found")
    assert page.evaluate("document.activeElement.id") == "status"
    box = page.locator("#status").bounding_box()
    assert 0 <= box["y"] and box["y"] + box["height"] <= PHONE["height"], box
    five = mentor.cards().all()[:5]
    assert len(five) == 5
    top, bottom = five[0].bounding_box(), five[-1].bounding_box()
    span = bottom["y"] + bottom["height"] - top["y"]
    assert span <= 2.5 * PHONE["height"], f"five cards take {span:.0f}px on a 390px phone"
    for card in five:
        phones = [
            p
            for s in find_services(directory, "food", "bradford")
            for p in s.phones
            if s.name == card.locator("h3").inner_text()
        ]
        if any(p.type == "voice" for p in phones):
            assert card.locator("a[href^='tel:']").count() >= 1
    webs = page.locator("#results a[href^='http']")
    assert webs.count() >= 1
    width = page.evaluate(
        "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert width[0] <= width[1], width
    DOCS.mkdir(exist_ok=True)
    page.evaluate("document.getElementById('status').scrollIntoView()")
    page.screenshot(path=str(DOCS / "mentor-phone.png"))


def test_5_results_come_a_page_at_a_time(page, mentor_server, directory):
    mentor = Mentor(page, mentor_server)
    mentor.search(["child_development"], area="blackpool")
    total = EXTRA_COUNT + len(find_services(directory, "child_development", "blackpool"))
    expect(mentor.cards()).to_have_count(10)
    expect(page.locator("#status")).to_contain_text("10+ services found")
    more = page.get_by_role("button", name=re.compile("^Show more"))
    more.click()
    expect(mentor.cards()).to_have_count(20)
    assert page.evaluate("document.activeElement.id") == mentor.cards().nth(10).get_attribute("id")
    more.click()
    expect(mentor.cards()).to_have_count(total)
    expect(more).to_have_count(0)
    ids = [card.get_attribute("id") for card in mentor.cards().all()]
    assert len(set(ids)) == total


def test_a_lost_connection_says_so_and_keeps_every_choice(page, mentor_server):
    mentor = Mentor(page, mentor_server)
    mentor.search(["food"], area="bradford", free=True)
    page.route("**/api/mentor/search", lambda route: route.abort("connectionrefused"))
    page.get_by_role("button", name="Search", exact=True).click()
    expect(page.locator("#status")).to_have_text(
        "Couldn't reach the server. Your choices are still here: please try again."
    )
    assert (
        page.locator("#needs input[value=food]").is_checked()
        and page.locator("input[name=free]").is_checked()
    )
    assert page.input_value("#area") == "bradford"


# 6. No internal codes or file names anywhere, with every card's details open.
def test_6_no_codes_or_file_names_on_the_page(page, mentor_server):
    mentor = Mentor(page, mentor_server)
    assert page.locator("#open_on option").all_inner_texts() == [
        "Any day",
        "Monday",
        "Tuesday",
        "Wednesday",
        "Thursday",
        "Friday",
        "Saturday",
        "Sunday",
    ]
    for needs, area in (
        (["food", "money", "perinatal_mental_health"], "bradford"),
        (["domestic_abuse", "parenting"], ""),
    ):
        mentor.search(needs, area=area, language="ur", open_on="SA")
        for summary in page.locator("#results summary").all():
            summary.click()
        text = page.locator("body").inner_text()
        for code in re.findall(r"\b(?:MO|TU|WE|TH|FR|SA|SU)\b", text):
            pytest.fail(f"day code {code!r} on the page")
        for internal in (
            "helplines.md",
            ".yml",
            "status:",
            "(voice)",
            "Covers\tnational",
            "Covers\nnational",
            ".;",
            "midnight to midnight",
        ):
            assert internal not in text, internal


# 7. Report a problem: a prefilled email to the directory keeper naming the service id and the field.
def test_7_report_a_problem_emails_the_directory_keeper(page, mentor_server, directory):
    mentor = Mentor(page, mentor_server)
    mentor.search(["food"], area="bradford")
    first = find_services(directory, "food", "bradford")[0]
    card = mentor.card(first.name)
    card.get_by_text("Details").click()
    report = card.get_by_role("link", name=f"Report a problem with {first.name}")
    expect(report).to_have_attribute("href", re.compile(f"^mailto:{re.escape(KEEPER)}\\?subject="))
    card.get_by_role("combobox", name=f"Which detail is wrong for {first.name}").select_option(
        "Phone"
    )
    href = report.get_attribute("href")
    from urllib.parse import parse_qs, urlsplit

    query = parse_qs(urlsplit(href).query)
    assert (
        first.id in query["subject"][0]
        and f"Service id: {first.id}" in query["body"][0]
        and "Field: Phone" in query["body"][0]
    )
    expect(page.locator("#results .report a")).to_have_count(mentor.cards().count())
    # Lambeth's directory names no keeper: nothing is invented, so no link.
    mentor.search(["food"], area="lambeth")
    expect(mentor.cards().first).to_be_visible()
    expect(page.locator("#results .report a")).to_have_count(0)


def test_7_cards_flag_entries_not_checked_for_six_months(page, mentor_server, directory):
    mentor = Mentor(page, mentor_server)
    mentor.search(["food", "money", "housing"], area="bradford")
    stale = {s.name for s in directory.services.values() if is_stale(s)}
    flagged = {
        card.locator("h3").inner_text()
        for card in mentor.cards().all()
        if card.locator(".stale").count()
    }
    shown = set(mentor.cards().locator("h3").all_inner_texts())
    assert flagged == shown & stale
    assert flagged and shown - stale, "this search should show both kinds"
    expect(page.locator("#results .stale").first).to_have_text("Not checked for over 6 months")


# 8. Print and share only the shortlist and the note, with date, partnership contact and filters.
def test_8_print_has_only_the_shortlist_and_note_on_one_page(page, mentor_server, directory):
    mentor = Mentor(page, mentor_server)
    expect(page.locator("#privacy")).to_have_text(PRIVACY)
    mentor.search(["food"], area="bradford", language="ur", free=False)
    shown = mentor.cards().locator("h3").all_inner_texts()
    assert len(shown) >= 2
    mentor.tick(shown[1])
    page.get_by_label("How is it safe for a service to get in touch?").select_option("text")
    page.get_by_label(re.compile("^One line agreed with the family")).fill("mornings are best")
    mentor.make_note()
    expect(page.locator("#note-lines")).to_contain_text("mornings are best")
    page.emulate_media(media="print")
    handout = page.locator("#handout")
    expect(handout).to_be_visible()
    for hidden in ("#search", "#results", "#shortlist", "#status"):
        expect(page.locator(hidden)).to_be_hidden()
    text = handout.inner_text()
    assert shown[1] in text and not any(name in text for name in shown if name != shown[1])
    assert re.search(r"Made on \d{1,2} [A-Z][a-z]+ 20\d\d\.", text)
    assert "Partnership contact: Better Start Bradford, 0113 496 0500" in text
    assert (
        "Filters: Urdu: spoken or interpreter." in text
        and "Safe ways to contact me: a text message." in text
    )
    assert "Remove" not in text and "Copy" not in text
    pdf = page.pdf(format="A4")
    assert len(re.findall(rb"/Type\s*/Page[^s]", pdf)) == 1
    page.emulate_media(media="screen")
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.get_by_role("button", name="Copy").click()
    expect(page.locator("#share-status")).to_have_text("Copied.")
    copied = page.evaluate("navigator.clipboard.readText()")
    assert shown[1] in copied and shown[0] not in copied and "mornings are best" in copied
    with page.expect_download() as download:
        page.get_by_role("button", name="Download").click()
    saved = Path(download.value.path()).read_text(encoding="utf-8")
    assert shown[1] in saved and shown[0] not in saved and "mornings are best" in saved
    assert (
        "Partnership contact: Better Start Bradford" in saved
        and "Filters:" in saved
        and "Made on" in saved
    )


def test_8_the_note_can_be_edited(page, mentor_server):
    mentor = Mentor(page, mentor_server)
    mentor.search(["food"], area="bradford")
    mentor.tick(mentor.cards().nth(0).locator("h3").inner_text())
    page.get_by_label("How is it safe for a service to get in touch?").select_option("text")
    mentor.make_note()
    page.get_by_role("button", name="Remove contact line").click()
    expect(page.locator("#note-lines")).not_to_contain_text("Safe ways to contact me")
    page.get_by_label("How is it safe for a service to get in touch?").select_option("phone")
    expect(page.locator("#note-lines")).to_contain_text("Safe ways to contact me: a phone call.")


# 9. Accessibility: a focus outline of 3:1 or more, unique names, labels beside checkboxes, axe clean.
def _luminance(rgb) -> float:
    def channel(c):
        c /= 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(float(x)) for x in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def test_9_focus_outline_names_and_labels(page, mentor_server):
    mentor = Mentor(page, mentor_server)
    mentor.search(["food"], area="bradford")
    for selector in (
        "#search-button",
        "#results input[type=checkbox]",
        "#results summary",
        "#results a",
    ):
        page.locator(selector).first.focus()
        page.keyboard.press("Shift+Tab")
        page.keyboard.press("Tab")
        colour, width = page.evaluate(
            "(s => [s.outlineColor, s.outlineWidth])(getComputedStyle(document.activeElement))"
        )
        rgb = re.findall(r"[\d.]+", colour)[:3]
        ratio = (1.05) / (_luminance(rgb) + 0.05)
        assert ratio >= 3 and float(width.rstrip("px")) >= 2, (selector, colour, ratio)
    named = page.evaluate("""() => [...document.querySelectorAll('a[href], button, input, select, summary')]
        .filter(e => e.offsetParent !== null)
        .map(e => (e.getAttribute('aria-label') || (e.labels && e.labels.length ? e.labels[0].textContent : e.textContent))
                  .replace(/\\s+/g, ' ').trim())""")
    assert all(named), named
    duplicates = sorted({n for n in named if named.count(n) > 1})
    assert not duplicates, duplicates
    for box in page.locator("input[type=checkbox]").all():
        tick = box.bounding_box()
        words = box.locator("xpath=following-sibling::span[1]").bounding_box()
        assert words["x"] > tick["x"] + tick["width"] - 1, "label text sits beside, to the right"
        assert abs((words["y"] + words["height"] / 2) - (tick["y"] + tick["height"] / 2)) < 16, (
            tick,
            words,
        )


def test_9_axe_finds_no_violations_with_results_and_a_note(new_context, mentor_server, axe):
    for viewport in ({"width": 1024, "height": 768}, PHONE):
        page = new_context(bypass_csp=True, viewport=viewport).new_page()
        mentor = Mentor(page, mentor_server)
        mentor.search(["food", "money"], area="bradford", language="ur")
        mentor.tick(mentor.cards().nth(0).locator("h3").inner_text())
        mentor.make_note()
        page.locator("#results summary").first.click()
        violations = axe(page, tags=None)
        assert violations == [], json.dumps(violations, indent=1)
        if viewport is not PHONE:
            page.screenshot(path=str(DOCS / "mentor-results.png"))
            page.locator("#handout").screenshot(path=str(DOCS / "mentor-note.png"))


# The whole task with the keyboard only.
def _tab_to(page, name: str, limit: int = 250) -> None:
    for _ in range(limit):
        page.keyboard.press("Tab")
        here = page.evaluate("""() => { const e = document.activeElement;
            return (e.getAttribute('aria-label') || (e.labels && e.labels.length ? e.labels[0].textContent : e.textContent) || '')
              .replace(/\\s+/g, ' ').trim(); }""")
        if here == name or here.startswith(name + " ") and name.endswith(":"):
            return
    raise AssertionError(f"Tab never reached {name!r}")


def test_keyboard_only_search_shortlist_and_note(page, mentor_server, directory):
    Mentor(page, mentor_server)
    _tab_to(page, directory.needs["food"].label)
    page.keyboard.press("Space")
    _tab_to(page, "Area")
    page.keyboard.type("Bradford")
    _tab_to(page, "Search")
    page.keyboard.press("Enter")
    expect(page.locator("#status")).to_contain_text("found")
    assert page.evaluate("document.activeElement.id") == "status"
    first = find_services(directory, "food", "bradford")[0].name
    _tab_to(page, f"Add to shortlist: {first}")
    page.keyboard.press("Space")
    _tab_to(page, f"Details of {first}")
    page.keyboard.press("Enter")
    expect(page.get_by_role("article", name=first).locator("dl")).to_be_visible()
    _tab_to(page, "Make the note")
    page.keyboard.press("Enter")
    expect(page.locator("#handout-services")).to_contain_text(first)
    assert page.evaluate("document.activeElement.id") == "handout"
