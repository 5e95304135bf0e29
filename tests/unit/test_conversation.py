"""The signposting conversation: ask only for what's missing; never ask twice."""

from bot.conversation import ASK_AREA, ASK_NEED, NEED_SKIPPED, Turn
from bot.replies import Reply


def texts(step):
    return [m.text if isinstance(m, Reply) else m for m in step.say]


def joined(step):
    return "\n".join(texts(step))


def test_need_and_area_in_one_message_go_straight_to_services(signposting, tuesday_noon):
    step = signposting.next(
        Turn(intent="need_food", text="I need a food bank in Bradford", need="food"), tuesday_noon
    )
    assert ASK_AREA not in step.say and ASK_NEED not in step.say
    assert "Bradford Test Pantry" in joined(step)
    assert step.slots["area"] == "bradford"


def test_missing_area_is_asked_once(signposting, tuesday_noon):
    step = signposting.next(
        Turn(intent="need_food", text="we've got no food", need="food"), tuesday_noon
    )
    assert step.say == [ASK_AREA]
    assert step.slots["asked"] == "area"


def test_missing_need_is_asked(signposting):
    step = signposting.next(Turn(intent="find_support", text="can you help me"))
    assert step.say == [ASK_NEED]


def test_skipping_the_area_shows_national_services(signposting, tuesday_noon):
    step = signposting.next(Turn(intent="rather_not_say", need="food", asked="area"), tuesday_noon)
    assert step.slots["area_skipped"] is True
    assert "National Food Line" in joined(step)
    assert "Bradford Test Pantry" not in joined(step)


def test_skipping_the_need_never_blocks(signposting):
    step = signposting.next(Turn(intent="rather_not_say", asked="need"))
    assert step.say == [NEED_SKIPPED]


def test_second_need_reuses_the_area(signposting, tuesday_noon):
    step = signposting.next(
        Turn(
            intent="need_baby_essentials",
            text="nappies too",
            need="baby_essentials",
            area="lambeth",
        ),
        tuesday_noon,
    )
    assert ASK_AREA not in step.say
    assert "Lambeth Test Baby Bank" in joined(step)


def test_two_needs_in_one_message_are_both_offered(signposting, tuesday_noon):
    turn = Turn(
        intent="find_support",
        text="food and nappies in Bradford",
        named_needs=("food", "baby_essentials"),
    )
    step = signposting.next(turn, tuesday_noon)
    assert step.slots["need"] == "food"
    assert "Bradford Test Pantry" in joined(step)
    last = step.say[-1]
    assert ("Also: Baby things and nappies", "/need_baby_essentials") in last.buttons
    assert step.slots["other_needs"] == ["baby_essentials"]


def test_a_need_said_before_a_second_one_is_offered_after_it(signposting, tuesday_noon):
    # "the cupboards are empty" -> which area? -> "and nappies" -> Lambeth: both needs were told.
    asked = signposting.next(
        Turn(
            intent="need_baby_essentials",
            text="and we need nappies",
            need="baby_essentials",
            asked="area",
            previous_need="food",
        )
    )
    assert asked.say == [ASK_AREA] and asked.slots["other_needs"] == ["food"]
    step = signposting.next(
        Turn(
            intent="inform_area",
            text="Lambeth",
            need="baby_essentials",
            asked="area",
            previous_need="baby_essentials",
            other_needs=("food",),
        ),
        tuesday_noon,
    )
    assert "Lambeth Test Baby Bank" in joined(step)
    assert ("Also: Food", "/need_food") in step.say[-1].buttons


def test_changing_the_area_asks_again(signposting):
    step = signposting.next(
        Turn(intent="change_area", text="/change_area", need="food", area="bradford")
    )
    assert step.say == [ASK_AREA]
    assert step.slots["area"] is None


def test_changing_the_area_to_a_named_place_does_not_ask_again(signposting, tuesday_noon):
    step = signposting.next(
        Turn(
            intent="change_area",
            text="change area to Brixton",
            need="baby_essentials",
            area="bradford",
        ),
        tuesday_noon,
    )
    assert ASK_AREA not in step.say and "Lambeth Test Baby Bank" in joined(step)
    assert step.slots["area"] == "lambeth"


