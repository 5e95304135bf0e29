"""Sign-in codes can't be guessed by trying many: wrong codes are limited per address."""

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

from bot.web.mentor_auth import SIGN_IN_TRIES, WrongCodes, add_mentor_auth
from tests.asyncio_thread import run

TOKEN = "a-long-enough-sign-in-code-for-tests"
SAME_SITE = {"Sec-Fetch-Site": "same-origin"}


def sign_in_attempts(monkeypatch, codes: list[str]) -> list[int]:
    monkeypatch.setenv("MENTOR_TOKEN", TOKEN)

    async def go():
        app = web.Application()
        add_mentor_auth(app, secret=b"test-secret")
        statuses = []
        async with TestClient(TestServer(app)) as client:
            for code in codes:
                response = await client.post(
                    "/mentor/login", data={"token": code}, headers=SAME_SITE, allow_redirects=False
                )
                statuses.append(response.status)
        return statuses

    return run(go())


def test_after_too_many_wrong_codes_even_the_right_one_waits(monkeypatch):
    statuses = sign_in_attempts(monkeypatch, ["wrong"] * SIGN_IN_TRIES + [TOKEN])
    assert statuses[:SIGN_IN_TRIES] == [401] * SIGN_IN_TRIES
    assert statuses[-1] == 429


def test_a_few_wrong_codes_then_the_right_one_signs_in(monkeypatch):
    statuses = sign_in_attempts(monkeypatch, ["wrong"] * (SIGN_IN_TRIES - 1) + [TOKEN])
    assert statuses[-1] == 303


@pytest.mark.parametrize("address", ["10.0.0.1", "10.0.0.2"])
def test_the_wait_ends_when_the_window_has_passed(address):
    wrong = WrongCodes(tries=2, window=60)
    wrong.add(address, now=0)
    wrong.add(address, now=1)
    assert wrong.blocked(address, now=30)
    assert not wrong.blocked("10.9.9.9", now=30)
    assert not wrong.blocked(address, now=62)


def test_many_addresses_together_are_limited_too():
    wrong = WrongCodes(tries=2, window=60)
    for n in range(20):
        wrong.add(f"10.0.1.{n}", now=n)
    assert wrong.blocked("10.0.2.1", now=25)
