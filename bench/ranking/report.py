"""Summaries of the runs: the table, the aim checks, the plot and docs/RANKING.md."""
import math
from collections import defaultdict

import numpy as np

from bench.common.report import write_section
from bench.ranking import world as w
from bench.ranking.run import BUDGETS, HERDING, LABELS, METHODS, PAIRWISE, UPDOWN

METRICS = ("precision", "tau", "late_recall", "gini")
HEADERS = {"precision": "precision@10", "tau": "Kendall τ", "late_recall": "late top-10 recall",
           "gini": "exposure Gini"}


def summarise(results):
    """{(method, herding, budget): {metric: (mean, sd, n)}}; pairwise runs (herding None)
    are listed under every herding strength: their screen shows no counts, so the same
    runs stand for each."""
    groups = defaultdict(lambda: defaultdict(list))
    for r in results:
        t = r["task"]
        for h in (HERDING if t.herding is None else (t.herding,)):
            for m in METRICS + ("skip_share",):
                groups[(t.method, h, t.budget)][m].append(r[m])
    summary = {}
    for key, values in groups.items():
        summary[key] = {}
        for m, xs in values.items():
            xs = np.asarray(xs, dtype=float)
            xs = xs[~np.isnan(xs)]
            summary[key][m] = ((float(xs.mean()), float(xs.std(ddof=1)) if len(xs) > 1 else 0.0,
                                len(xs)) if len(xs) else (math.nan, math.nan, 0))
    return summary


def _cell(stat):
    mean, sd, _ = stat
    return "—" if math.isnan(mean) else f"{mean:.2f} ± {sd:.2f}"


def _budgets(summary):
    return sorted({b for (_, _, b) in summary})


def format_table(summary, n_seeds):
    """The full table in Markdown: every method, herding strength and budget."""
    lines = [f"Mean ± sd over {n_seeds} seeds. Herding acts on visible counts, so only on the "
             "up/down sorts; the pairwise rows are the same runs at every strength.", "",
             "| method | herding | votes | " + " | ".join(HEADERS[m] for m in METRICS) + " |",
             "|---|---:|---:|" + "---:|" * len(METRICS)]
    for method in METHODS:
        strengths = (HERDING[0],) if method in PAIRWISE else HERDING
        for h in strengths:
            for b in _budgets(summary):
                stats = summary.get((method, h, b))
                if stats is None:
                    continue
                herd = "n/a" if method in PAIRWISE else f"{h:g}"
                lines.append(f"| {LABELS[method]} | {herd} | {b:,} | "
                             + " | ".join(_cell(stats[m]) for m in METRICS) + " |")
    return "\n".join(lines)


