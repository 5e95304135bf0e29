"""Performance harness: ours against the `rasa init` baseline (`make bench`, `python -m bench --quick`)."""
