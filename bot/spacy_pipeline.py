"""Build the small spaCy pipeline Rasa loads from a folder (`build/spacy_en`).

`spacy download` needs GitHub, which these machines can't reach, so set-up builds a blank
English pipeline with the lookup lemmatizer ("nappies" -> "nappy") from spacy-lookups-data.
"""

from __future__ import annotations

import sys
from pathlib import Path

DEFAULT_OUTPUT = Path("build/spacy_en")


def build(output: Path = DEFAULT_OUTPUT) -> Path:
    import spacy  # imported here so `bot` stays quick to import for everything else

    nlp = spacy.blank("en")
    nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
    nlp.initialize()
    output.mkdir(parents=True, exist_ok=True)
    nlp.to_disk(output)
    return output


if __name__ == "__main__":
    path = build(Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_OUTPUT)
    print(f"spaCy pipeline written to {path}")
