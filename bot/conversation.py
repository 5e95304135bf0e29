"""The signposting conversation: ask only for what is missing, then show services.

This is the "form" of the assistant, kept free of Rasa so it can be tested in milliseconds:
the action reads slots into a `Turn`, calls `Signposting.next`, and sends back the `Step` it returns.
Nothing the parent has told us is asked again (tell it once).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace

from bot import postcode_table
from bot.directory import Directory
from bot.places import AreaAnswer, Places
from bot.postcodes import PostcodeLookup
from bot.replies import (
    Reply,
    acknowledgement,
    next_steps,
    not_understood,
    say,
    sensitive_needs,
    service_message,
    talk_to_person,
    which_area,
)
from bot.search import LONDON, find_services, language_match, open_line_on_first_page
from bot.translations import translations

PAGE = 3  # services per reply: enough to choose, short enough for a phone screen
MAX_NOTE_SERVICES = 6  # the referral note names at most this many services
ASK_NEED, ASK_AREA = "utter_ask_need", "utter_ask_area"
NEED_SKIPPED = "utter_need_skipped"
NOT_UNDERSTOOD = "utter_rephrase"  # the whole list of needs, when the model has no likely one
LIKELY_NEEDS = 3  # the fallback offers at most this many needs first
LIKELY_SHARE = 0.2  # ...each at least this share of the likeliest need's probability
NEED_INTENT_PREFIX = "need_"
CHOOSE_LANGUAGE = "choose_language"  # a language button or the page's picker
# A need the model read this sure stays the need when the message also uses another need's
# words ("he takes my universal credit" is about control, not money); those words are
# offered next instead. Below this, the first need named in words wins, as a person would.
SURE_OF_THE_NEED = 0.8
PERSON = "person"  # `asked` when action_talk_to_person asked which area
# Read as one of these, an answer to "which area?" that names a place we know ("oval", "off
# sutton road") is the place: the parent answered the question, they did not skip it.
ANSWERS_WHICH_AREA = {"rather_not_say", "go_back", "more_services", "affirm", "find_support"}


@dataclass(frozen=True)
class Turn:
    """What we know after the parent's latest message (slots, plus that message)."""

    intent: str
    text: str = ""
    confidence: float = 0.0  # the model's confidence in `intent` (1.0 for a button)
    need: str | None = None
    area: str | None = None
    asked: str | None = None
    area_skipped: bool = False
    other_needs: tuple[str, ...] = ()
    shown: int = 0
    named_needs: tuple[str, ...] = ()  # need entities in the latest message, in order
    sentence_needs: tuple[
        str, ...
    ] = ()  # needs its sentences named (bot.sentences.needs_in_sentences)
    previous_need: str | None = None  # the need before this message (a new need intent replaces it)
    needs_shown: tuple[str, ...] = ()  # for the referral note: needs and services seen so far
    services_shown: tuple[str, ...] = ()
    # What the parent wrote earlier, most recent first, since the area was last set, skipped
    # or asked for: a place named there ("hi, I'm in Bulwell") is not asked for again.
    earlier_texts: tuple[str, ...] = ()
    # After "We're safe right now": `intent`, `text` and `named_needs` are those of the message
    # that brought the safety check-in, so what it said is not lost.
    resumed: bool = False
    language: str | None = None  # the `language` slot: a code; None is English
    # The language was found from this very message (no button): a draft language's notice
    # comes first.
    language_new: bool = False


# The intents that move the signposting on; anything else, resumed after a check-in, only
# carries on from where we were.
MOVES_ON = {
    "find_support",
    "inform_area",
    "change_area",
    "more_services",
    "rather_not_say",
    "go_back",
    "affirm",
}


@dataclass
class Step:
    """What to say (domain response names or Replies, in order) and which slots change."""

    say: list[str | Reply] = field(default_factory=list)
    slots: dict = field(default_factory=dict)