def test_a_new_place_replaces_the_old_one(signposting, tuesday_noon):
    # The NLU puts the new place in the slot; the action shows that area's services.
    step = signposting.next(
        Turn(intent="inform_area", text="actually Brixton", need="baby_essentials", area="lambeth"),
        tuesday_noon,
    )
    assert "Lambeth Test Baby Bank" in joined(step)


def test_shared_postcode_asks_which_area_with_buttons(signposting):
    step = signposting.next(Turn(intent="inform_area", text="SE1 7PB", need="food", asked="area"))
    question = step.say[0]
    assert "Lambeth" in question.text
    assert ("Yes, Lambeth", '/inform_area{"area": "lambeth"}') in question.buttons
    assert any(title == "Skip" for title, _ in question.buttons)


def test_a_place_outside_the_five_areas_gets_national_services_and_an_honest_line(
    signposting, tuesday_noon
):
    step = signposting.next(
        Turn(intent="inform_area", text="I'm in Leeds", need="food", asked="area"), tuesday_noon
    )
    assert "only have local listings" in joined(step)
    assert "National Food Line" in joined(step)


def test_results_show_three_then_more(signposting, tuesday_noon):
    first = signposting.next(
        Turn(intent="need_food", text="food in Bradford", need="food"), tuesday_noon
    )
    assert first.slots["shown"] == 3.0
    assert not any(title == "More options" for title, _ in first.say[-1].buttons)


def test_each_service_says_name_contact_hours_and_referral(signposting, tuesday_noon):
    step = signposting.next(
        Turn(intent="need_food", text="food bradford", need="food"), tuesday_noon
    )
    pantry = next(
        m.text
        for m in step.say
        if isinstance(m, Reply) and m.text.startswith("Bradford Test Pantry")
    )
    assert "0113 496 0001" in pantry
    assert "Open now until 5pm" in pantry
    assert "You can contact them yourself." in pantry
    assert "(sample listing)" in pantry


def test_domestic_abuse_results_warn_about_call_history_first(signposting, tuesday_noon):
    step = signposting.next(
        Turn(
            intent="need_domestic_abuse",
            text="not safe with him",
            need="domestic_abuse",
            area_skipped=True,
        ),
        tuesday_noon,
    )
    all_text = texts(step)
    warning = next(i for i, t in enumerate(all_text) if "call history" in t)
    number = next(i for i, t in enumerate(all_text) if "0808 157 0003" in t)
    assert warning < number


def test_the_call_history_warning_says_what_the_parent_can_do(signposting, tuesday_noon):
    step = signposting.next(
        Turn(intent="need_domestic_abuse", need="domestic_abuse", area_skipped=True), tuesday_noon
    )
    warning = next(t for t in texts(step) if "call history" in t)
    assert "You can delete them from call history." in warning
    assert "pick a safe time for them to contact you" in warning


def test_going_back_from_the_area_question_asks_the_need_again(signposting):
    step = signposting.next(Turn(intent="go_back", need="food", asked="area"))
    assert step.say == [ASK_NEED]
    assert step.slots["need"] is None


def test_a_slot_value_that_is_not_an_area_id_is_not_trusted(signposting):
    step = signposting.next(
        Turn(intent="need_food", text="/need_food", need="food", area="Brixton Hill Road")
    )
    assert step.say == [ASK_AREA]


def test_a_shared_postcode_is_looked_up_online_when_the_table_does_not_know_it(mini, tuesday_noon):
    from bot.conversation import Signposting

    class Online:
        def area_for(self, postcode, directory):
            return "lambeth" if postcode == "SE1 7PB" else None

    step = Signposting(mini, postcodes={}, lookup=Online()).next(
        Turn(intent="inform_area", text="SE1 7PB", need="baby_essentials"), tuesday_noon
    )
    assert "Lambeth Test Baby Bank" in joined(step)


def test_a_typed_place_answers_which_partnership_to_talk_to(signposting):
    step = signposting.next(Turn(intent="inform_area", text="Keighley", asked="person"))
    assert "Better Start Bradford" in joined(step) and "0113 496 0500" in joined(step)
    assert step.slots["asked"] is None


