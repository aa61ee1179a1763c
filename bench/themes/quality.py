"""How well similar ideas, likely duplicates and themes work, on the two labelled sets in
tests/data, with the text-only rule of before as the baseline of the same run.

* themes_labelled.json: 80 telecom ideas (the first set); the thresholds are chosen here.
* jam_bilingual.json: 210 ideas of a telecom, a bank and a manufacturer, with labelled
  duplicate pairs of six kinds and hard negatives; figures are reported here.

``python -m bench.themes.quality`` prints the figures and writes the section "## Quality,
measured" of docs/THEMES.md (``--no-write`` prints only). Pure computation: no database.
"""
import argparse
import contextlib
import itertools
import json
import os
import re
import time
from collections import Counter, defaultdict

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DATA = os.path.join(ROOT, "tests", "data")
DOCS = os.path.join(ROOT, "docs", "THEMES.md")
TUNING, HELD_OUT = "themes_labelled.json", "jam_bilingual.json"
THRESHOLDS = [round(0.40 + 0.02 * i, 2) for i in range(14)]
OLD_THRESHOLD = 0.28


def load(name):
    """(ideas, {pair: kind}, topic of each idea key, hard negative pairs)."""
    with open(os.path.join(DATA, name), encoding="utf-8") as handle:
        data = json.load(handle)
    ideas = data["ideas"]
    lang = {idea["key"]: idea["lang"] for idea in ideas}
    pairs = {}
    if "duplicate_pairs" in data:
        for pair in data["duplicate_pairs"]:
            pairs[frozenset((pair["a"], pair["b"]))] = pair["kind"]
    else:
        for group in data["duplicate_sets"]:
            for a, b in itertools.combinations(group, 2):
                pairs[frozenset((a, b))] = "same_language"
        for group in data.get("cross_language_sets", []):
            for a, b in itertools.combinations(group, 2):
                if lang[a] != lang[b]:
                    pairs[frozenset((a, b))] = "cross_language"
    topic = {idea["key"]: idea.get("topic") or idea.get("group") for idea in ideas}
    negatives = {frozenset(pair) for pair in data.get("hard_negatives", [])}
    return ideas, pairs, topic, negatives


@contextlib.contextmanager
def text_only():
    """The rule of before: words only (no meaning vectors, no lift across languages, no
    folding of Simplified Chinese), threshold 0.28."""
    from app.domain import clustering, similarity

    saved = (similarity.SEMANTIC_WEIGHT, similarity.CROSS_LANGUAGE_LIFT, similarity.fold_chinese,
             clustering.GROUPING_DISTANCE)
    similarity.SEMANTIC_WEIGHT, similarity.CROSS_LANGUAGE_LIFT = 0.0, -1.0
    similarity.fold_chinese = lambda value: value or ""
    clustering.GROUPING_DISTANCE = 0.94
    try:
        yield
    finally:
        (similarity.SEMANTIC_WEIGHT, similarity.CROSS_LANGUAGE_LIFT, similarity.fold_chinese,
         clustering.GROUPING_DISTANCE) = saved


