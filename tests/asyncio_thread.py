"""Run a coroutine to completion on its own thread.

Playwright's sync API (browser tests, session-scoped) keeps an event loop running on the
main thread, and asyncio refuses to start another there; a thread has no such loop.
"""

import asyncio
import threading


def run(coroutine):
    result = {}

    def target():
        try:
            result["value"] = asyncio.run(coroutine)
        except BaseException as error:  # re-raised on the caller's thread
            result["error"] = error

    thread = threading.Thread(target=target)
    thread.start()
    thread.join()
    if "error" in result:
        raise result["error"]
    return result["value"]


class LoopThread:
    """One long-lived loop on its own thread, for objects bound to a loop (Rasa's Agent)."""

    def __init__(self):
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()

    def run(self, coroutine):
        return asyncio.run_coroutine_threadsafe(coroutine, self.loop).result()

    def close(self):
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join()