def test_skip_when_nothing_was_asked_does_not_repeat_the_services(signposting, tuesday_noon):
    step = signposting.next(
        Turn(intent="rather_not_say", text="skip", need="food", area="bradford"), tuesday_noon
    )
    assert "Bradford Test Pantry" not in joined(step)
    assert step.say[-1].text.startswith("That's fine.")


def test_something_else_after_services_asks_what_would_help(signposting):
    step = signposting.next(
        Turn(intent="find_support", text="/find_support", need="food", area="bradford")
    )
    assert step.say == [ASK_NEED] and step.slots["need"] is None


def test_find_support_after_urgent_help_carries_on_with_the_pending_question(signposting):
    step = signposting.next(
        Turn(intent="find_support", text="/find_support", need="food", asked="area")
    )
    assert step.say == [ASK_AREA]


# ---- "We're safe right now" after the safety check-in: carry on exactly where we were


def test_safe_resumes_the_pending_area_question_with_the_need_kept(signposting):
    step = signposting.next(Turn(intent="safe_now", need="food", asked="area", resumed=True))
    assert step.say == [ASK_AREA]
    assert "need" not in step.slots  # nothing lost


def test_safe_resumes_the_pending_need_question(signposting):
    step = signposting.next(Turn(intent="safe_now", asked="need", resumed=True))
    assert step.say == [ASK_NEED]


def test_safe_keeps_the_need_said_in_the_message_that_brought_the_check_in(
    signposting, tuesday_noon
):
    # "nappies please, I'm at the end of my rope" (held for the check-in), area known already
    step = signposting.next(
        Turn(
            intent="need_baby_essentials",
            text="nappies please, I'm at the end of my rope",
            area="bradford",
            resumed=True,
        ),
        tuesday_noon,
    )
    assert step.slots["need"] == "baby_essentials"
    assert ASK_NEED not in step.say and ASK_AREA not in step.say  # not asked again


def test_safe_after_services_does_not_show_them_twice(signposting, tuesday_noon):
    step = signposting.next(
        Turn(intent="greet", need="food", area="bradford", shown=3, resumed=True), tuesday_noon
    )
    assert "Bradford Test Pantry" not in joined(step)
    assert ASK_NEED not in step.say and ASK_AREA not in step.say
    assert step.say[0].buttons  # what next, with buttons


def test_a_need_in_another_sentence_is_offered_next(signposting, tuesday_noon):
    turn = Turn(
        intent="need_food",
        text="we've no food in. and no nappies either in Bradford",
        need="food",
        sentence_needs=("food", "baby_essentials"),
    )
    step = signposting.next(turn, tuesday_noon)
    assert "Bradford Test Pantry" in joined(step)
    assert ("Also: Baby things and nappies", "/need_baby_essentials") in step.say[-1].buttons
    assert step.slots["other_needs"] == ["baby_essentials"]


def test_a_need_in_another_sentence_waits_while_the_area_is_asked(signposting):
    step = signposting.next(
        Turn(
            intent="need_food",
            text="no food. no nappies",
            need="food",
            sentence_needs=("food", "baby_essentials"),
        )
    )
    assert step.say == [ASK_AREA]
    assert step.slots["other_needs"] == ["baby_essentials"]


def fallback_buttons(step):
    (reply,) = step.say
    return [payload for _, payload in reply.buttons]


def test_not_understood_offers_the_likeliest_needs_first(signposting):
    ranking = [
        {"name": "nlu_fallback", "confidence": 1.0},
        {"name": "need_domestic_abuse", "confidence": 0.12},
        {"name": "greet", "confidence": 0.11},
        {"name": "need_food", "confidence": 0.08},
        {"name": "need_baby_essentials", "confidence": 0.01},
    ]
    step = signposting.not_understood(ranking)
    buttons = fallback_buttons(step)
    assert buttons[:2] == ["/need_domestic_abuse", "/need_food"]
    assert "/need_baby_essentials" not in buttons  # far less likely: behind "Something else"
    assert buttons[2:] == ["/find_support", "/urgent_danger", "/rather_not_say"]
    assert "another way" not in step.say[0].text and "one word" in step.say[0].text
    assert step.slots == {"asked": None}


