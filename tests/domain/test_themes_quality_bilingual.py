"""How well the jam finds duplicates, similar ideas and themes across English and Chinese,
on the held-out labelled set (tests/data/jam_bilingual.json: 210 ideas of a telecom, a
bank and a manufacturer). The thresholds were chosen on the first set
(themes_labelled.json); bench/themes/quality.py measures both and writes docs/THEMES.md.
The floors below are the aims of the work where it meets them, and the measured figure
less a margin where it does not (themes: see docs/THEMES.md)."""
import json
import pathlib
from collections import Counter

import pytest

from bench.themes import quality

DATA = pathlib.Path(__file__).parent.parent / "data"
THEMES_ARI_FLOOR = 0.2  # measured 0.24; the aim of 0.4 is out of reach (docs/THEMES.md)


@pytest.fixture(scope="module")
def held_out():
    from app.domain import similarity

    result = quality.run_set(quality.HELD_OUT, quality.vectors_of(quality.HELD_OUT))
    return result, result["curve"][similarity.DUPLICATE_THRESHOLD]


def test_the_held_out_set_is_what_it_claims():
    data = json.loads((DATA / quality.HELD_OUT).read_text(encoding="utf-8"))
    ideas = data["ideas"]
    keys = {idea["key"] for idea in ideas}
    assert len(ideas) >= 200 and len(keys) == len(ideas)
    assert {idea["organisation"] for idea in ideas} == {"telecom", "bank", "manufacturer"}
    assert {idea["topic"] for idea in ideas} == set(data["topics"])
    kinds = Counter(pair["kind"] for pair in data["duplicate_pairs"])
    assert sum(kinds.values()) >= 50 and kinds["cross_language"] >= 15
    assert set(kinds) == {"paraphrase", "reordered", "short_long", "simplified_traditional",
                          "mixed_language", "cross_language"}
    assert len(data["hard_negatives"]) >= 50
    by_key = {idea["key"]: idea for idea in ideas}
    for pair in data["duplicate_pairs"]:
        a, b = by_key[pair["a"]], by_key[pair["b"]]
        assert a["topic"] == b["topic"]
        assert (pair["kind"] == "cross_language") == ({a["lang"], b["lang"]} == {"en", "zh"})
    for a, b in data["hard_negatives"]:
        assert by_key[a]["topic"] == by_key[b]["topic"]


def test_likely_duplicates_on_the_held_out_set(held_out):
    _result, point = held_out
    print(f"\nprecision {point['precision']:.2f}, recall {point['pair_recall']:.2f}, "
          f"across languages {point['kinds']['cross_language']:.2f}")
    assert point["precision"] >= 0.8
    assert point["pair_recall"] >= 0.7
    assert point["kinds"]["cross_language"] >= 0.6


def test_cross_language_duplicates_show_while_typing(held_out):
    result, _point = held_out
    assert result["top5"]["cross_language"] >= 0.8
    assert result["top5"]["same_language"] >= 0.9


def test_themes_mix_languages_and_are_named_by_real_words(held_out):
    result, _point = held_out
    mixed, could_mix = result["mixed"]
    print(f"\nARI {result['ari']:.2f}; {mixed} of {could_mix} themes mixing; {result['labels']}")
    assert result["ari"] >= THEMES_ARI_FLOOR
    assert mixed * 3 >= could_mix
    assert result["fragments"] == [] and result["words_named"] > 0


def test_theme_names_on_the_first_set_are_real_words_too():
    first = quality.run_set(quality.TUNING, quality.vectors_of(quality.TUNING))
    assert first["fragments"] == [] and first["words_named"] > 0