class Signposting:
    def __init__(
        self,
        directory: Directory,
        postcodes: dict[str, str] | None = None,
        lookup: PostcodeLookup | None = None,
    ):
        self.directory = directory
        self.places = Places(directory, postcode_table.load() if postcodes is None else postcodes)
        # postcodes.io, only for a full postcode in a shared district that the offline table
        # doesn't know (e.g. a new one), and only when the deployment turned it on; otherwise,
        # or on any failure, we ask "which area?" and the postcode never leaves the server.
        self.lookup = lookup if lookup is not None else PostcodeLookup.if_turned_on(timeout=1.5)

    def next(self, turn: Turn, now: dt.datetime | None = None) -> Step:
        step = Step()
        lang = translations().offered(turn.language)
        if turn.language_new and turn.intent != CHOOSE_LANGUAGE:
            notice = translations().line("draft_notice", lang) if lang else None
            if notice and translations().is_draft(lang):
                step.say.append(Reply(notice))
        if turn.intent == CHOOSE_LANGUAGE:
            # A new language carries on where we were: the same question, in the new words.
            turn = replace(turn, resumed=True)
        need, area, skipped = turn.need, turn.area, turn.area_skipped
        if area is not None and area not in self.directory.areas:
            area = None  # never trust a slot value that is not an area id
        intent = turn.intent
        if turn.asked == "area" and intent in ANSWERS_WHICH_AREA and self._names_a_place(turn.text):
            intent = "inform_area"
        if turn.resumed:
            held_need = (
                intent[len(NEED_INTENT_PREFIX) :] if intent.startswith(NEED_INTENT_PREFIX) else None
            )
            if held_need in self.directory.needs:
                need = held_need
                step.slots["need"] = need
            elif (
                intent not in MOVES_ON
                and not turn.named_needs
                and turn.asked is None
                and need
                and (area or skipped)
            ):
                # Services were shown and nothing was pending: don't show them twice.
                upcoming = [n for n in turn.other_needs if n != need and n in self.directory.needs]
                other = (upcoming[0], self._short_label(upcoming[0], lang)) if upcoming else None
                step.say.append(
                    next_steps(
                        more=False, other_need=other, text=say("no_question", lang), lang=lang
                    )
                )
                return step

        if intent == "more_services" and need and (area or skipped):
            return self._results(step, need, area, turn, turn.other_needs, turn.shown, now)
        if intent == "change_area":
            # "change area to Lambeth" names the new place: use it rather than ask again.
            named_area = self.places.resolve("" if turn.text.startswith("/") else turn.text).area
            area, skipped = named_area, False
            step.slots.update(area=named_area, area_skipped=False, postcode=None)
        elif intent == "find_support" and turn.asked is None and need and not turn.named_needs:
            # "Something else" after services: a new need, same area. (With a question
            # pending, e.g. after urgent help, find_support carries on where we were.)
            need = None
            step.slots["need"] = None
        elif intent == "go_back":
            if turn.asked == "area" or (need and not area and not skipped):
                need = None
                step.slots["need"] = None
            elif area or skipped:
                area, skipped = None, False
                step.slots.update(area=None, area_skipped=False)
        elif intent == "rather_not_say":
            if turn.asked == "area":
                skipped = True
                step.slots["area_skipped"] = True
            elif need is None:
                step.say.append(NEED_SKIPPED)
                step.slots["asked"] = None
                return step
            else:  # nothing was asked: don't repeat the services, just offer what's next
                step.say.append(
                    next_steps(
                        more=False, other_need=None, text=say("no_question", lang), lang=lang
                    )
                )
                return step

        named = [n for n in dict.fromkeys(turn.named_needs) if n in self.directory.needs]
        read_need = (
            intent[len(NEED_INTENT_PREFIX) :] if intent.startswith(NEED_INTENT_PREFIX) else None
        )
        if (
            turn.asked == "area"
            and read_need
            and not named
            and turn.previous_need in self.directory.needs
            and read_need != turn.previous_need
            and self._names_a_place(turn.text)
        ):
            # The answer to "which area?" ("we live on the Myatts Field estate") is about the
            # place: the need the parent already told us stays.
            need = turn.previous_need
            step.slots["need"] = need
        elif named:
            sure = read_need == need and turn.confidence >= SURE_OF_THE_NEED
            if not sure and (need not in named or not read_need):
                need = named[0]
                step.slots["need"] = need
        # A second need said before the first was answered ("I cry all day", then, asked for
        # the area, "he won't stop crying"): both were told us, so the first is offered next.
        earlier = (
            [turn.previous_need]
            if turn.asked == "area" and turn.previous_need in self.directory.needs
            else []
        )
        # Other needs in the same message ("we've no food. and the landlord wants us out") come next.
        told = [n for n in turn.sentence_needs if n in self.directory.needs]
        other_needs = [
            n for n in dict.fromkeys([*turn.other_needs, *earlier, *named, *told]) if n != need
        ]

        outside = False
        if (
            area is None
            and not skipped
            and intent not in ("change_area", "go_back", "rather_not_say")
        ):
            answer = self.places.resolve("" if turn.text.startswith("/") else turn.text)
            if intent != "inform_area" and not (answer.area or answer.choices or answer.outside):
                answer = next(
                    (
                        a
                        for a in map(self.places.resolve, turn.earlier_texts)
                        if a.area or a.choices
                    ),
                    answer,
                )
            if answer.needs_choice and answer.postcode and self.lookup:
                found = self.lookup.area_for(answer.postcode, self.directory)
                answer = AreaAnswer(area=found, postcode=answer.postcode) if found else answer
            if answer.area:
                area = answer.area
                step.slots["area"] = area
            elif answer.needs_choice:
                step.slots.update(asked="area", other_needs=other_needs)
                step.say.extend(self._acknowledge(turn, need))
                step.say.append(
                    which_area(
                        [self.directory.areas[a] for a in answer.choices],
                        answer.place,
                        postcode=answer.shared_district,
                        lang=lang,
                    )
                )
                return step
            elif intent == "inform_area" or answer.outside:
                skipped = outside = True
                step.slots["area_skipped"] = True

        if turn.asked == PERSON and area:
            step.slots["asked"] = None
            person = talk_to_person(self.directory.areas[area], lang)
            if person:
                step.say.append(person)
            return step
        if need is None:
            step.slots.update(asked="need", other_needs=other_needs)
            step.say.append(ASK_NEED)
            return step
        if area is None and not skipped:
            step.slots.update(asked="area", other_needs=other_needs)
            step.say.extend(self._acknowledge(turn, need))
            step.say.append(ASK_AREA)
            return step
        if outside:
            step.say.append(Reply(say("outside_areas", lang)))
        return self._results(step, need, area, turn, other_needs, 0, now)

    def _names_a_place(self, text: str) -> bool:
        """Whether the message names a place we know (an area, or one to choose between)."""
        if not text or text.startswith("/"):
            return False
        answer = self.places.resolve(text)
        return bool(answer.area or answer.choices)

    @staticmethod
    def _acknowledge(turn: Turn, need: str | None) -> list[Reply]:
        """Acknowledge, then ask: a sensitive need just told us is thanked before the area question."""
        told_now = turn.intent.startswith(NEED_INTENT_PREFIX) or need in turn.named_needs
        lang = translations().offered(turn.language)
        reply = acknowledgement(need, lang) if told_now and turn.asked != "area" else None
        return [reply] if reply else []

    def _short_label(self, need: str, lang: str | None) -> str:
        """A need's button title in the parent's language (the directory's in English)."""
        return translations().need_label(
            need, "short_label", lang, self.directory.needs[need].short_label
        )

    def not_understood(self, ranking: list[dict], language: str | None = None) -> Step:
        """When the model isn't sure: the two or three needs it thought likeliest, as buttons.

        `ranking` is the model's list of {"name", "confidence"}. Without a likely need (a
        button press, or nothing the model could place) the whole list of needs is offered.
        """
        needs = [
            (r["name"][len(NEED_INTENT_PREFIX) :], float(r.get("confidence") or 0))
            for r in ranking
            if str(r.get("name", "")).startswith(NEED_INTENT_PREFIX)
            and r["name"][len(NEED_INTENT_PREFIX) :] in self.directory.needs
        ]
        needs.sort(key=lambda n: -n[1])
        lang = translations().offered(language)
        # Whatever was asked before, the buttons are a fresh choice ("Something else" is the
        # whole list of needs, not the question that was pending).
        if not needs or needs[0][1] <= 0:
            return Step(say=[NOT_UNDERSTOOD], slots={"asked": None})
        likely = [n for n, p in needs[:LIKELY_NEEDS] if p >= needs[0][1] * LIKELY_SHARE]
        if len(likely) < 2 and len(needs) > 1:
            likely = [n for n, _ in needs[:2]]
        return Step(
            say=[not_understood([(n, self._short_label(n, lang)) for n in likely], lang)],
            slots={"asked": None},
        )

    def _results(
        self, step: Step, need: str, area: str | None, turn: Turn, other_needs, shown: int, now
    ) -> Step:
        lang = translations().offered(turn.language)
        lines = (sensitive_needs().get(need) or {}).get("first_page_lines")
        if lines is None:
            # Only as many as this page and one more (is there a next page?), however big the
            # directory; in another language all of them, to rank by the language first.
            services = find_services(
                self.directory, need, area, now=now, limit=None if lang else shown + PAGE + 1
            )
            services = in_language_first(services, lang)
        else:
            # At night every local service may be closed: a line open now goes on the first page.
            now = now or dt.datetime.now(LONDON)
            services = open_line_on_first_page(
                in_language_first(find_services(self.directory, need, area, now=now), lang),
                lines,
                now,
                PAGE,
            )
        page = services[shown : shown + PAGE]
        need_words = translations().need_label(
            need, "label", lang, self.directory.needs[need].short_label.lower()
        )
        if not page:
            step.say.append(Reply(say("no_more" if shown else "nothing_found", lang)))
        elif shown:
            step.say.append(Reply(say("more_results_intro", lang)))
        elif area and not any(not s.is_national for s in services):
            step.say.append(Reply(say("no_local", lang, area=self.directory.areas[area].name)))
        elif area:
            step.say.append(
                Reply(
                    say(
                        "results_intro", lang, need=need_words, area=self.directory.areas[area].name
                    )
                )
            )
        else:
            step.say.append(Reply(say("results_intro_national", lang, need=need_words)))
        if need == "domestic_abuse" and page:
            step.say.append(Reply(say("safe_phone", lang)))
        step.say.extend(service_message(s, now, lang) for s in page)
        if any(s.is_sample for s in page):
            step.say.append(Reply(say("sample_note", lang)))
        remaining = [n for n in other_needs if n != need]
        upcoming = (remaining[0], self._short_label(remaining[0], lang)) if remaining else None
        step.say.append(
            next_steps(more=len(services) > shown + PAGE, other_need=upcoming, lang=lang)
        )
        step.slots.update(
            asked=None,
            shown=float(shown + len(page)),
            other_needs=remaining,
            needs_shown=list(dict.fromkeys([*turn.needs_shown, need])),
            services_shown=list(dict.fromkeys([*turn.services_shown, *(s.id for s in page)]))[
                -MAX_NOTE_SERVICES:
            ],
        )
        return step


def in_language_first(services: list, lang: str | None) -> list:
    """In another language: services that speak it first, then those that book interpreters,
    then the rest, each group in the order it came (bot.search.language_match, as the mentor
    view filters). English: unchanged."""
    if not lang:
        return services
    rank = {"spoken": 0, "interpreter": 1}
    return sorted(services, key=lambda s: rank.get(language_match(s, lang) or "", 2))