def test_not_understood_offers_at_least_two_needs_and_at_most_three(signposting):
    one_clear = [
        {"name": "need_food", "confidence": 0.14},
        {"name": "need_domestic_abuse", "confidence": 0.001},
    ]
    assert fallback_buttons(signposting.not_understood(one_clear))[:2] == [
        "/need_food",
        "/need_domestic_abuse",
    ]
    even = [
        {"name": f"need_{n}", "confidence": 0.1}
        for n in ("food", "baby_essentials", "domestic_abuse")
    ]
    even.append(
        {"name": "need_housing", "confidence": 0.1}
    )  # not in this directory: never a button
    assert (
        len(
            [
                b
                for b in fallback_buttons(signposting.not_understood(even))
                if b.startswith("/need_")
            ]
        )
        == 3
    )


def test_not_understood_without_a_likely_need_offers_the_whole_list(signposting):
    step = signposting.not_understood([{"name": "nlu_fallback", "confidence": 1.0}])
    assert step.say == ["utter_rephrase"]


def test_a_need_the_model_is_sure_of_outlasts_another_needs_words(signposting, tuesday_noon):
    # "he keeps my bank card and wants the receipts": control through money is abuse; the
    # money words make money the next offer, not the first services.
    turn = Turn(
        intent="need_domestic_abuse",
        confidence=0.95,
        text="he keeps my card and checks every receipt for food",
        need="domestic_abuse",
        area="bradford",
        named_needs=("food",),
    )
    step = signposting.next(turn, tuesday_noon)
    assert step.slots.get("need", "domestic_abuse") == "domestic_abuse"
    assert step.slots["needs_shown"] == ["domestic_abuse"]
    assert ("Also: Food", "/need_food") in step.say[-1].buttons


def test_when_the_model_is_unsure_the_need_named_in_words_wins(signposting, tuesday_noon):
    turn = Turn(
        intent="need_domestic_abuse",
        confidence=0.4,
        text="he keeps my card and checks every receipt for food",
        need="domestic_abuse",
        area="bradford",
        named_needs=("food",),
    )
    step = signposting.next(turn, tuesday_noon)
    assert step.slots["need"] == "food"
    assert "Bradford Test Pantry" in joined(step)


def test_the_answer_to_which_area_does_not_change_the_need(signposting, tuesday_noon):
    # "we live on an estate near Brixton", read as housing, answers the question: the
    # baby things the parent asked for are what they see, and housing is not offered.
    step = signposting.next(
        Turn(
            intent="need_housing",
            confidence=0.93,
            text="we live on the estate near brixton",
            need="housing",
            asked="area",
            previous_need="baby_essentials",
        ),
        tuesday_noon,
    )
    assert step.slots["need"] == "baby_essentials"
    assert "Lambeth Test Baby Bank" in joined(step)
    assert step.slots["other_needs"] == []


def test_a_new_need_said_instead_of_a_place_still_counts(signposting):
    # No place in the answer: the parent told us something new, and the first need comes next.
    step = signposting.next(
        Turn(
            intent="need_housing",
            confidence=0.93,
            text="and the landlord wants us out",
            need="housing",
            asked="area",
            previous_need="baby_essentials",
        )
    )
    assert step.say[-1] == ASK_AREA
    assert step.slots["other_needs"] == ["baby_essentials"]


def test_a_place_read_as_a_skip_answers_which_area(signposting, tuesday_noon):
    # "west norwood" alone, read as "rather not say": the parent named their place, so the
    # local services are shown, not the national ones for a skipped area.
    step = signposting.next(
        Turn(intent="rather_not_say", text="west norwood", need="food", asked="area"),
        tuesday_noon,
    )
    assert step.slots["area"] == "lambeth"
    assert not step.slots.get("area_skipped")
    assert "Lambeth" in joined(step)


def test_a_skip_without_a_place_is_still_a_skip(signposting, tuesday_noon):
    step = signposting.next(
        Turn(intent="rather_not_say", text="id rather not say", need="food", asked="area"),
        tuesday_noon,
    )
    assert step.slots["area_skipped"] is True
