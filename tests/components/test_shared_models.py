"""Models loaded once in Rasa's main process, shared by the workers it forks (components/shared_models.py)."""

import os

from bot.language_detection import detector
from bot.translations import translations
from components import shared_models

POLISH = "Potrzebuję pomocy z jedzeniem dla dziecka"
SPANISH = "Necesito ayuda con la comida para mi bebé"


def test_workers_reads_sanics_setting():
    assert shared_models.workers({}) == 1
    assert shared_models.workers({"SANIC_WORKERS": "2"}) == 2
    assert shared_models.workers({"SANIC_WORKERS": "two"}) == 1


def test_one_process_loads_nothing_early():
    assert shared_models.preload({"SANIC_WORKERS": "1"}) == []
    assert shared_models.preload({}) == []


def test_with_workers_the_language_component_finds_the_detector_already_built():
    assert shared_models.preload({"SANIC_WORKERS": "2"}) == ["language detector", "urgent phrases"]
    hits = detector.cache_info().hits
    # What components/language_detection.py asks for when a worker loads the model:
    built = detector(tuple(translations().enabled_codes()))
    assert detector.cache_info().hits == hits + 1, "the worker reuses it, it does not load again"
    assert built.detect(POLISH) == "pl"


def test_a_forked_worker_detects_with_the_shared_detector():
    shared_models.preload({"SANIC_WORKERS": "2"})
    codes = tuple(translations().enabled_codes())
    expected = [detector(codes).detect(POLISH), detector(codes).detect(SPANISH)]
    assert expected == ["pl", "es"]
    pid = os.fork()
    if pid == 0:  # the worker: same answers from the detector it inherited
        same = False
        try:
            same = [detector(codes).detect(POLISH), detector(codes).detect(SPANISH)] == expected
        finally:
            os._exit(0 if same else 1)
    _, status = os.waitpid(pid, 0)
    assert os.WEXITSTATUS(status) == 0


def test_with_workers_the_urgent_phrases_are_compiled_before_the_fork():
    from bot.urgent import urgent_phrases
    from components.urgent_help import UrgentHelpDetector

    urgent_phrases.cache_clear()
    assert "urgent phrases" in shared_models.preload({"SANIC_WORKERS": "2"})
    assert urgent_phrases.cache_info().currsize == 1
    misses = urgent_phrases.cache_info().misses
    # What a worker does when it loads the model: the phrases are found, not compiled again.
    UrgentHelpDetector.create(UrgentHelpDetector.get_default_config(), None, None, None)
    assert urgent_phrases.cache_info().misses == misses
