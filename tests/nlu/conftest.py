import pytest

from bot.tools.urgent_counts import load_model, quiet_rasa_logs
from tests.asyncio_thread import LoopThread


@pytest.fixture(scope="session")
def understand():
    """Parse text with the trained model, exactly as the running assistant would."""
    quiet_rasa_logs()
    loop = LoopThread()
    agent = load_model(loop)
    yield lambda text: loop.run(agent.parse_message(text))
    loop.close()
