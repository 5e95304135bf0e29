"""Custom Rasa NLU components (importable from the repo root, where Rasa runs)."""
