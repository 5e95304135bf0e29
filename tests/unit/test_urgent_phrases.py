"""The phrase layer on its own (bot/words/urgent_help.yml), in milliseconds, on the dev lists.

The dev lists are what phrases are tuned on, so a change to the phrases that loses one of
them fails here at once; the held-out lists (tests/heldout/) are measured through the whole pipeline in tests/nlu.
"""

from pathlib import Path

import pytest

from bot.tools.urgent_counts import messages
from bot.urgent import (
    DANGER,
    MEDICAL,
    QUICK_EXIT,
    SELF_HARM,
    URGENT_INTENTS,
    exit_word,
    exit_words,
    softened,
    urgent_kind,
    urgent_kind_in_sentences,
)

DEV = Path(__file__).resolve().parent.parent / "dev"


def lines(name):
    return messages(DEV / name)


def test_every_dev_danger_message_is_caught_by_the_phrases_alone():
    missed = [text for text in lines("danger.txt") if urgent_kind(text) not in URGENT_INTENTS]
    assert missed == []


def test_ordinary_dev_messages_raise_no_alarm_from_the_phrases():
    assert [text for text in lines("ordinary.txt") if urgent_kind(text)] == []


@pytest.mark.parametrize(
    "text",
    [
        "my baby's having a fit",
        "she's floppy and won't wake up",
        "lips going blue",
        "he swallowed a button battery",
        "my 3 week old is struggling to breathe",
    ],
)
def test_a_baby_seriously_ill_now_gets_999_first(text):
    assert urgent_kind(text) == MEDICAL


@pytest.mark.parametrize(
    "text",
    [
        "he bumped his head but he's playing happily",
        "she won't wake up for her feeds, she's so sleepy",
        "how much calpol can she have",
        "he's got a temperature, can i give him calpol",
    ],
)
def test_everyday_health_worries_are_not_emergencies(text):
    assert urgent_kind(text) is None


@pytest.mark.parametrize(
    "text",
    [
        "dnt want 2 wake up tmrw",
        "i won't be here by friday anyway",
        "thanks but i won't need any help after tonight",
        "how many tablets would it take",
    ],
)
def test_goodbyes_said_without_saying_them_reach_help(text):
    assert urgent_kind(text) == SELF_HARM


def test_danger_told_as_long_past_is_left_to_the_classifier_unless_it_is_also_now():
    assert urgent_kind("he strangled me last year and i never told anyone") is None
    assert urgent_kind("he strangled me last year and now he's outside the door") == DANGER
    assert urgent_kind("he strangled me last night") == DANGER


def test_self_harm_in_the_past_still_reaches_help():
    assert urgent_kind("i took an overdose last year and i feel that way again") == SELF_HARM


def test_reassurance_never_hides_an_urgent_phrase():
    from bot.urgent import has_idiom

    reassured = "he cut his lip, lots of blood, but he's fine now"
    assert urgent_kind(reassured) is None and has_idiom(reassured)
    assert urgent_kind("i think about ending it but i'd never do it") == SELF_HARM
    assert urgent_kind("she's not breathing, she was fine now and then") == MEDICAL


