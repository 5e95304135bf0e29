"""Quick exit, forget me and start again only from a clear request, in all seven languages.

The classifier can read an ordinary line as one of these (a Portuguese "kkk" was read as quick
exit at 0.88); bot/clear_requests.py must then take its next reading, so nothing a parent said
is lost. Each case below gives the classifier a confident reading, so only the message decides.
"""

import pytest

from bot.clear_requests import clear_requests

SURE = 0.95
# Clear requests, in every language: kept.
CLEAR = [
    ("quick_exit", "get me out of here"),
    ("quick_exit", "zamknij czat szybko"),
    ("quick_exit", "wyjdź stąd"),
    ("quick_exit", "یہاں سے نکالو"),
    ("quick_exit", "jaldi band karo"),
    ("quick_exit", "închide chatul"),
    ("quick_exit", "quero sair já"),
    ("quick_exit", "pode fechar"),
    ("quick_exit", "sácame de aquí"),
    ("quick_exit", "اطلع بسرعة"),
    ("quick_exit", "sakker"),
    ("forget_me", "please delete my chat"),
    ("forget_me", "usuń tę rozmowę"),
    ("forget_me", "میری چیٹ مٹا دیں"),
    ("forget_me", "șterge conversația"),
    ("forget_me", "apaga tudo o que eu escrevi"),
    ("forget_me", "borra mis datos por favor"),
    ("forget_me", "احذف المحادثة"),
    ("forget_confirmed", "yes delete it"),
    ("forget_confirmed", "tak, usuń"),
    ("forget_confirmed", "sim, apaga"),
    ("forget_confirmed", "sí, bórralo"),
    ("forget_confirmed", "da, șterge"),
    ("forget_confirmed", "haan delete kar do"),
    ("forget_confirmed", "ايوه احذف"),
    ("start_again", "can we start again"),
    ("start_again", "zacznijmy od nowa"),
    ("start_again", "dobara shuru karo"),
    ("start_again", "hai să începem de la capăt"),
    ("start_again", "quero começar de novo"),
    ("start_again", "empezar de nuevo por favor"),
    ("start_again", "خلينا نبلش من جديد"),
]
# Ordinary lines a parent writes mid-conversation, confidently misread: never kept.
ORDINARY = [
    ("quick_exit", "kkk"),
    ("quick_exit", "haha"),
    ("quick_exit", "acabou o leite em pó"),
    ("quick_exit", "vou sair agora tchau, obrigada pela ajuda com as fraldas e a comida"),
    ("quick_exit", "he keeps crying"),
    ("quick_exit", "nie mam pieniędzy na jedzenie"),
    ("quick_exit", "bachay ka doodh khatam ho gaya"),
    ("quick_exit", "nu am bani de mâncare"),
    ("quick_exit", "no tengo dinero para pañales"),
    ("quick_exit", "ما عندي حليب للبيبي"),
    ("quick_exit", "میرے پاس کھانے کے پیسے نہیں"),
    ("forget_me", "ma katar i kaszel od tygodnia"),
    ("forget_me", "esqueci o nome da rua"),
    ("forget_me", "olvidé mi cita con la matrona"),
    ("forget_me", "am uitat de programare"),
    ("forget_me", "main bhool gayi thi appointment"),
    ("forget_me", "نسيت الموعد مع الدكتورة"),
    ("forget_confirmed", "sim"),
    ("forget_confirmed", "yes"),
    ("forget_confirmed", "tak"),
    ("forget_confirmed", "haan"),
    ("forget_confirmed", "نعم"),
    ("forget_confirmed", "da"),
    ("forget_confirmed", "sí"),
    ("start_again", "de novo sem dinheiro"),
    ("start_again", "outra vez sem leite"),
    ("start_again", "znowu nie śpi"),
    ("start_again", "phir se bukhar hai"),
    ("start_again", "iar nu doarme"),
    ("start_again", "otra vez sin pañales"),
    ("start_again", "ما نام من جديد"),
]


@pytest.mark.parametrize(("intent", "text"), CLEAR)
def test_a_clear_request_is_kept(intent, text):
    assert clear_requests().is_clear(intent, SURE, text)


@pytest.mark.parametrize(("intent", "text"), ORDINARY)
def test_an_ordinary_line_never_leaves_deletes_or_starts_again(intent, text):
    assert not clear_requests().is_clear(intent, SURE, text)


# English requests in words the lists don't hold: the English head's sure reading is enough.
ENGLISH_IN_OWN_WORDS = [
    ("start_again", "can we go through it all over from the top"),
    ("start_again", "scrap all that and let me have another go"),
    ("quick_exit", "get me off this page"),
    ("forget_me", "I don't want any of this stored anywhere"),
]


@pytest.mark.parametrize(("intent", "text"), ENGLISH_IN_OWN_WORDS)
def test_an_english_request_needs_no_listed_word(intent, text):
    assert clear_requests().is_clear(intent, SURE, text, english=True)


def test_only_english_is_read_alone():
    # The same kind of message, not read as English ("kkk" is too short to tell), needs a word.
    assert not clear_requests().is_clear("start_again", SURE, "scrap all that", english=False)
    assert not clear_requests().is_clear("quick_exit", SURE, "kkk", english=False)


def test_deleting_always_needs_its_words_even_in_english():
    assert not clear_requests().is_clear("forget_confirmed", SURE, "yes please", english=True)
    assert clear_requests().is_clear("forget_confirmed", SURE, "yes please delete", english=True)


def test_an_english_message_naming_a_need_is_not_a_request():
    need = [{"entity": "need", "value": "food"}]
    assert not clear_requests().is_clear(
        "start_again", SURE, "start again, I need food", entities=need, english=True
    )


def test_an_unsure_reading_is_not_a_request():
    assert not clear_requests().is_clear("quick_exit", 0.46, "acabou")
    assert not clear_requests().is_clear("quick_exit", 0.42, "vou sair agora tchau")


def test_a_message_naming_a_need_or_area_is_not_a_request():
    requests = clear_requests()
    need = [{"entity": "need", "value": "food"}]
    assert not requests.is_clear("quick_exit", SURE, "leave it, food please", entities=need)
    area = [{"entity": "area", "value": "lambeth"}]
    assert not requests.is_clear(
        "forget_me", SURE, "apaga isso, quero dizer Lambeth", entities=area
    )
    ranking = [{"name": "quick_exit", "confidence": 0.7}, {"name": "need_food", "confidence": 0.2}]
    assert not requests.is_clear("quick_exit", 0.7, "sair para comprar comida", ranking=ranking)


def test_the_next_reading_that_ends_nothing_is_taken():
    ranking = [
        {"name": "quick_exit", "confidence": 0.6},
        {"name": "start_again", "confidence": 0.2},
        {"name": "need_money", "confidence": 0.1},
    ]
    assert clear_requests().instead(ranking)["name"] == "need_money"
    assert clear_requests().instead([])["name"] == "nlu_fallback"


def test_other_readings_are_left_alone():
    assert clear_requests().is_clear("need_food", 0.2, "kkk")
