"""``python -m bench.ranking``: simulate, print the table, write docs/RANKING.md and the plot."""
import os

# One BLAS thread per process: the fits solve small systems, where threads only contend.
for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import argparse  # noqa: E402
import multiprocessing  # noqa: E402
import time  # noqa: E402

from bench.ranking import report, run  # noqa: E402


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m bench.ranking", description=__doc__)
    parser.add_argument("--seeds", type=int, default=10, help="jams per setting (default 10)")
    parser.add_argument("--processes", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--quick", action="store_true", help="3 seeds, a smoke run")
    parser.add_argument("--no-write", action="store_true", help="print only; keep docs/ as is")
    args = parser.parse_args(argv)
    seeds = range(3 if args.quick else args.seeds)
    tasks = run.tasks_for(seeds)
    started = time.perf_counter()
    ctx = multiprocessing.get_context("fork")
    with ctx.Pool(args.processes) as pool:
        results = list(pool.imap_unordered(run.run_task, tasks, chunksize=1))
    elapsed = time.perf_counter() - started
    summary = report.summarise(results)
    print(report.format_table(summary, len(seeds)))
    print()
    for line in report.check_aims(summary):
        print(line)
    cpu = sum(r["seconds"] for r in results)
    print(f"\n{len(results)} simulated jams, {len(seeds)} seeds, {elapsed:.1f} s "
          f"on {args.processes} processes ({cpu:.1f} s of simulation)")
    if not args.no_write:
        report.write_plot(summary, "docs/ranking.png")
        report.write_markdown(summary, len(seeds), elapsed, args.processes, "docs/RANKING.md")
        print("wrote docs/RANKING.md and docs/ranking.png")


if __name__ == "__main__":
    main()
