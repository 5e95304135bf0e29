"""The REST channel the web chat uses (POST /webhooks/rest/webhook), made kind when things fail.

Rasa's own REST channel answers a parent with nothing at all when the action server is
down or slow, and with a 500 when the request isn't a JSON object. This one:

- always answers a message: if Rasa produced no reply (an action failed or timed out, the
  store failed...), it sends the `actions_down` words (bot/words/replies.yml), which carry
  the urgent lines; whatever Rasa did say comes first, in order;
- waits at most `action_timeout` seconds (credentials.yml, or env ACTION_TIMEOUT) for the
  action server: Rasa 3.6 hard-codes 5 minutes (rasa.core.constants.DEFAULT_REQUEST_TIMEOUT)
  and has no setting for it, so we set the value its remote action reads at call time;
- answers a request it can't read (not JSON, not an object, no message, a message that is
  not text, an unusable sender) with a 400 and the same kind words, never a 500;
- sends an empty or blank message on as "not understood" (`/nlu_fallback`): Rasa's
  LogisticRegressionClassifier fails on a message with no words, and the turn would be lost;
- keeps message text out of the logs (Rasa warns with the whole line when a message starts
  with "/" but isn't an intent), and keeps client-sent `metadata` out of the store;
- finishes handling a message even if the client leaves early, so nothing is half stored.

Its name stays "rest", so the URL is unchanged. Replies come back together, as a JSON list
(Rasa's `?stream=true` is not offered). credentials.yml:
`components.channels.RestChannel: {action_timeout: 5}`.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import re
import traceback
import uuid
import warnings
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.core.channels.rest import RestInput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.replies import say
from components import action_responses, graph_runs, model_loading, shared_models

logger = logging.getLogger(__name__)

ACTION_TIMEOUT_ENV = "ACTION_TIMEOUT"
DEFAULT_ACTION_TIMEOUT = (
    5.0  # under the web page's 10 s wait for Rasa (bot/web), so the parent sees our words
)
NOT_UNDERSTOOD = "/nlu_fallback"
SENDER_MAX = 128  # Rasa's events table keeps sender ids in a VARCHAR(255)
_LONE_SURROGATE = re.compile(r"[\ud800-\udfff]")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


class BadRequest(ValueError):
    """The request can't be read as a message; the reason is for the log (no message text)."""


def kind_words() -> str:
    return say("actions_down")


def read_request(body: bytes) -> tuple[str, str]:
    """(sender, text) from a request body, or BadRequest.

    Bytes that aren't UTF-8 become U+FFFD rather than failing the message; a missing sender
    gets a fresh id (never Rasa's shared "default" conversation); a number is read as text.
    """
    try:
        data = json.loads(body.decode("utf-8", errors="replace"))
    except (ValueError, RecursionError):  # RecursionError: nested too deep to read
        raise BadRequest("body is not JSON") from None
    if not isinstance(data, dict):
        raise BadRequest(f"body is a JSON {type(data).__name__}, not an object")
    sender = data.get("sender")
    if sender is None:
        sender = uuid.uuid4().hex
    elif isinstance(sender, int) and not isinstance(sender, bool):
        sender = str(sender)
    if (
        not isinstance(sender, str)
        or not 0 < len(sender) <= SENDER_MAX
        or _CONTROL.search(sender)
        or _LONE_SURROGATE.search(sender)
        or not sender.strip()
    ):
        raise BadRequest("sender is not a usable id")
    message = data.get("message")
    if isinstance(message, (int, float)) and not isinstance(message, bool):
        message = json.dumps(message)
    if not isinstance(message, str):
        raise BadRequest(
            f"message is {'missing' if message is None else 'a ' + type(message).__name__}"
        )
    message = _LONE_SURROGATE.sub("\ufffd", message)
    return sender, message if message.strip() else NOT_UNDERSTOOD


def limit_action_wait(seconds: float) -> None:
    """How long Rasa waits for the action server, per action call."""
    import rasa.core.actions.action as remote

    if not hasattr(remote, "DEFAULT_REQUEST_TIMEOUT"):  # a Rasa version that reads it elsewhere
        logger.warning("Can't shorten the action server timeout in this Rasa version.")
        return
    remote.DEFAULT_REQUEST_TIMEOUT = seconds


def action_timeout(credentials: dict | None) -> float:
    value = (
        os.environ.get(ACTION_TIMEOUT_ENV)
        or (credentials or {}).get("action_timeout")
        or DEFAULT_ACTION_TIMEOUT
    )
    seconds = float(value)
    if seconds <= 0:
        raise ValueError(f"action_timeout must be more than 0 seconds, not {value}")
    return seconds


class RestChannel(RestInput):
    @classmethod
    def name(cls) -> str:
        return "rest"

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> RestChannel:
        seconds = action_timeout(credentials)
        warnings.filterwarnings(
            "ignore", message="Failed to parse arguments in line"
        )  # quotes the message
        limit_action_wait(seconds)
        action_responses.install()
        graph_runs.install()
        model_loading.install()  # before the model loads
        shared_models.preload()  # before Rasa forks its workers, so they share one copy
        logger.info(f"REST channel: waiting at most {seconds:g} s for the action server.")
        return cls()

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        webhook = Blueprint("kind_rest_webhook", __name__)
        # With several workers, the model is loaded once before Sanic forks them.
        webhook.listener("main_process_start")(shared_models.load_model_before_fork)

        @webhook.listener("before_server_stop")
        async def close_action_sessions(_app: Any, _loop: Any) -> None:
            await action_responses.close_sessions()  # the kept connections to the action server

        @webhook.route("/", methods=["GET"])
        async def health(request: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            try:
                sender, text = read_request(request.body or b"")
            except BadRequest as error:
                logger.info(f"REST channel: refused a request: {error}")
                return response.json([{"text": kind_words()}], status=400)
            return response.json(await self.handle(on_new_message, sender, text))

        return webhook

    async def handle(
        self, on_new_message: Callable[[UserMessage], Awaitable[Any]], sender: str, text: str
    ) -> list[dict]:
        collector = CollectingOutputChannel()
        message = UserMessage(text, collector, sender, input_channel=self.name())
        # Shielded: if the client leaves, the message is still handled and stored whole.
        task = asyncio.ensure_future(on_new_message(message))
        task.add_done_callback(_log_failure)
        try:
            await asyncio.shield(task)
        except asyncio.CancelledError:
            logger.info(
                "REST channel: the client left before the reply; the message is still being handled."
            )
            raise
        except Exception:
            pass  # logged by _log_failure, without the message text
        messages = list(collector.messages)
        if not messages:
            messages.append({"recipient_id": sender, "text": kind_words()})
        return messages


def _log_failure(task: asyncio.Future) -> None:
    if task.cancelled():
        return
    error = task.exception()
    if error is not None:  # the type and where, not the exception's text: it may quote the parent
        where = traceback.extract_tb(error.__traceback__)[-1:] or [None]
        place = f" at {where[0].filename}:{where[0].lineno}" if where[0] else ""
        logger.error(f"REST channel: handling a message failed: {type(error).__name__}{place}")