# Wordings of our own for the categories the second to seventh authors' fresh sets showed the
# phrases missing (docs/nlu-quality-history.md), and the idioms that go with them.
FOUND_BY_FRESH_SETS = [
    ("i'm writing letters for my children", SELF_HARM),
    ("he took my phone and won't let me out the house", DANGER),
    ("he's got my son by the throat", DANGER),
    ("my 4 yr old found her nan's tablets and ate some", MEDICAL),
    ("the woman upstairs is screaming and i can hear things smashing", DANGER),
    ("i've just taken all my co codamol", SELF_HARM),
    ("she texted to tell her daughter she loves her and now she's not answering", SELF_HARM),
    ("thinking about unaliving myself", SELF_HARM),
    ("the voices won't stop and they're watching us through the telly", SELF_HARM),
    ("the ironing pile is trying to kill me", None),
    ("my two are going to kill each other over the remote", None),
    ("i used to self harm but haven't for years, do i tell the midwife", None),
    ("he snores so loud i could smother him with a pillow lol", None),
    ("his eyes have rolled back and he's jerking all over", MEDICAL),
    ("i think she's eaten some of my iron tablets", MEDICAL),
    ("there are men outside threatening us", DANGER),
    ("i had to walk away before i did something to him", SELF_HARM),
    ("sitting in the garage with the engine running", SELF_HARM),
    ("the kids would be better off if i wasn't here", SELF_HARM),
    ("he's had loads of colds this winter", None),
    ("my ex keeps threatening me over text about contact", None),
    ("i could throw the baby monitor across the room", None),
    ("she's got a killer right hook for a baby", None),
    ("he pulled the kettle over and his arm is blistering", MEDICAL),
    ("back blows aren't working and she's still choking", MEDICAL),
    ("no wet nappy since this morning and he's cold and floppy", MEDICAL),
    ("her lips are swelling up and she's wheezing", MEDICAL),
    ("my partner is hitting my 3 year old", DANGER),
    ("he's locked me and the kids in and took my phone", DANGER),
    ("i'm just a burden to everyone", SELF_HARM),
    ("i've sorted who will have the kids after", SELF_HARM),
    ("my husband will kill me when he sees the credit card bill", None),
    ("the baby nearly gave me a heart attack rolling off the bed, she's fine", None),
    ("my toddler threw his shoe at me in a tantrum", None),
    ("my mum's kicking me out when the baby comes", None),
    ("he slipped under the water in the bath and his breathing sounds funny", MEDICAL),
    ("caught him with my tablets and he's very sleepy", MEDICAL),
    ("my 3yo swallowed a battery", MEDICAL),
    ("i was about to shake him so i put him down", SELF_HARM),
    ("this is my last weekend, i just want the kids sorted first", SELF_HARM),
    ("checking out for good tonight", SELF_HARM),
    ("the kids keep shouting i'm going to kill you when they play monsters", None),
    ("i want to chuck the baby monitor out of the window", None),
    ("she had such a tantrum i thought someone would call the police", None),
    ("my wee one has stopped breathing", MEDICAL),
    ("he's eaten a grape and i can't get it out", MEDICAL),
    ("she drank some washing up liquid and her mouth is burning", MEDICAL),
    ("i've got my tablets counted out", SELF_HARM),
    ("she's not my real baby, they switched her at the hospital", SELF_HARM),
    ("the voices told me i have to put him in the bath", SELF_HARM),
    ("i'm this close to shaking her", SELF_HARM),
    ("tired of being a burden to everyone", SELF_HARM),
    ("i'd sell my soul for a nap", None),
]


@pytest.mark.parametrize("text, kind", FOUND_BY_FRESH_SETS)
def test_phrases_found_by_fresh_test_sets(text, kind):
    assert urgent_kind(text) == kind