def run_set(name, vectors=None):
    """Everything measured on one set: the rule's twins at every threshold, typing top 5,
    themes."""
    from sklearn.metrics import adjusted_rand_score

    from app.domain import clustering, similarity, theme_labels

    ideas, pairs, topic, negatives = load(name)
    keys = [idea["key"] for idea in ideas]
    rows = [(n + 1, idea["title"], idea["body"], 0.5, None if vectors is None else vectors[n])
            for n, idea in enumerate(ideas)]
    started = time.perf_counter()
    run = clustering.compute_themes(rows)
    seconds = time.perf_counter() - started
    twins = {frozenset((keys[a - 1], keys[b - 1])): score for a, (b, score) in run.twins.items()}

    curve = {}
    with_twin = {key for pair in pairs for key in pair}
    for threshold in THRESHOLDS + [similarity.DUPLICATE_THRESHOLD, OLD_THRESHOLD]:
        found = {pair for pair, score in twins.items() if score >= threshold}
        hits = found & set(pairs)
        kinds = defaultdict(lambda: [0, 0])
        for pair, kind in pairs.items():
            kinds[kind][1] += 1
            kinds[kind][0] += pair in found
        curve[threshold] = {
            "precision": len(hits) / max(1, len(found)), "pair_recall": len(hits) / len(pairs),
            "idea_recall": len({k for pair in hits for k in pair}) / len(with_twin),
            "kinds": {kind: hit / total for kind, (hit, total) in kinds.items()},
            "negatives": len(found & negatives), "reported": len(found)}

    # Typing: each duplicate's text looked up among all the other ideas.
    index_rows = [(n + 1, idea["title"], idea["body"], None if vectors is None else vectors[n])
                  for n, idea in enumerate(ideas)]
    index = similarity.SimilarityIndex.build(index_rows)
    position = {key: n + 1 for n, key in enumerate(keys)}
    top5 = defaultdict(lambda: [0, 0])
    for pair, kind in pairs.items():
        for a, b in itertools.permutations(pair):
            idea = ideas[position[a] - 1]
            found = [i for i, _s in index.most_similar(idea["title"], idea["body"], index.meaning[position[a] - 1],
                                                       limit=6) if i != position[a]][:5]
            group = "cross_language" if kind == "cross_language" else "same_language"
            top5[group][1] += 1
            top5[group][0] += position[b] in found

    # Themes.
    assigned = {}
    for number, draft in enumerate(run.themes):
        for idea_id in draft.idea_ids:
            assigned[idea_id] = number
    predicted = [assigned.get(n + 1, -(n + 1)) for n in range(len(keys))]
    truth = [topic[key] for key in keys]
    ari = adjusted_rand_score(truth, predicted)
    chinese = [similarity.is_chinese(idea["title"], idea["body"]) for idea in ideas]
    topic_languages = defaultdict(set)
    for n, key in enumerate(keys):
        topic_languages[topic[key]].add(chinese[n])
    could_mix = mixed = 0
    fragments, words_named = [], 0
    for draft in run.themes:
        members = [idea_id - 1 for idea_id in draft.idea_ids]
        main_topic = Counter(truth[m] for m in members).most_common(1)[0][0]
        if len(members) >= 2 and len(topic_languages[main_topic]) == 2:
            could_mix += 1
            mixed += len({chinese[m] for m in members}) == 2
        for word in draft.label.split(" · "):
            if not word:
                continue
            words_named += 1
            ok = (theme_labels.is_chinese_word(word) if re.search(r"[\u3400-\u9fff]", word)
                  else theme_labels.is_english_word(word))
            if not ok:
                fragments.append(word)
    return {"name": name, "ideas": len(ideas), "pairs": len(pairs), "curve": curve,
            "top5": {group: hit / total for group, (hit, total) in top5.items()},
            "ari": ari, "themes": len(run.themes), "mixed": (mixed, could_mix),
            "fragments": fragments, "words_named": words_named, "seconds": seconds,
            "labels": [draft.label for draft in run.themes]}


def choose_threshold(result):
    """The threshold of the tuning set with the best F1 of precision and idea recall."""
    def f1(point):
        p, r = point["precision"], point["idea_recall"]
        return 2 * p * r / (p + r) if p + r else 0.0
    return max(THRESHOLDS, key=lambda t: (round(f1(result["curve"][t]), 3), t))


def vectors_of(name):
    from app.domain import embedding

    ideas, *_rest = load(name)
    return embedding.encode_ideas([(idea["title"], idea["body"]) for idea in ideas])


def measure():
    from app.domain import similarity

    vectors = {name: vectors_of(name) for name in (TUNING, HELD_OUT)}
    now = {name: run_set(name, vectors[name]) for name in (TUNING, HELD_OUT)}
    with text_only():
        before = {name: run_set(name) for name in (TUNING, HELD_OUT)}
    return {"now": now, "before": before, "chosen": choose_threshold(now[TUNING]),
            "threshold": similarity.DUPLICATE_THRESHOLD}


def _point(result, threshold):
    point = result["curve"][threshold]
    return point


