from bot.letters import one_form, without_marks


def test_vowel_marks_and_the_stretching_stroke_are_dropped():
    assert without_marks("يتنفّس") == "يتنفس"
    assert without_marks("مـوت") == "موت"


def test_an_accent_typed_as_a_separate_mark_is_dropped():
    assert without_marks("respira\u0301") == "respira"


def test_each_arabic_or_urdu_letter_is_written_one_way():
    assert one_form("بريدفورد") == one_form("بریدفورد")
    assert one_form("أُم") == "ام"
