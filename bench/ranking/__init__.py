"""Ranking benchmark: which way of voting finds the best ideas, not the earliest.

A simulated jam (``world``) is voted on by simulated participants (``simulate``) through
the real ranking code in ``app.domain.ranking``; ``metrics`` scores the final order against
the ground truth and ``report`` writes docs/RANKING.md and docs/ranking.png.
Run it with ``python -m bench.ranking`` (``make bench-ranking``).
"""
