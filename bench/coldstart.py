"""Where a cold start goes: the steps `rasa run` takes before its first reply, timed one by one.

  python -m bench.coldstart MODEL [--skops [--skops-first]] [--spacy PATH] [--preload]   (prints JSON; from the repo root)

Run in a fresh interpreter, in Rasa's own order: TensorFlow (Rasa's policy modules import it
even when no TensorFlow component is used), the rest of Rasa and Sanic, then loading the
model, which for ours imports skops (LogisticRegressionClassifier's loader) and loads the
spaCy pipeline, then the first message. skops is imported on its own just before the
model load so its cost - scanning every module in sys.modules for each ufunc it trusts, so
slower the more is imported - is seen apart; spaCy likewise. `--skops-first` imports skops
before anything else, to show what that step costs when few modules are loaded yet.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import sys
import time


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.coldstart")
    parser.add_argument("model")
    parser.add_argument(
        "--skops", action="store_true", help="the model has a LogisticRegressionClassifier"
    )
    parser.add_argument(
        "--skops-first", action="store_true", help="import skops.io before TensorFlow and Rasa"
    )
    parser.add_argument("--spacy", help="the model's spaCy pipeline (SpacyNLP model path)")
    parser.add_argument(
        "--preload",
        action="store_true",
        help="load the shared models first, as Rasa's main process does with several workers",
    )
    args = parser.parse_args(argv)
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    logging.disable(logging.WARNING)
    phases: dict[str, float] = {}

    def timed(name: str, step):
        start = time.perf_counter()
        value = step()
        phases[name] = time.perf_counter() - start
        return value

    if args.skops and args.skops_first:
        timed("import skops.io first (type scan over sys.modules)", lambda: __import__("skops.io"))
    timed("import tensorflow", lambda: __import__("tensorflow"))
    timed(
        "import rasa (agent, server, channels) and sanic",
        lambda: [
            __import__(m)
            for m in ("rasa.core.agent", "rasa.server", "rasa.core.run", "rasa.core.channels.rest")
        ],
    )
    modules_before = len(sys.modules)
    if args.skops and not args.skops_first:
        timed("import skops.io (type scan over sys.modules)", lambda: __import__("skops.io"))
    if args.spacy:
        import spacy

        timed("spacy.load of the pipeline", lambda: spacy.load(args.spacy))
    from rasa.core.agent import Agent

    from components import model_loading, shared_models

    model_loading.install()  # as the REST channel does before `rasa run` loads the model
    if args.preload:
        timed(
            "shared models before the fork (language detector, urgent phrases)",
            lambda: shared_models.preload({"SANIC_WORKERS": "2"}),
        )
    agent = timed(
        "Agent.load of the model (graph, components, policies)", lambda: Agent.load(args.model)
    )
    timed(
        "first message (NLU + policies, in process)",
        lambda: asyncio.run(agent.handle_text("hello", sender_id="bench")),
    )
    print(
        json.dumps(
            {
                "phases": phases,
                "modules_before_model": modules_before,
                "modules_after": len(sys.modules),
            }
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
