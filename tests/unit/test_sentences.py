from bot.sentences import split_sentences


def test_a_short_message_is_one_sentence():
    assert split_sentences("need food help in brixton") == ["need food help in brixton"]


def test_empty_text_has_no_sentences():
    assert split_sentences("   ") == []


def test_a_question_at_the_end_of_a_story_stands_alone():
    text = "My daughter has had an awful week. The baby is teething. Is there a food bank near her?"
    assert split_sentences(text)[-1] == "Is there a food bank near her?"


def test_lines_and_ellipses_separate_thoughts():
    assert split_sentences("hi\nwe have no nappies...and no money") == [
        "hi",
        "we have no nappies",
        "and no money",
    ]


def test_a_long_unpunctuated_run_splits_at_a_new_thought():
    text = "been up all night with the baby again and the washing machine broke but i really need nappies for him"
    pieces = split_sentences(text)
    assert len(pieces) == 2
    assert pieces[-1].startswith("but i really need nappies")


def test_a_danger_line_in_the_middle_is_its_own_sentence():
    text = "Could I get help with nappies? I have taken all my tablets. Thanks for listening."
    assert "I have taken all my tablets." in split_sentences(text)


def test_needs_in_sentences_keeps_sure_needs_in_order_once():
    from bot.sentences import needs_in_sentences

    read = [
        {"text": "no food", "intent": "need_food", "confidence": 0.9, "urgent_probability": 0.0},
        {"text": "hi", "intent": "greet", "confidence": 0.95, "urgent_probability": 0.0},
        {
            "text": "maybe a cot",
            "intent": "need_baby_essentials",
            "confidence": 0.3,
            "urgent_probability": 0.0,
        },
        {
            "text": "landlord wants us out",
            "intent": "need_housing",
            "confidence": 0.7,
            "urgent_probability": 0.0,
        },
        {
            "text": "really no food",
            "intent": "need_food",
            "confidence": 0.8,
            "urgent_probability": 0.0,
        },
    ]
    assert needs_in_sentences(read) == ["food", "housing"]
    assert needs_in_sentences(None) == []


def _ranking(name, confidence):
    return [
        {"name": name, "confidence": confidence},
        {"name": "greet", "confidence": 1 - confidence},
    ]


def test_the_first_of_two_equally_sure_sentences_names_the_need():
    from bot.sentences import read_by_sentence

    ranking, _ = read_by_sentence(
        _ranking("need_parenting", 0.5),
        [
            ("behind on rent", _ranking("need_housing", 0.95)),
            ("and money", _ranking("need_money", 0.95)),
        ],
        urgent_intents={"urgent_danger"},
    )
    assert ranking[0] == {"name": "need_housing", "confidence": 0.95}


def test_an_unsure_sentence_never_replaces_the_message_reading():
    from bot.sentences import read_by_sentence

    whole = _ranking("need_money", 0.5)
    ranking, sentences = read_by_sentence(
        whole, [("rent", _ranking("need_housing", 0.7))], urgent_intents={"urgent_danger"}
    )
    assert ranking == whole
    assert sentences == [
        {"text": "rent", "intent": "need_housing", "confidence": 0.7, "urgent_probability": 0.0}
    ]


def test_a_clause_of_one_or_two_words_is_read_with_the_next():
    pieces = split_sentences(
        "Me and my little boy have been sofa surfing since my relationship ended in August"
        " and my cousin wants us out"
    )
    assert pieces == [
        "Me and my little boy have been sofa surfing since my relationship ended in August",
        "and my cousin wants us out",
    ]


def test_a_need_asked_for_too_comes_second():
    # "any debt help round here? and is there a food bank too": read whole as food, but the
    # parent asked about debt first and added food.
    from bot.sentences import read_by_sentence

    ranking, _ = read_by_sentence(
        _ranking("need_food", 0.97),
        [
            ("bills piling up and the gas is on emergency credit", _ranking("need_money", 0.99)),
            ("any debt help round here?", _ranking("need_money", 0.99)),
            ("and is there a food bank too", _ranking("need_food", 0.99)),
        ],
        urgent_intents={"urgent_danger"},
    )
    assert ranking[0] == {"name": "need_money", "confidence": 0.99}
    assert "need_food" in [r["name"] for r in ranking]


def test_the_need_put_first_is_never_less_sure_than_the_one_it_goes_before():
    # The fallback reads a first intent less sure than the second as doubt ("what would help?").
    from bot.sentences import read_by_sentence

    ranking, _ = read_by_sentence(
        _ranking("need_food", 1.0),
        [
            ("need help with budgeting", _ranking("need_money", 0.88)),
            ("is there a pantry to tide us over in the meantime?", _ranking("need_food", 1.0)),
        ],
        urgent_intents={"urgent_danger"},
    )
    assert ranking[0] == {"name": "need_money", "confidence": 1.0}
    assert ranking[0]["confidence"] >= max(r["confidence"] for r in ranking[1:])


def test_two_needs_without_too_keep_the_message_reading():
    from bot.sentences import read_by_sentence

    whole = _ranking("need_food", 0.97)
    ranking, _ = read_by_sentence(
        whole,
        [
            ("bills piling up", _ranking("need_money", 0.99)),
            ("is there a food bank", _ranking("need_food", 0.99)),
        ],
        urgent_intents={"urgent_danger"},
    )
    assert ranking == whole


def test_urgent_help_is_never_made_second():
    from bot.sentences import read_by_sentence

    whole = _ranking("urgent_danger", 0.9)
    ranking, _ = read_by_sentence(
        whole,
        [
            ("we need money", _ranking("need_money", 0.99)),
            ("and he hit me too", _ranking("urgent_danger", 0.99)),
        ],
        urgent_intents={"urgent_danger"},
    )
    assert ranking == whole
