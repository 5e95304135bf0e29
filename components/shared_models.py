"""Models every Rasa worker reads but never changes, loaded once before the workers start.

With several Sanic workers (SANIC_WORKERS above 1) Rasa's main process makes the input
channels and then forks the workers. Whatever is loaded before the fork is shared by every
worker (copy-on-write; these models are never written), instead of each worker loading its
own copy:

- the language detector: lingua's models for the enabled languages, about 290 MB;
- the urgent phrases: every language's patterns (about 1,300), compiled once.

The REST channel calls `preload()` from `from_credentials`, the one piece of ours Rasa's
main process runs before the fork; the components then find the same objects already built
(bot.language_detection.detector keeps one per language set, bot.urgent.urgent_phrases one).
"""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping

from bot.language_detection import detector
from bot.translations import translations
from bot.urgent import urgent_phrases

logger = logging.getLogger(__name__)


def workers(environ: Mapping[str, str] = os.environ) -> int:
    """How many Sanic workers Rasa will fork (its own setting, SANIC_WORKERS; 1 if unset)."""
    try:
        return max(1, int(environ.get("SANIC_WORKERS") or 1))
    except ValueError:
        return 1


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
