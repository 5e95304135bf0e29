"""Small screens, zoom, touch targets, contrast, axe-core, and the docs screenshot."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

REPO = Path(__file__).resolve().parents[2]
SCREENSHOT_PATH = REPO / "docs" / "chat-360.png"
LONG_WORD = "https://example.org/" + "averyveryverylongpathsegment" * 8


def _have_a_conversation(page, with_buttons: bool = True) -> None:
    page.locator("#chat-log .entry-bot").first.wait_for()
    page.fill("#chat-input", "phones")
    page.press("#chat-input", "Enter")
    page.locator("#chat-log .entry-bot .bubble").filter(has_text="Samaritans").wait_for()
    if with_buttons:
        page.fill("#chat-input", "I need help " + LONG_WORD)
        page.press("#chat-input", "Enter")
        page.locator("#chat-log .entry-bot .bubble").filter(has_text="I heard").wait_for()


def _no_horizontal_scroll(page) -> None:
    overflow = page.evaluate(
        "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert overflow[0] <= overflow[1], f"horizontal scroll: scrollWidth/clientWidth = {overflow}"


# 320 px is 1280 px at 400% zoom; 640 px is 1280 px at 200% zoom.
@pytest.mark.parametrize("width,height", [(320, 568), (360, 640), (640, 400)])
def test_no_horizontal_scroll_and_leave_button_stays_on_screen(
    new_context, web_server, needs_fake, width, height
):
    page = new_context(viewport={"width": width, "height": height}).new_page()
    page.goto(web_server.url)
    _have_a_conversation(page)
    _no_horizontal_scroll(page)
    page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
    page.wait_for_timeout(100)
    box = page.locator("#quick-exit").bounding_box()
    assert box["y"] >= 0 and box["y"] + box["height"] <= height, box
    assert box["x"] >= 0 and box["x"] + box["width"] <= width, box
    # Every message is fully inside the page width.
    for bubble in page.locator("#chat-log .bubble, #chat-log .choice").all():
        b = bubble.bounding_box()
        assert b["x"] >= 0 and b["x"] + b["width"] <= width + 0.5, b


def test_page_zoomed_200_percent(new_context, web_server, needs_fake):
    # Chromium zoom through CSS: the layout must still reflow without sideways scrolling.
    page = new_context(viewport={"width": 1280, "height": 800}).new_page()
    page.goto(web_server.url)
    page.evaluate("document.documentElement.style.zoom = '200%'")
    _have_a_conversation(page)
    _no_horizontal_scroll(page)


def test_touch_targets_are_at_least_44px(new_context, web_server, needs_fake):
    page = new_context(viewport={"width": 360, "height": 740}).new_page()
    page.goto(web_server.url)
    _have_a_conversation(page)
    targets = page.locator("#quick-exit, button, textarea").all()
    assert len(targets) >= 4
    for target in targets:
        box = target.bounding_box()
        label = target.text_content() or target.get_attribute("id")
        assert box["height"] >= 44 and box["width"] >= 44, (label, box)


def test_every_control_has_a_label(chat, needs_fake):
    chat.open()
    page = chat.page
    unnamed = page.evaluate(
        """() => [...document.querySelectorAll('a, button, textarea, input, select')]
            .filter(e => {
              const labelled = e.labels && e.labels.length;
              const name = (e.getAttribute('aria-label') || e.textContent || '').trim();
              return !labelled && !name;
            }).map(e => e.outerHTML)"""
    )
    assert unnamed == []


def test_user_and_bot_messages_differ_by_more_than_colour(chat, needs_fake):
    chat.open()
    chat.send("hello")
    chat.wait_for_bot("Thanks. I heard: hello")
    page = chat.page
    user = page.locator("#chat-log .entry-user .bubble").last
    bot = page.locator("#chat-log .entry-bot .bubble").last
    expect(user.locator(".visually-hidden")).to_have_text("You said: ")
    expect(bot.locator(".visually-hidden")).to_have_text("Assistant said: ")
    ub, bb = user.bounding_box(), bot.bounding_box()
    log = page.locator("#chat-log").bounding_box()
    # User messages sit on the right, the assistant's on the left.
    assert abs((ub["x"] + ub["width"]) - (log["x"] + log["width"])) < 2
    assert abs(bb["x"] - log["x"]) < 2


def _contrast(page, selector: str) -> float:
    return page.evaluate(
        """(sel) => {
          const el = document.querySelector(sel);
          const parse = c => c.match(/[\\d.]+/g).slice(0, 3).map(Number);
          const bgOf = e => {
            for (; e; e = e.parentElement) {
              const c = getComputedStyle(e).backgroundColor;
              if (c && !c.endsWith(', 0)') && c !== 'transparent') return parse(c);
            }
            return [255, 255, 255];
          };
          const lum = ([r, g, b]) => {
            const f = v => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
            return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
          };
          const a = lum(parse(getComputedStyle(el).color)), b = lum(bgOf(el));
          return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
        }""",
        selector,
    )


def test_text_contrast_is_at_least_4_5(chat, needs_fake):
    chat.open()
    chat.send("phones")
    chat.wait_for_bot("Samaritans")
    page = chat.page
    page.route("**/api/chat", lambda route: route.abort("connectionrefused"))
    chat.send("hello")
    page.locator("#chat-log .entry-notice").first.wait_for()
    selectors = [
        "body",
        ".site-name",
        "#quick-exit",
        "h1",
        ".intro",
        ".chat-about",
        ".urgent",
        ".urgent a",
        "#chat-log .entry-bot .bubble",
        "#chat-log .entry-bot .bubble a",
        "#chat-log .entry-user .bubble",
        "#chat-log .entry-notice .bubble",
        "#chat-log .entry-notice .bubble a",
        ".composer-label",
        "#chat-input",
        "#chat-send",
        ".hint",
        ".privacy-note",
        ".site-footer",
    ]
    low = {s: round(_contrast(page, s), 2) for s in selectors}
    low = {s: c for s, c in low.items() if c < 4.5}
    assert low == {}


def test_axe_core_finds_no_serious_or_critical_issues(new_context, web_server, axe, needs_fake):
    # The page's CSP (rightly) blocks injected scripts, so this one context bypasses it.
    page = new_context(bypass_csp=True, viewport={"width": 360, "height": 740}).new_page()
    page.goto(web_server.url)
    _have_a_conversation(page)
    results = {}
    results["conversation"] = axe(page)
    # And with the connection-trouble notice on screen.
    page.route("**/api/chat", lambda route: route.abort("connectionrefused"))
    page.fill("#chat-input", "hello")
    page.press("#chat-input", "Enter")
    page.locator("#chat-log .entry-notice").first.wait_for()
    results["offline"] = axe(page)
    bad = {
        state: [v for v in violations if v["impact"] in ("serious", "critical")]
        for state, violations in results.items()
    }
    assert bad == {"conversation": [], "offline": []}, json.dumps(results, indent=1)


def test_screenshot_360(new_context, web_server, needs_fake):
    page = new_context(viewport={"width": 360, "height": 780}, device_scale_factor=2).new_page()
    page.goto(web_server.url)
    page.locator("#chat-log .entry-bot").first.wait_for()
    page.get_by_role("button", name="Food", exact=True).click()
    page.locator("#chat-log .entry-bot .bubble").filter(has_text="Which area").wait_for()
    page.evaluate("window.scrollTo(0, 0)")
    page.wait_for_timeout(200)
    SCREENSHOT_PATH.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOT_PATH), full_page=True)
    assert SCREENSHOT_PATH.stat().st_size > 10_000