def format_headline(summary, budgets=(2000, 4000)):
    """The short table: precision@10, τ and late recall at 2,000 and 4,000 votes, the up/down
    sorts at each herding strength."""
    present = [b for b in budgets if any(k[2] == b for k in summary)]
    cols = [(b, m) for b in present for m in ("precision", "tau", "late_recall")]
    lines = ["| method | herding | " + " | ".join(f"{HEADERS[m]} @ {b:,}" for b, m in cols) + " |",
             "|---|---:|" + "---:|" * len(cols)]
    for method in METHODS:
        for h in ((HERDING[0],) if method in PAIRWISE else HERDING):
            cells = [_cell(summary[(method, h, b)][m]) if (method, h, b) in summary else "—"
                     for b, m in cols]
            herd = "n/a" if method in PAIRWISE else f"{h:g}"
            lines.append(f"| {LABELS[method]} | {herd} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def _mean(summary, method, h, b, metric):
    stats = summary.get((method, h, b))
    return stats[metric][0] if stats else math.nan


def check_aims(summary):
    """The aims, each with its measured value and MET / MISSED."""
    def verdict(ok):
        return "MET   " if ok else "MISSED"

    lines = []
    p4 = _mean(summary, "adaptive", 0.0, 4000, "precision")
    t4 = _mean(summary, "adaptive", 0.0, 4000, "tau")
    p2 = _mean(summary, "adaptive", 0.0, 2000, "precision")
    if not math.isnan(p4):
        lines.append(f"{verdict(p4 >= 0.85)} adaptive pairwise precision@10 at 4,000 votes "
                     f"= {p4:.3f} (aim ≥ 0.85)")
        lines.append(f"{verdict(t4 >= 0.75)} adaptive pairwise Kendall τ at 4,000 votes "
                     f"= {t4:.3f} (aim ≥ 0.75)")
        ratios = {metric: min(_mean(summary, "adaptive", h, 4000, metric)
                              / _mean(summary, "net", h, 4000, metric) for h in HERDING)
                  for metric in ("precision", "tau")}
        lines.append(f"{verdict(ratios['precision'] >= 2)} adaptive ÷ net votes, precision@10 at "
                     f"4,000 votes = {ratios['precision']:.2f}× at worst over herding "
                     f"{', '.join(f'{h:g}' for h in HERDING)} (aim ≥ 2×)")
        lines.append(f"info   adaptive ÷ net votes, Kendall τ at 4,000 votes = "
                     f"{ratios['tau']:.2f}× at worst over the herding sweep")
        spread = [_mean(summary, "adaptive", h, 4000, "precision") for h in HERDING]
        move = max(spread) - min(spread)
        lines.append(f"{verdict(move <= 0.05)} adaptive precision@10 moves by {move:.3f} across the "
                     "herding sweep (aim ≤ 0.05; pairwise shows no counts, so nothing to herd on)")
    if not math.isnan(p2):
        lines.append(f"{verdict(p2 >= 0.75)} adaptive pairwise precision@10 at 2,000 votes "
                     f"= {p2:.3f} (aim ≥ 0.75)")
    return lines


STYLE = {
    "net": dict(color="#c0392b", marker="o"),
    "wilson": dict(color="#e67e22", marker="v"),
    "best": dict(color="#8e44ad", marker="s"),
    "random": dict(color="#7f8c8d", marker="^"),
    "adaptive": dict(color="#1f77b4", marker="D"),
}


def write_plot(summary, path):
    """precision@10 and τ against votes (no herding), and at 4,000 votes against herding."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    budgets = _budgets(summary)
    fig, axes = plt.subplots(2, 2, figsize=(11, 8.5))
    herd_mid = HERDING[0]
    for col, metric in enumerate(("precision", "tau")):
        ax = axes[0, col]
        for method in METHODS:
            pts = [(b, *summary[(method, herd_mid, b)][metric][:2]) for b in budgets
                   if (method, herd_mid, b) in summary]
            if pts:
                x, y, e = np.array(pts).T
                ax.errorbar(x, y, yerr=e, label=LABELS[method], capsize=3, **STYLE[method])
        ax.set_xscale("log")
        ax.set_xticks(budgets, [f"{b:,}" for b in budgets])
        ax.minorticks_off()
        ax.set_xlabel("votes in the jam")
        ax.set_ylabel(HEADERS[metric])
        ax.set_title(f"{HEADERS[metric]} vs votes (herding {herd_mid:g})")
        ax.grid(alpha=0.3)
        ax = axes[1, col]
        b = 4000 if 4000 in budgets else budgets[-1]
        for method in METHODS:
            pts = [(h, *summary[(method, h, b)][metric][:2]) for h in HERDING
                   if (method, h, b) in summary]
            if pts:
                x, y, e = np.array(pts).T
                ax.errorbar(x, y, yerr=e, label=LABELS[method], capsize=3, **STYLE[method])
        ax.set_xticks(HERDING)
        ax.set_xlabel("herding strength (logits per log(1 + |visible net|))")
        ax.set_ylabel(HEADERS[metric])
        ax.set_title(f"{HEADERS[metric]} at {b:,} votes vs herding")
        ax.grid(alpha=0.3)
    for ax in axes.flat:
        ax.set_ylim(bottom=min(0, ax.get_ylim()[0]), top=1.0)
    axes[0, 0].axhline(0.85, color="k", lw=0.8, ls=":")
    axes[0, 1].axhline(0.75, color="k", lw=0.8, ls=":")
    handles, labels = axes[0, 0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="lower center", ncol=3, frameon=False)
    fig.suptitle(f"Finding the true top {w.TOP} of {w.N_IDEAS} ideas (mean ± sd over seeds; "
                 "dotted: the aims)")
    fig.tight_layout(rect=(0, 0.06, 1, 0.97))
    fig.savefig(path, dpi=110)
    plt.close(fig)


def _m(summary, method, h, b, metric="precision"):
    return _mean(summary, method, h, b, metric)


def write_markdown(summary, n_seeds, elapsed, processes, path):
    """docs/RANKING.md: the world, the methods, the results and what they show."""
    budgets = _budgets(summary)
    b_hi = 4000 if 4000 in budgets else budgets[-1]
    b_lo = 2000 if 2000 in budgets else budgets[0]
    h0, hmax = HERDING[0], HERDING[-1]
    found = {m: _m(summary, m, h0, b_hi) * w.TOP for m in METHODS}
    aims = "\n".join(f"    {line}" for line in check_aims(summary))
    text = f"""# Ranking ideas: finding the best, not the earliest

Generated by `make bench-ranking` (`python -m bench.ranking`, {n_seeds} seeds per setting,
{elapsed:.0f} s on {processes} processes). The ranking code it drives is
`app/domain/ranking.py`; the simulation is in `bench/ranking/`. The section "At jam scale" is
written by `python -m bench.ranking.scale`, "A harder world" by `python -m bench.ranking.harder`.

**For operators and moderators.**

* **"Best"** is the lower end of a 90 % (one-sided) Wilson interval of an idea's up-share, with
  one virtual up- and one virtual down-vote: it rewards both the share and the amount of
  support. ▲18 ▼2 is never below ▲2 ▼0, ▲16 ▼1 is above ▲4 ▼0, one down-vote among many
  up-votes costs little, and an idea nobody has voted on yet sits above one that only has
  down-votes (the table "Best: the cases a person would judge"). It depends on the idea's
  own votes only, so a vote re-scores that idea and nothing else, and "best" can be merged
  across campaigns (the site dashboard's default).
* **One top list per campaign** (`app.domain.ideas.top_sort`): the campaign page's list and
  results, the dashboard, the wall and the one-page summary show the same order and name the
  sort; a pairwise-only campaign's top list is the pairwise ranking everywhere. With both
  modes, "best" is the top list and the pairwise ranking has its own page, named as such.
* **Pairwise at 46,000 ideas**: a pair is chosen from a few dozen ideas read through indexes
  (never the whole campaign); a refresh reads in pages, fits in a child process from 2,000
  ideas on, sums "chance to beat" on a grid in linear time, and writes only the ideas whose
  figures moved. Figures: "At jam scale".
* **First comparisons are spread**: a person meets an idea that is still being placed (shown
  fewer than 6 times) once; its next placement comparisons come from other people.
* **A harder world** (probit noise, 10 % random clickers, two disagreeing segments, arrivals,
  herding, skips; 40 seeds): adaptive pairs find 0.90 ± 0.01 of the top 10 at 4,000 votes
  and 0.85 at 2,000, herding moves that by 0.015; τ is 0.74 (aim 0.75, reached between 4,000
  and 8,000 votes), 1.97× net votes without herding (3–4× with), 90 % intervals hold the
  truth 86 % of the time without herding and 56–68 % with it ("A harder world").

**In short.** Sorting by net up-votes finds {found['net']:.1f} of the true top {w.TOP} ideas
at {b_hi:,} votes and shows {_m(summary, 'net', h0, b_hi, 'late_recall'):.0%} of the top ideas that
arrived in the second half of the jam: whatever came first and was shown most stays on top. Pairwise voting with adaptive pairs
finds {found['adaptive']:.1f} of {w.TOP} with the same number of votes, late ideas included,
and herding cannot touch it because the pairwise screen shows no counts. Among the up/down
sorts, the new "best" sort ({found['best']:.1f} of {w.TOP} without herding) is far better
than net votes and than the Wilson lower bound, but it still depends on what people happen
to look at, and herding on visible counts erodes it.

The aims, as measured in this run:

{aims}

![precision@10 and Kendall τ against the number of votes, and against herding](ranking.png)

## The world

* **Ideas.** {w.N_IDEAS} ideas with a true quality drawn from a standard normal. {w.N_INITIAL}
  are there when the jam opens; the other {w.N_IDEAS - w.N_INITIAL} arrive at uniformly random
  times during the first {w.ARRIVAL_WINDOW:.0%} of the jam. The jam's time runs from 0 to 1.
* **Participants** arrive uniformly over the jam, each with {w.VOTES_PER_PARTICIPANT} votes, until
  the jam's vote budget ({", ".join(f"{b:,}" for b in budgets)}) is spent. Each participant
  sees only the ideas that exist when they arrive.
* **Up/down voting.** A participant opens the list, sorted by the method being tested (ties:
  newest first, as the app's `id desc`), and votes on {w.VOTES_PER_PARTICIPANT} different ideas,
  looking at list position *r* with probability proportional to {w.ATTENTION_DECAY}<sup>r</sup>
  (the top ten positions get about 60 % of all votes, the top twenty 85 %). A vote is up with probability
  `sigmoid({w.UP_BIAS:g} + {w.DISCRIMINATION:g}·quality + herding·sign(net)·log(1 + |net|))`:
  people up-vote readily (an average idea gets ~73 % up-votes), better ideas more often, and —
  with **herding** {", ".join(f"{h:g}" for h in HERDING)} — more often still when the visible
  net count is high (at herding {hmax:g}, a visible +20 adds {hmax * np.log(21):.1f} logits).
* **Pairwise voting.** A participant answers {w.VOTES_PER_PARTICIPANT} pairs (never the same pair
  twice). The left idea wins with probability `sigmoid({w.DISCRIMINATION:g}·(quality_left −
  quality_right) + {w.LEFT_BIAS:g})` — the same noise as an up/down vote plus a small left-side
  bias — and the participant skips ("can't decide") with probability
  `{w.SKIP_MAX:g}·exp(−{w.SKIP_FALLOFF:g}·|quality difference|)`; a skip uses up one of the
  {w.VOTES_PER_PARTICIPANT} votes. The screen shows two ideas and no counts, so **herding has nothing
  to act on**: the pairwise runs take no herding input, and the same runs stand in every herding
  column. The fit is refreshed after every participant (warm-started), as a server would every
  few seconds.
* **Seeds.** Seed *s* fixes the ideas (qualities and arrival times) for every method and budget,
  so methods are compared on the same jams.

## The methods

| method | how the list is ordered |
|---|---|
| {LABELS['net']} | up − down, the current "top" sort |
| {LABELS['wilson']} | `wilson_lower_bound(up, down)`: the lower end of the 95 % Wilson interval of the up-share |
| {LABELS['best']} | `best_score(up, down)`: the lower end of a one-sided 90 % Wilson interval of the up-share, with one virtual up- and down-vote |
| {LABELS['random']} | pairs from `select_random_pair`; order by `chance_to_beat_random` of the Bradley–Terry fit |
| {LABELS['adaptive']} | pairs from `select_pair`; same fit and order |

## Metrics

* **precision@10** — the share of the shown top {w.TOP} that is in the true top {w.TOP}.
* **Kendall τ** — rank agreement of the whole shown order (all {w.N_IDEAS} ideas, ties broken as
  shown) with the true qualities: 1 is perfect, 0 is no better than chance.
* **late top-10 recall** — of the true top-{w.TOP} ideas that arrived in the second half of the
  jam, the share in the shown top {w.TOP} (jams where no top idea arrived late are left out).
* **exposure Gini** — how unequally attention was spread: how often each idea was voted on
  (up/down) or shown in a pair (pairwise); 0 is perfectly even. Late ideas have less time, so
  even random pairs are not at 0.

## Results

At {b_lo:,} and {b_hi:,} votes (mean ± sd over {n_seeds} seeds):

{format_headline(summary)}

<details><summary>Every method, herding strength and budget</summary>

{format_table(summary, n_seeds)}

</details>

## What it shows

* **Net votes lock in the early ideas.** With 85 % of the votes on the first 20 list
  positions, ideas that collect votes early stay on top, and a late idea starts at 0 below
  ideas that already have a positive count — it is almost never looked at again. More votes
  do not help (precision@10 {_m(summary, 'net', h0, budgets[0]):.2f} at {budgets[0]:,} votes,
  {_m(summary, 'net', h0, budgets[-1]):.2f} at {budgets[-1]:,}), and herding makes it worse
  ({_m(summary, 'net', hmax, b_hi):.2f} at {b_hi:,} votes with herding {hmax:g}).
* **The Wilson lower bound does not fix it**, though it is the textbook "best" sort
  (precision@10 {_m(summary, 'wilson', h0, b_hi):.2f} at {b_hi:,} votes, late top-10 recall
  {_m(summary, 'wilson', h0, b_hi, 'late_recall'):.2f}, and the worst τ of all): an idea without
  votes scores 0 and sinks below every idea with an up-vote, and the list's bottom is never
  read. It measures how *sure* we are of an idea, not how good it is.
* **"Best" (the Bayesian average) is the best up/down sort**: a new idea starts at the
  campaign's typical share, in the middle, and a few good votes lift it into view
  ({_m(summary, 'best', h0, b_hi):.2f} precision@10 at {b_hi:,} votes without herding). It is
  still at the mercy of position bias and herding ({_m(summary, 'best', hmax, b_hi):.2f} with
  herding {hmax:g}).
* **Pairwise voting escapes both traps.** Every idea gets shown by construction, and counts are
  never shown. Random pairs are the most even and give the best full-order τ at large budgets,
  but spend most answers on pairs whose order is already clear.
* **Adaptive pairs put the votes where the top is undecided**: precision@10
  {_m(summary, 'adaptive', h0, b_lo):.2f} at {b_lo:,} votes and {_m(summary, 'adaptive', h0, b_hi):.2f}
  at {b_hi:,} (random pairs: {_m(summary, 'random', h0, b_lo):.2f} and
  {_m(summary, 'random', h0, b_hi):.2f}), and late top ideas are found
  ({_m(summary, 'adaptive', h0, b_hi, 'late_recall'):.2f} recall at {b_hi:,} votes). The price is a
  less even exposure (higher Gini) and a slightly lower τ over the whole list than random pairs,
  because the bottom of the list gets fewer, exploratory comparisons.

### What limits it

* **Noise at the top-10 line.** The 10th and 11th best of 100 normal qualities are typically
  0.1–0.2 standard deviations apart; with this noise (one standard deviation of quality = one
  logit) a single answer about such a pair is right only ~53 % of the time, and telling them
  apart reliably takes hundreds of answers. Even an oracle that spent every vote on the right
  20 candidates would get a standard error of ~0.1 per idea at 4,000 votes, and with that
  precision@10 is about 0.92 (a rough ceiling); the remaining errors are near-ties at the
  line, which matter little to a jam.
* **Skips.** The closer a pair, the more often people can't decide, and a skip costs a vote:
  adaptive pairs are close by design, so they are skipped more often than random ones
  ({_m(summary, 'adaptive', h0, b_hi, 'skip_share'):.0%} of answers against
  {_m(summary, 'random', h0, b_hi, 'skip_share'):.0%} at {b_hi:,} votes).
* **Late arrivals.** An idea posted at 70 % of the jam has only 30 % of the votes left to be
  placed; the exposure floor (`min_appearances`) places it within a few votes, but a late idea
  near the line has less time to be settled.
* **Seeds.** With {n_seeds} seeds the mean precision@10 has a standard error of about
  ±{summary[('adaptive', h0, b_hi)]['precision'][1] / np.sqrt(n_seeds):.2f};
  `python -m bench.ranking --seeds 48` (about three minutes on two cores) narrows it to ±0.01.

## The ranking core (`app/domain/ranking.py`)

* **Bradley–Terry with a weak prior.** `P(i beats j) = sigmoid(s_i − s_j)`; every idea also
  carries one virtual draw against an average idea (strength 0). This keeps every estimate
  finite (an idea that won everything, one that lost everything), puts an idea without
  comparisons in the middle with a large uncertainty, and keeps separate groups of ideas on one
  scale. The fit is damped Newton on the (concave) log posterior, warm-started from the last
  fit: comparisons are kept counted per pair of ideas, a refit after a few new votes takes two
  or three steps — a dense solve up to 400 ideas, conjugate gradients on the sparse comparison
  graph beyond (5,000 ideas and 50,000 comparisons: ~0.15 s from scratch, ~0.07 s to
  convergence after 50 new votes, ~0.02 s for two warm steps; a pair is chosen in < 1 ms).
* **Uncertainty** is the Laplace approximation: the standard error from the observed Fisher
  information, relative to the average idea (the common shift of all strengths, which no
  comparison observes and no ranking depends on, is left out).
* **Chance to beat a random idea** is the number participants see: for each idea, the average
  over the other ideas of `P(it wins)`, integrating both ideas' uncertainty with the probit
  approximation `sigmoid(d / sqrt(1 + π/8 · (σ_i² + σ_j²)))`. An idea we know little about is
  pulled towards 50 %. Lists are ordered by it, so the order and the number always agree.
* **Adaptive pair selection** (`choose_pair`; `select_pair` on an in-memory state): it reads
  at most a few dozen ideas — the 40 leaders by chance, the 16 least-shown, 8 neighbours of a
  strength, 8 at random ids — from a source: the benchmark's state, or the server's kept fit
  through indexes. 35 % of the time a random pair (so the whole list stays sound);
  otherwise, an idea shown fewer than 6 times is paired with a neighbour close to it in a
  posterior draw (placing new ideas within a few votes), **but never twice with the same
  person**: an idea still being placed that a person has already seen is left to the next
  people, so its first comparisons come from several people and one random clicker cannot
  place it alone; otherwise a Thompson-style draw over the 40 leaders decides what is still
  open near the top: half the time the top-10 line (LUCB style), half the time the pair among
  the draw's top 15 with the highest `P(mis-ordered) × share of its uncertainty one answer
  removes`. Hidden, merged and the participant's own ideas are excluded, as are pairs they
  already answered; left and right are shuffled.
* **"Best"** is a lower confidence bound (Wilson, one-sided 90 %, one virtual up- and
  down-vote). The earlier Bayesian average shrunk every idea towards the campaign's up-share
  with a prior worth 4 votes: in a campaign at 87 % up-votes one down-vote cost more than 12
  up-votes, so ▲4 ▼0 ranked above ▲16 ▼1, and every idea had to be re-scored whenever the
  campaign's share drifted (an UPDATE of the whole campaign inside a vote). The bound needs
  nothing but the idea's own counts; the virtual pair of votes keeps a new idea (0.16) above
  ideas that only have down-votes, where the plain Wilson bound would bury it at 0.
* **Trending** keeps the app's formula (`log Σ weight·e^(t/6 h)`, the same epoch; the timescale
  is a parameter, as `TRENDING_TIMESCALE_HOURS` is in the app's config), so a score
  from `trending_score` equals the one `app.domain.ideas` keeps in the database.

## For participants: what each sort means

The campaign page shows one sentence under its sort menu; these are the same sentences
(`app/web/labels.py`). Which sorts a campaign offers follows its voting mode: up/down
campaigns default to **Best**, pairwise-only campaigns to **Pairwise ranking** (they
have no Best or Most votes, as nobody votes up or down there).

{{participant_sorts}}

## Pairwise voting in the app

* **A campaign chooses** up/down votes, pairwise comparisons, or both (the default for new
  campaigns), in its settings.
* **Serving.** `app.domain.comparisons.serve_pair` calls `choose_pair` — the same code as the
  benchmark — on the ideas' kept fit: every read is a short walk of an index on (campaign,
  chance / times shown / strength / id), so a pair costs the same at 100 ideas and at 46,000
  (a test checks every such read is bounded). It excludes the participant's own ideas,
  declined and duplicate (merged) ideas, and every pair this person was ever served. The pair
  is stored when served; asking again returns it until it is answered or goes stale, so
  reloading a page does not spend pairs.
* **Answers are refused cleanly**, changing nothing: a pair never served to this person
  (404 `pair_not_served`), a second answer (409 `already_answered`; the write is a
  compare-and-set, so two simultaneous answers store one), a stale pair — a newer one was
  served, it is older than 30 minutes, or one of its ideas left the ranking (409
  `stale_pair`) — and more than 30 answers a minute (429 `rate_limited`). One person can
  answer each pair of ideas once, ever (a unique constraint), so nobody can flood a pair.
* **Refits.** Each pick (not a skip) marks the campaign; every 2 seconds each server process
  refits the marked campaigns from all answers (`refresh_ranking`): it reads the ideas and
  answers in pages of 5,000 (letting the event loop serve others in between), holds no
  transaction while fitting, fits in a child process (`app.offload`) from 2,000 ideas on
  (`fit_ranking`: warm-started Newton with inexact conjugate-gradient steps, then the chances
  on a grid in linear time — under 1e-4 from the all-pairs sum), writes only the ideas whose
  chance moved by more than 1e-4 (or strength by 1e-3), and puts the top 20 into the campaign's live stream as
  `ranking.updated`: open leaderboards redraw, and the **Pairwise ranking** sort of the idea
  list follows. Answers that arrive during a refresh ask for the next one.
* **Counts stay hidden** on the compare page (and in the API's pair), so each choice is the
  participant's own. The page says how their answers fare: how many pairs they compared or
  skipped, how many of their picks the current ranking agrees with, and how many ideas they
  picked are in the top 10.
* **Keyboard and phone.** ← picks the left idea, → the right one, S skips (not while typing a
  skip reason); on a narrow screen the two ideas stack, each with its own button.
"""
    text = text.replace("{participant_sorts}", _participant_sorts())
    text = text.rstrip("\n") + "\n\n" + best_cases_section() + "\n" + ONE_TOP_SECTION
    kept = _kept_sections(path)
    with open(path, "w", encoding="utf-8") as out:
        out.write(text)
    for section in kept:  # written by other benchmarks (bench.ranking.scale)
        write_section(path, section)


#: Sections of docs/RANKING.md that other benchmarks write; a run of this one keeps them.
KEPT_SECTIONS = ("## At jam scale", "## A harder world")

#: (better, worse) up/down counts a person would judge, and why: the cases the tests hold
#: "best" to (tests/domain/test_ranking.py), shown in the report with their scores.
from tests.domain.test_ranking import BEST_CASES  # noqa: E402


def best_cases_section():
    """The "best" score of each case, now and under the earlier formula (the up-share shrunk
    towards a campaign share of 0.87 by 4 virtual votes, as on the demo)."""
    from app.domain.ranking import best_score

    def earlier(up, down):
        return (up + 4 * 0.87) / (up + down + 4)

    lines = ['## "Best": the cases a person would judge', "",
             "Each row: two ideas a person would order without hesitation, their \"best\" scores, and",
             "whether the sort agrees (tested in `tests/domain/test_ranking.py`). The last column is the",
             "earlier formula in a campaign at 87 % up-votes (the demo's), for contrast.", "",
             "| Should rank higher | score | Should rank lower | score | Why | Agrees | Earlier formula agrees |",
             "|---|---:|---|---:|---|---|---|"]
    for (bu, bd), (wu, wd), why in BEST_CASES:
        better, worse = best_score(bu, bd), best_score(wu, wd)
        lines.append(f"| ▲{bu} ▼{bd} | {better:.3f} | ▲{wu} ▼{wd} | {worse:.3f} | {why} "
                     f"| {'yes' if better > worse else 'NO'} | {'yes' if earlier(bu, bd) > earlier(wu, wd) else 'no'} |")
    return "\n".join(lines) + "\n"


ONE_TOP_SECTION = """## One top list per campaign

`app.domain.ideas.top_sort(campaign)` decides a campaign's top list, and every place that shows
one asks it: the campaign page's idea list (its default sort) and, once the campaign is
closed, its results; the dashboard's leaderboard; the wall (`dashboards.wall_sort`); the
one-page summary. Each names the sort beside the list. The rule:

* **Pairwise only** — the pairwise ranking (chance to beat a random other idea), everywhere.
* **Up/down, or both modes** — "best". With both modes, the pairwise ranking stays one click
  away (the "Pairwise ranking" sort, and its own leaderboard page, which says it is the
  pairwise ranking): "best" needs no extra step from anyone, and a campaign where few people
  compared pairs would otherwise show a near-random top list.
* **Site-wide** (dashboard and wall across campaigns) — "best" too: it depends on an idea's
  own votes only, so scores from different campaigns compare. The pairwise chance is relative
  to its campaign and is not offered site-wide.

`tests/domain/test_dashboards.py` checks, for each voting mode, that the campaign page, the
dashboard (and the summary, which renders it), and the wall list the same ideas in the same
order by the same sort.
"""


def _kept_sections(path):
    import os
    import re

    if not os.path.exists(path):
        return []
    text = open(path, encoding="utf-8").read()
    kept = []
    for heading in KEPT_SECTIONS:
        found = re.search(r"^" + re.escape(heading) + r"\n.*?(?=^## |\Z)", text, re.S | re.M)
        if found:
            kept.append(found.group(0))
    return kept


def _participant_sorts():
    """The app's own sort names and one-sentence definitions, in English."""
    from app.web.labels import SORT_DESCRIPTIONS, SORT_LABELS

    return "\n".join(f"* **{SORT_LABELS[sort]}** — {SORT_DESCRIPTIONS[sort]}"
                     for sort in SORT_LABELS)