# Categories the third session's training authors showed the phrases missing (in our own words;
# their lines are training data), and the look-alikes they wrote.
FOUND_BY_TRAINING_AUTHORS = [
    ("my ex is getting in through the back window", DANGER),
    ("he's not supposed to know this address and he's outside", DANGER),
    ("he keeps grabbing my throat", DANGER),
    ("his mate has a machete", DANGER),
    ("the bedroom door is locked from outside", DANGER),
    ("my 5 week old has a temperature of 38.6", MEDICAL),
    ("she bit a washing pod and it burst", MEDICAL),
    ("he banged his head on the table and has been sick twice", MEDICAL),
    ("her lips look a bit dusky", MEDICAL),
    ("he's had what looks like a seizure", MEDICAL),
    ("i haven't slept in five days and god is sending me messages", SELF_HARM),
    ("the baby has special powers and they're watching us", SELF_HARM),
    ("my wife hears voices and hasn't slept", SELF_HARM),
    ("i've been researching methods", SELF_HARM),
    ("please don't try to talk me out of it", SELF_HARM),
    ("i just swallowed what was left of my sleeping tablets", SELF_HARM),
    ("i keep thinking about stepping off the bridge", SELF_HARM),
    ("i get the urge to drop him on the stairs", SELF_HARM),
    ("my husband told me he wants to kill himself", SELF_HARM),
    ("would it be so bad if i wasn't here", SELF_HARM),
    ("i can't do this anymore with the night feeds", None),
    ("i'm not suicidal, just really low", None),
    ("she bangs her head on the floor when she's cross", None),
    ("he's killing himself laughing at the dog", None),
    ("what's the quickest way to get a crisis loan", None),
    ("i keep checking and she's not breathing", MEDICAL),
    (
        "sorry for the long message, the rent is late because he's just thrown a cup at my head and there's blood",
        DANGER,
    ),
    ("the man next door is hitting his wife with a belt", DANGER),
    ("my toddler is hitting his baby brother again", None),
    ("she is hitting our son with a belt right now", DANGER),
    ("my mother in law lock me in room with the baby", DANGER),
    ("i can hear a woman shouting help through the wall", DANGER),
    ("prosze, maz mnie bije", DANGER),
    ("chce umrzec", SELF_HARM),
    ("quiero morir", SELF_HARM),
    ("my sister says her baby is not hers, someone swapped him", SELF_HARM),
    ("i cannot stop cutting my arms", SELF_HARM),
    ("took the whole box", SELF_HARM),
    ("the health visitor asked if i had thoughts of harming myself and i said no", None),
    ("no thoughts of hurting myself or the baby, just so tired", None),
    ("the overpayment is going to kill our budget", None),
    ("he hit me years ago, we're safe now and i want to talk to someone", None),
    ("my 5 year old threw his cup at my head at dinner", None),
    # A clinician's question answered "no" is not an alarm; answered "yes", or "no" then a
    # lie owned up to, still is. A joke stops being one when it says so.
    ("the midwife asked if my partner hits me and i said no", None),
    ("the gp asked if i had thoughts of harming myself and i said yes", SELF_HARM),
    ("the gp asked if i had thoughts of harming myself and i said no but i lied", SELF_HARM),
    ("my wife told me she wants to die", SELF_HARM),
    ("ill kill him if he forgets the bins again lol", None),
    ("he's going to kill me lol no seriously help", DANGER),
    ("my 3 year old screamed i want to die when i turned the telly off, is that normal", None),
    ("my partner overdosed 3 years ago, she's doing well now", None),
    ("i thought i was going to die in labour, fine now though", None),
    ("i'm not going to hurt myself, just exhausted", None),
]


@pytest.mark.parametrize("text, kind", FOUND_BY_TRAINING_AUTHORS)
def test_phrases_found_by_training_authors(text, kind):
    assert urgent_kind(text) == kind


# Everyday messages that share words with the patterns above ("help", "chosen", "cut my
# skin", "not slept in days", "decided to go"): a pattern that catches one of these would
# raise an alarm on parents every night.
EVERYDAY = [
    "baby wont stop crying help",
    "help my baby wont sleep",
    "help me please she wont feed",
    "i need help with nappies",
    "can someone help me im so tired",
    "toddler screaming the house down",
    "i cut my skin shaving",
    "burnt my hand on the oven",
    "i think my baby has a cold",
    "he fell off the sofa but hes fine",
    "she bumped her head on the table, shes playing now",
    "my partner is doing my head in",
    "i could kill for a coffee",
    "im going to lose it if he doesnt sleep",
    "ive decided to go back to work",
    "ive decided to stop breastfeeding",
    "we decided to go to the baby group",
    "i was chosen for the parent rep",
    "the neighbours are so loud",
    "my husband hit the roof when he saw the bill",
    "shes hitting her brother again",
    "i just want to sleep for a week",
    "i feel like running away to a beach",
    "the baby took the whole bottle",
    "took the whole day to get out the house",
    "my milk has dried up",
    "im drowning in washing",
    "my mum lives far away, i have nobody",
    "i dont trust myself to cook anything decent",
    "my 2 year old swallowed some toothpaste",
    "baby has a temperature of 38 and is 8 months",
    "she has a rash on her cheek",
    "what do i do if he chokes",
    "my ex keeps texting me",
    "i left him last year and im safe now",
    "he used to hit me, i left him",
    "how do i stop him biting at nursery",
    "i havent slept in days because of the baby",
    "grandad gave them a sugar overdose again",
    "cutting her toast into fingers with a knife",
    "how do i end it gently, the breastfeeding i mean",
    "we cant go on holiday this year",
    "trying to kill two birds with one stone",
    "he wants to kill every fly in the house",
    "she carries her floppy eared bunny everywhere",
    "my partner sleeps like the dead",
    "becoming a dad has hit me hard",
    "the bath is so slippery im scared ill drop her",
    "he drowns his chips in ketchup",
    "we were playing ghosts and she said she would disappear forever",
    "teaching my 4 year old when to call 999",
]


