import pytest

from bot.tools.servers import running_assistant


@pytest.fixture(scope="session")
def assistant(tmp_path_factory):
    with running_assistant(tmp_path_factory.mktemp("assistant")) as running:
        yield running


def texts(messages: list[dict]) -> str:
    return "\n".join(m.get("text", "") for m in messages)
