"""The sentence encoder's batches: a long message is encoded alone, so short sentences are not
padded to its length (components/sentence_embeddings.py imports Rasa, so it is tested here,
not in tests/unit)."""

from components.sentence_embeddings import _batches


def test_a_long_message_is_not_padded_with_its_short_sentences():
    long = "x" * 400
    texts = [long, "we have no food", "the landlord wants us out", "hi"]
    batches = _batches(texts, 32)
    assert [0] in batches  # the long message alone
    assert sorted(i for b in batches for i in b) == [0, 1, 2, 3]
    assert all(len(b) <= 2 for b in _batches(["a"] * 5, 2))