@pytest.mark.parametrize("text", EVERYDAY)
def test_everyday_messages_with_alarming_words_raise_no_alarm(text):
    assert urgent_kind(text) is None


def test_everyday_messages_full_of_alarm_words_raise_no_alarm_from_the_phrases():
    # 250 messages by a helper who saw nothing of ours, each using a word like
    # "help", "kill", "blood" or "floppy" safely. A dev list: the phrases were tuned on it.
    alarms = [text for text in lines("everyday_alarm_words.txt") if urgent_kind(text)]
    assert alarms == []


def test_realistic_look_alikes_rarely_raise_an_alarm_from_the_phrases():
    # 250 more by another helper: jokes, a child's dark words, a clinician's question answered
    # "no", past fears. A dev list the phrases were tuned on; at most 2 alarm (a joke without
    # "lol", a child's talk of a box). How it got there: docs/nlu-quality-history.md.
    alarms = [text for text in lines("look_alikes_realistic.txt") if urgent_kind(text)]
    assert len(alarms) <= 2, alarms


@pytest.mark.parametrize(
    "text", ["exit", "STOP!", "  get me out of here. ", "Leave now", "quit...", "close   chat"]
)
def test_an_exit_word_alone_is_a_quick_exit(text):
    assert urgent_kind(text) == QUICK_EXIT


@pytest.mark.parametrize(
    "text", ["stop it", "please stop the bailiffs", "how do i leave him", "exit plan for the flat"]
)
def test_an_exit_word_inside_a_message_is_not(text):
    assert urgent_kind(text) != QUICK_EXIT


def test_the_exit_words_are_plain_words_the_page_can_use():
    assert {"exit", "leave", "stop", "quit", "get me out of here"} <= set(exit_words())
    assert all(word == exit_word(word) for word in exit_words())


# ---- every sentence counts; other languages' phrases stay quiet on everyday sentences

DEV = Path(__file__).resolve().parents[1] / "dev"
LANGUAGES = sorted(DEV.glob("ordinary_*.txt"))


def test_there_is_an_ordinary_dev_list_for_each_language_the_phrases_know():
    assert {p.stem.split("_", 1)[1] for p in LANGUAGES} >= {
        "es",
        "pl",
        "pt",
        "ro",
        "ru",
        "uk",
        "ur",
    }


@pytest.mark.parametrize("path", LANGUAGES, ids=[p.stem for p in LANGUAGES])
def test_everyday_sentences_in_other_languages_raise_no_alarm(path):
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    alarms = [line for line in lines if urgent_kind_in_sentences(line) is not None]
    assert len(lines) >= 10 and alarms == []


@pytest.mark.parametrize(
    "text",
    [
        "socorro me está pegando",
        "ratunku, bije mnie",
        "помогите, бьет меня",
        "nie oddycha",
        "el bebé no respira",
        "quiero morir",
        "mujhe maar raha hai, bachao",
    ],
)
def test_the_other_language_danger_words_still_reach_urgent_help(text):
    assert urgent_kind_in_sentences(text) is not None