def render(figures):
    now, before, threshold = figures["now"], figures["before"], figures["threshold"]
    held, tuned = now[HELD_OUT], now[TUNING]
    old_held, old_tuned = before[HELD_OUT], before[TUNING]
    p = _point(held, threshold)
    lines = ["## Quality, measured", "",
             "Reproduce: `.venv/bin/python -m bench.themes.quality` (writes this section). Thresholds are",
             f"chosen on {TUNING} (80 ideas, the first set) and reported on {HELD_OUT} (210 ideas of",
             "a telecom, a bank and a manufacturer; 60 labelled duplicate pairs of six kinds, 60 hard",
             "negatives, 15 topics). \"Before\" is the text-only rule of before, run in the same process",
             "(words only, no folding of Simplified Chinese, threshold 0.28).", "",
             f"Best F1 (precision x recall of ideas) on the first set: threshold {figures['chosen']:.2f}; the product uses"
             f" **{threshold:.2f}**.", "",
             "| On the held-out set (210 ideas) | Before | Now | Aim |", "| --- | ---: | ---: | ---: |"]
    old = _old_point(old_held)
    lines += [
        f"| Likely duplicates: precision | {old['precision']:.2f} | {p['precision']:.2f} | ≥ 0.8 |",
        f"| Likely duplicates: recall of pairs | {old['pair_recall']:.2f} | {p['pair_recall']:.2f} | ≥ 0.7 |",
        f"| ... cross-language pairs | {old['kinds'].get('cross_language', 0):.2f} | "
        f"{p['kinds'].get('cross_language', 0):.2f} | ≥ 0.6 |",
        f"| Hard negatives reported as duplicates (of 60) | {old['negatives']} | {p['negatives']} | |",
        f"| Typing: cross-language duplicate in the top 5 | {old_held['top5'].get('cross_language', 0):.2f} | "
        f"{held['top5'].get('cross_language', 0):.2f} | ≥ 0.8 |",
        f"| Typing: same-language duplicate in the top 5 | {old_held['top5'].get('same_language', 0):.2f} | "
        f"{held['top5'].get('same_language', 0):.2f} | |",
        f"| Themes: adjusted Rand index against topics | {old_held['ari']:.2f} | {held['ari']:.2f} | ≥ 0.4 |",
        f"| Themes mixing languages, where the topic does | {_share(old_held['mixed'])} | {_share(held['mixed'])} | ≥ 1/3 |",
        f"| Theme name words not in the dictionary / word list | {len(old_held['fragments'])} of "
        f"{old_held['words_named']} | {len(held['fragments'])} of {held['words_named']} | 0 |",
        "", "Recall of pairs by kind on the held-out set (before → now):", "",
        "| Kind | Pairs | Before | Now |", "| --- | ---: | ---: | ---: |"]
    kinds = Counter(load(HELD_OUT)[1].values())
    for kind in sorted(kinds):
        lines.append(f"| {kind.replace('_', ' ')} | {kinds[kind]} | {old['kinds'].get(kind, 0):.2f} | "
                     f"{p['kinds'].get(kind, 0):.2f} |")
    lines += ["", "Precision / recall of pairs on each set around the threshold (now):", "",
              "| Threshold | " + " | ".join(f"{t:.2f}" for t in THRESHOLDS[::2]) + " |",
              "| --- |" + " --- |" * len(THRESHOLDS[::2])]
    for result in (tuned, held):
        lines.append(f"| {result['name']} | " + " | ".join(
            f"{result['curve'][t]['precision']:.2f}/{result['curve'][t]['pair_recall']:.2f}"
            for t in THRESHOLDS[::2]) + " |")
    tp = _point(tuned, threshold)
    lines += ["", f"On the first set at {threshold:.2f}: precision {tp['precision']:.2f}, recall "
              f"{tp['idea_recall']:.2f} of ideas with a duplicate and {tp['pair_recall']:.2f} of pairs "
              f"({tp['kinds'].get('cross_language', 0):.2f} of cross-language pairs); typing top 5 across "
              f"languages {tuned['top5'].get('cross_language', 0):.2f}; themes ARI {tuned['ari']:.2f} "
              f"(before: {before[TUNING]['ari']:.2f}), {_share(tuned['mixed'])} of themes mixing languages.",
              "", f"Theme names on the held-out set: {', '.join(held['labels'][:12])}.",
              f"Words not found: {', '.join(held['fragments']) or 'none'} (before: "
              f"{', '.join(old_held['fragments'][:12]) or 'none'}).", ""]
    return "\n".join(lines)


def _old_point(result):
    """The old rule at its threshold."""
    return result["curve"][OLD_THRESHOLD]


def _share(pair):
    mixed, could = pair
    return f"{mixed} of {could}"


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()
    figures = measure()
    text = render(figures)
    print(text)
    if not args.no_write:
        from bench.common.report import write_section

        write_section(DOCS, text)


if __name__ == "__main__":
    main()
