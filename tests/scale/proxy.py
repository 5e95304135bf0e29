"""A small round-robin HTTP proxy in front of several Rasa instances, for the scale-out test.

  python -m tests.scale.proxy --port 8000 --backend http://127.0.0.1:5005 --backend http://127.0.0.1:5006

Round-robin per conversation: each REST message goes to the instance after the one that
took that conversation's previous message, so every turn of every conversation changes
instance - the hardest case for a shared tracker store and lock store. Requests without a
sender (health checks) take turns globally. The answer says which instance served it
(header X-Served-By: 0, 1, ...). A real deployment uses nginx, HAProxy or a cloud load
balancer instead; they need no stickiness, because Rasa keeps no conversation in memory.
"""

from __future__ import annotations

import argparse
import itertools
import json

import aiohttp
from aiohttp import web

HOP_BY_HOP = {
    "connection",
    "keep-alive",
    "transfer-encoding",
    "te",
    "trailer",
    "upgrade",
    "host",
    "content-length",
}
BACKENDS = web.AppKey("backends", list)
CLIENT = web.AppKey("client", aiohttp.ClientSession)
NEXT = web.AppKey("next", dict)
GLOBAL = web.AppKey("global", itertools.count)


def sender_of(body: bytes) -> str | None:
    try:
        data = json.loads(body)
    except ValueError:
        return None
    return (
        str(data.get("sender"))
        if isinstance(data, dict) and data.get("sender") is not None
        else None
    )


def pick(app: web.Application, body: bytes) -> int:
    sender = sender_of(body) if body else None
    if sender is None:
        return next(app[GLOBAL]) % len(app[BACKENDS])
    turn = app[NEXT].get(
        sender, len(app[NEXT]) % len(app[BACKENDS])
    )  # conversations start spread out
    app[NEXT][sender] = (turn + 1) % len(app[BACKENDS])
    return turn


async def forward(request: web.Request) -> web.Response:
    app = request.app
    body = await request.read()
    index = pick(app, body)
    headers = {k: v for k, v in request.headers.items() if k.lower() not in HOP_BY_HOP}
    url = app[BACKENDS][index] + request.rel_url.path_qs
    try:
        async with app[CLIENT].request(request.method, url, data=body, headers=headers) as upstream:
            payload = await upstream.read()
            out = {k: v for k, v in upstream.headers.items() if k.lower() not in HOP_BY_HOP}
            out["X-Served-By"] = str(index)
            return web.Response(body=payload, status=upstream.status, headers=out)
    except (aiohttp.ClientError, TimeoutError):
        return web.json_response(
            {"error": "bad gateway"}, status=502, headers={"X-Served-By": str(index)}
        )


def make_app(backends: list[str]) -> web.Application:
    app = web.Application(client_max_size=1024**2)
    app[BACKENDS] = [b.rstrip("/") for b in backends]
    app[NEXT] = {}
    app[GLOBAL] = itertools.count()

    async def client(app: web.Application):
        app[CLIENT] = aiohttp.ClientSession(
            timeout=aiohttp.ClientTimeout(total=300), connector=aiohttp.TCPConnector(limit=200)
        )
        yield
        await app[CLIENT].close()

    app.cleanup_ctx.append(client)
    app.router.add_route("*", "/{tail:.*}", forward)
    return app


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m tests.scale.proxy",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument(
        "--backend", action="append", required=True, help="a Rasa base URL (repeat for each)"
    )
    args = parser.parse_args(argv)
    web.run_app(make_app(args.backend), host=args.host, port=args.port, print=None, access_log=None)


if __name__ == "__main__":
    main()
