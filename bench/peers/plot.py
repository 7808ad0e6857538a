"""Draws the check latency of Easel and Cedar by dataset size from the benchmark's results.

Reads every results/peers-<size>.json beside this file (written by
`cargo run --release --manifest-path bench/peers/Cargo.toml -- --size <size>`) and writes
results/latency.png: p50 as a solid line, p99 as a dashed line of the same colour, on a
log scale. Run: `python3 bench/peers/plot.py` (needs matplotlib).
"""

import json
import sys
from pathlib import Path

import matplotlib

# No display is needed: the figure only goes to a file.
matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402  (the backend must be chosen first)

RESULTS = Path(__file__).resolve().parent / "results"
OUTPUT = RESULTS / "latency.png"

# The sizes in increasing order; any other size found is placed after them.
SIZE_ORDER = ["tiny", "small", "medium", "large"]

ENGINES = [("easel", "Easel", "tab:blue"), ("cedar", "Cedar (cedar-policy)", "tab:orange")]


def size_rank(size):
    return SIZE_ORDER.index(size) if size in SIZE_ORDER else len(SIZE_ORDER)


def load():
    runs = []
    for path in sorted(RESULTS.glob("peers-*.json")):
        with path.open() as f:
            runs.append(json.load(f))
    runs.sort(key=lambda r: (size_rank(r["size"]), r["size"]))
    return runs


def label(run):
    return f"{run['size']}\n{run['boards']:,} boards\n{run['users']:,} users"


def main():
    runs = load()
    if not runs:
        sys.exit(f"no results/peers-*.json in {RESULTS}: run the benchmark first")
    xs = list(range(len(runs)))
    fig, ax = plt.subplots(figsize=(8, 5))
    for key, name, colour in ENGINES:
        p50 = [r[key]["p50_us"] for r in runs]
        p99 = [r[key]["p99_us"] for r in runs]
        ax.plot(xs, p50, marker="o", color=colour, label=f"{name} p50")
        ax.plot(xs, p99, marker="o", color=colour, linestyle="--", label=f"{name} p99")
    ax.set_yscale("log")
    ax.set_xticks(xs)
    ax.set_xticklabels([label(r) for r in runs])
    ax.set_xlabel("dataset size")
    ax.set_ylabel("latency of one check (µs, log scale)")
    ax.set_title("Board check latency, one thread: Easel and Cedar on the same questions")
    ax.grid(True, which="both", axis="y", alpha=0.3)
    ax.legend()
    fig.tight_layout()
    fig.savefig(OUTPUT, dpi=150)
    print(f"wrote {OUTPUT}")


if __name__ == "__main__":
    main()
