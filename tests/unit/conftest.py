import datetime as dt
from pathlib import Path

import pytest

from bot.conversation import Signposting
from bot.directory import load_directory
from bot.search import LONDON

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="session")
def mini():
    return load_directory(FIXTURES / "mini_directory.yml")


@pytest.fixture(scope="session")
def signposting(mini):
    return Signposting(mini, postcodes={}, lookup=Offline())


class Offline:
    """postcodes.io when the network is down: knows nothing."""

    def area_for(self, postcode, directory):
        return None


@pytest.fixture
def tuesday_noon():
    return dt.datetime(2026, 11, 24, 12, 0, tzinfo=LONDON)


@pytest.fixture
def raw_mini():
    import yaml

    return yaml.safe_load((FIXTURES / "mini_directory.yml").read_text())
