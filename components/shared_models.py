"""Models every Rasa worker reads but never changes, loaded once before the workers start.

With several Sanic workers (SANIC_WORKERS above 1) Rasa's main process makes the input
channels and then forks the workers. Whatever is loaded before the fork is shared by every
worker (copy-on-write; these models are never written), instead of each worker loading its
own copy:

- the language detector: lingua's models for the enabled languages, about 290 MB;
- the urgent phrases: every language's patterns (about 1,300), compiled once;
- the trained model's graph (every component: spaCy, the sentence model, the classifier),
  loaded in Sanic's main_process_start, just before the fork (`load_model_before_fork`).

The REST channel is the piece of ours Rasa's main process runs before the fork: it calls
`preload()` from `from_credentials`, and its blueprint adds `load_model_before_fork` as a
main_process_start listener (Sanic runs those in the main process, before it binds the port
and forks). The components then find the same objects already built
(bot.language_detection.detector keeps one per language set, bot.urgent.urgent_phrases one,
components/model_loading.py the model's graph). The sentence model's ONNX session runs on
the calling thread (one intra-op thread), so it starts no threads a fork would lose.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping
from functools import partial
from typing import Any

from bot.language_detection import detector
from bot.translations import translations
from bot.urgent import urgent_phrases
from components import model_loading

logger = logging.getLogger(__name__)


def workers(environ: Mapping[str, str] = os.environ) -> int:
    """How many Sanic workers Rasa will fork (its own setting, SANIC_WORKERS; 1 if unset)."""
    try:
        return max(1, int(environ.get("SANIC_WORKERS") or 1))
    except ValueError:
        return 1


def _start_listeners(app: Any) -> list:
    """The app's before_server_start listeners (Sanic 21.12 keeps them as signal handlers
    wrapping each listener)."""
    found = list(app.listeners.get("before_server_start", []))
    for route in getattr(getattr(app, "signal_router", None), "routes", []):
        handler = getattr(route, "handler", None)
        if isinstance(handler, partial) and "listener" in handler.keywords:
            found.append(handler.keywords["listener"])
    return found


def model_path(app: Any) -> str | None:
    """The model `rasa run` will load: the path Rasa gave its own start-up listener
    (rasa.core.run.load_agent_on_start); None for a model from remote storage, or none."""
    from rasa.core.run import load_agent_on_start

    for listener in _start_listeners(app):
        if isinstance(listener, partial) and listener.func is load_agent_on_start:
            path, _endpoints, remote_storage = (list(listener.args) + [None] * 3)[:3]
            return None if remote_storage or not path else str(path)
    return None


def load_model_before_fork(app: Any, loop: Any = None) -> None:
    """Sanic's main_process_start listener: with several workers, load the model's graph once
    here, before the workers are forked; each worker's Rasa then takes it instead of loading
    the model again (components/model_loading.py)."""
    path = model_path(app)
    if workers() < 2 or path is None:
        return
    model_loading.load_before_fork(path)
    logger.info("Loaded the model once, for every Rasa worker to share.")


def preload(environ: Mapping[str, str] = os.environ) -> list[str]:
    """Load the shared models now when workers will be forked; the names of what was loaded."""
    if workers(environ) < 2:
        return []
    loaded = []
    codes = tuple(translations().enabled_codes())
    if len(codes) > 1:
        detector(codes)
        loaded.append("language detector")
    urgent_phrases()
    loaded.append("urgent phrases")
    logger.info(f"Loaded once, for every Rasa worker to share: {', '.join(loaded)}.")
    return loaded
