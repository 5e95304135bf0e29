import sys
from pathlib import Path

import pytest

from tests.asyncio_thread import LoopThread

ROOT = Path(__file__).resolve().parent.parent.parent


@pytest.fixture(scope="session")
def understand():
    """Parse text with the trained model, exactly as the running assistant would."""
    sys.path.insert(0, str(ROOT))  # custom components are imported from the repo root
    import logging

    import structlog
    from rasa.core.agent import Agent

    # Unconfigured, structlog prints Rasa's debug lines, which quote each message: held-out
    # lines would then show in a failing test's output and stop being unseen.
    structlog.configure(wrapper_class=structlog.make_filtering_bound_logger(logging.WARNING))

    loop = LoopThread()
    agent = loop.run(_load(Agent, str(ROOT / "models" / "assistant.tar.gz")))
    yield lambda text: loop.run(agent.parse_message(text))
    loop.close()


async def _load(agent_class, path):
    return agent_class.load(path)