@pytest.mark.parametrize(
    "text",
    [
        "do you know where i can get nappies in bradford. took the whole packet. also formula if anyone has it",
        "need a food bank for the weekend\nhelp help\nwe have nothing in for the kids",
    ],
)
def test_a_danger_sentence_inside_a_long_ordinary_message_is_found(text):
    assert urgent_kind(text) is None  # the whole message alone would miss it
    assert urgent_kind_in_sentences(text) is not None


def test_stop_inside_a_longer_message_is_not_a_quick_exit():
    assert urgent_kind_in_sentences("Stop. I need nappies") is None


# Outside author C's dev lists (tests/dev/outside_c_*.txt), in our own words: the frame
# around alarming words that makes them weaker evidence (`softened`: the check-in, not
# urgent help), and the frames that must NOT soften, because parents use them in emergencies.
SOFTENED = [
    "i self harmed as a teenager, any resources for talking to my daughter about it",
    "my cousin died by suicide and i'm struggling, are there bereavement groups",
    "my son keeps pretending to shoot us and says he's going to kill the baddies",
    "how do i get my toddler to stop hitting me, he thinks it's a game",
    "the twins are trying to kill each other over the remote",
    "what does shaken baby syndrome mean exactly",
    "we went to A&E with her temperature, they sent us home and said she's fine",
    # The parent jokes about harming someone themselves (laughter and their own threat).
    "my sister ate the last biscuit, i swear ill kill her lol",
    "he put the bin out on the wrong day, im gonna murder him haha",
    "I could strangle my mother in law sometimes, only joking",
]
NOT_SOFTENED = [
    "her lips look a bit blue, is that normal?",
    "he's hitting me and the baby is screaming",
    "having thoughts of smothering him, im not joking i need someone now",
    "my toddler was playing with my tablets and some are missing",
    "should i wait and ring the gp in the morning? he swallowed a button battery",
    "how do i get him to stop hitting me",
    "he says he's only joking when he grabs my neck lol",
    "what does it mean when he says he'll kill me",
    "my partner and his brother are trying to kill each other in the kitchen",
    "we went to A&E and they sent us home but now she's floppy",
    "my brother died by suicide and i want to be with him",
    # Joking, but self-harm words, the danger here, someone else "joking", or no threat of the parent's own.
    "i want to kill myself lol",
    "i could kill him lol, he's outside right now with a knife",
    "he says he's only joking when he says he'll kill me, lol",
    "he tried to strangle me last night lol im fine",
]


@pytest.mark.parametrize("text", SOFTENED)
def test_a_weaker_frame_softens_the_alarm(text):
    assert softened(text)


@pytest.mark.parametrize("text", NOT_SOFTENED)
def test_emergencies_asked_as_questions_are_not_softened(text):
    assert not softened(text)


FOUND_BY_OUTSIDE_AUTHOR_C = [
    ("he's been hitting the little 1 all night and sed i'm next", DANGER),
    ("she said im next in the queue for the slide", None),
    ("found my 3yo sitting with the calpol bottle and half of it is gone", MEDICAL),
    ("he's cold and mottled and hasn't had a wet nappy all day", MEDICAL),
    ("i've got everything i need to do it tonight", SELF_HARM),
    ("need to sort out who gets my kids if anything happens to me", SELF_HARM),
    ("my friend has taken all of her tablets and isn't answering", SELF_HARM),
    ("elle a avalé tous ses médicaments", SELF_HARM),
    ("lil 1 hit his head on the table and now hes been sick twice", MEDICAL),
]


@pytest.mark.parametrize("text, kind", FOUND_BY_OUTSIDE_AUTHOR_C)
def test_phrases_found_by_outside_author_c(text, kind):
    assert urgent_kind_in_sentences(text) == kind


@pytest.mark.parametrize(
    "text",
    [
        "moje dziecko nie oddycha",
        "copilul nu respira",
        "mi bebé no respira",
        "o meu bebé não respira",
        "mera bacha saans nahi le raha",
        "beti behosh ho gayi",
    ],
)
def test_a_baby_not_breathing_in_another_language_gets_the_ambulance_reply(text):
    # The medical reply (999, ambulance, the address), not the reply for danger from a person.
    assert urgent_kind(text) == "urgent_medical"
