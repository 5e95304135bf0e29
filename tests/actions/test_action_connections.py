"""Action calls keep one connection open: same replies, fewer connections, and a call
still goes through after the action server restarts or the connection sat idle."""

import asyncio
import socket

import pytest
from aiohttp import web
from rasa.core.actions.action import RemoteAction
from rasa.utils.endpoints import EndpointConfig

from components import action_responses
from tests.asyncio_thread import run

REPLY = {"events": [{"event": "slot", "name": "need", "value": "food"}], "responses": []}


async def serve(port: int, peers: list):
    """A stand-in action server that notes the client port of every call."""

    async def webhook(request: web.Request) -> web.Response:
        peers.append(request.transport.get_extra_info("peername")[1])
        body = await request.json()
        return web.json_response({**REPLY, "responses": [{"text": body["next_action"]}]})

    app = web.Application()
    app.router.add_post("/webhook", webhook)
    runner = web.AppRunner(app)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    return runner


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


async def call(endpoint: EndpointConfig, name: str) -> dict:
    return await endpoint.request(json={"next_action": name}, method="post", timeout=5)


@pytest.fixture(autouse=True)
def installed():
    action_responses.install()


def test_calls_share_one_connection_and_get_the_same_replies():
    async def main():
        port, peers = free_port(), []
        runner = await serve(port, peers)
        endpoint = EndpointConfig(f"http://127.0.0.1:{port}/webhook")
        RemoteAction("action_signpost", endpoint)  # as Rasa makes one for each call
        replies = [await call(endpoint, f"action_{i}") for i in range(5)]
        await action_responses.close_sessions()
        await runner.cleanup()
        return replies, peers

    replies, peers = run(main())
    assert [r["responses"][0]["text"] for r in replies] == [f"action_{i}" for i in range(5)]
    assert all(r["events"] == REPLY["events"] for r in replies)
    assert len(peers) == 5 and len(set(peers)) == 1


def test_without_the_kept_session_each_call_opens_a_connection():
    async def main():
        port, peers = free_port(), []
        runner = await serve(port, peers)
        endpoint = EndpointConfig(f"http://127.0.0.1:{port}/webhook")  # no RemoteAction made
        for i in range(3):
            await call(endpoint, f"action_{i}")
        await runner.cleanup()
        return peers

    assert len(set(run(main()))) == 3  # Rasa's own way, for contrast


def test_a_call_after_the_action_server_restarts_goes_through():
    async def main():
        port, peers = free_port(), []
        runner = await serve(port, peers)
        endpoint = EndpointConfig(f"http://127.0.0.1:{port}/webhook")
        RemoteAction("action_signpost", endpoint)
        first = await call(endpoint, "action_one")
        await runner.cleanup()  # the server stops: its connections close
        await asyncio.sleep(0.1)
        runner = await serve(port, peers)
        second = await call(endpoint, "action_two")
        await action_responses.close_sessions()
        await runner.cleanup()
        return first, second, peers

    first, second, peers = run(main())
    assert first["responses"][0]["text"] == "action_one"
    assert second["responses"][0]["text"] == "action_two"
    assert len(set(peers)) == 2


def test_an_idle_connection_is_closed_by_this_side_first(monkeypatch):
    monkeypatch.setattr(action_responses, "KEEP_ALIVE", 0.2)

    async def main():
        port, peers = free_port(), []
        runner = await serve(port, peers)
        endpoint = EndpointConfig(f"http://127.0.0.1:{port}/webhook")
        RemoteAction("action_signpost", endpoint)
        await call(endpoint, "action_one")
        await asyncio.sleep(1.5)  # longer than KEEP_ALIVE: the connection is let go
        reply = await call(endpoint, "action_two")
        await action_responses.close_sessions()
        await runner.cleanup()
        return reply, peers

    reply, peers = run(main())
    assert reply["responses"][0]["text"] == "action_two"
    assert len(set(peers)) == 2


def test_the_kept_wait_is_shorter_than_the_action_servers():
    from sanic.config import DEFAULT_CONFIG

    assert action_responses.KEEP_ALIVE < DEFAULT_CONFIG["KEEP_ALIVE_TIMEOUT"]
