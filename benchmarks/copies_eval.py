"""How well the index finds copies of one story, for a few shingle sizes, thresholds and bands.

    python benchmarks/copies_eval.py ARCHIVE [--config k:T:BxR ...] [--json]

Every story of ARCHIVE is parsed, and the truth is found by brute force on the parsed bodies:

- *must fold*: pairs whose bodies are identical once whitespace is normalised;
- *may fold*: pairs whose bodies' word sets (the words `engine.copies` shingles) have a
  Jaccard similarity of at least 0.5, found exactly for every story of an archive of up to
  `--may-sample` stories, and for a seeded sample of that many stories in a larger one.

Each configuration then clusters the stories as the index does (`engine.copies`: shingles of
k words, MinHash with B bands of R rows, candidates sharing a band, an exact shingle Jaccard
>= T to confirm, connected components) and is scored:

- recall on the must-fold pairs (target >= 0.99) and, for information, on the may-fold ones;
- precision: the share of same-cluster pairs whose word sets have Jaccard >= 0.5 (>= 0.98);
- false folds: same-cluster pairs below that, with a few examples;
- template folds: same-cluster pairs of earnings-style templates (`Shr 22 cts vs 18 cts`, or
  the generator's `... reported a third-quarter profit of ...`) with different bodies, and
  among them those whose headlines name another company, which must never fold (the others
  are one company's report and its correction).

Nothing is written; the archive is only read.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from termnews.engine.copies import sketch as sk  # noqa: E402
from termnews.engine.copies.update import _candidates  # noqa: E402

#: (k, T, bands, rows) compared by default; the engine's own choice is among them.
DEFAULT_CONFIGS = (
    (3, 0.5, 20, 3, 25),
    (5, 0.3, 20, 3, 25),
    (5, 0.5, 20, 3, 0),
    (5, 0.5, 20, 3, 25),
    (5, 0.7, 20, 3, 25),
    (5, 0.8, 20, 3, 25),
    (7, 0.5, 20, 3, 25),
    (9, 0.5, 20, 3, 25),
    (5, 0.5, 16, 4, 25),
    (5, 0.5, 32, 2, 25),
    (5, 0.5, 10, 3, 25),
)
MAY_FOLD = 0.5
#: An earnings-style template: its first words are a figure label (`Shr`, `Qtr div`, `Oper net`).
TEMPLATE = re.compile(
    r"^\W*(oper\s+)?(shr|qtr|net|revs|div|qtly|dividend)\b"
    r"|^.{0,80}? reported a \w+-quarter profit of",
    re.IGNORECASE,
)


#: Words a headline says before the company: corrections and repeats of one report.
REPEAT_MARK = re.compile(r"^\W*(corrected|correction|repeat|rpt|update \d*)\W*", re.IGNORECASE)


def company(story: Story) -> str:
    """A crude company key: who the body says reported (the generator's templates), else the
    headline's first two words before any `<TICKER>`."""
    reported = re.match(r"^(.{1,60}?) reported a ", " ".join(story.body.split()))
    if reported:
        return reported.group(1).upper()
    words = REPEAT_MARK.sub("", story.headline).split("<")[0].upper().split()
    return " ".join(words[:2])


@dataclass
class Story:
    rel: str
    headline: str
    body: str


def load(archive: Path) -> list[Story]:
    from termnews.archive import resolve_in, scan
    from termnews.parsing import parse_file

    stories = []
    for rel, _item in sorted(scan(archive).items()):
        try:
            article = parse_file(resolve_in(archive, rel))
        except Exception:
            continue
        stories.append(Story(rel, article.headline or "", article.body or ""))
    return stories


# -- the truth -------------------------------------------------------------------------------


def identical_groups(stories: list[Story]) -> list[list[int]]:
    """Stories whose bodies are equal after whitespace normalisation (empty bodies apart)."""
    groups: dict[str, list[int]] = defaultdict(list)
    for i, story in enumerate(stories):
        text = " ".join(story.body.split())
        if text:
            groups[text].append(i)
    return [g for g in groups.values() if len(g) > 1]


def word_jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    if not a or not b:
        return 0.0
    common = len(a & b)
    return common / (len(a) + len(b) - common)


def similar_pairs(
    sets: list[frozenset[str]], threshold: float, queries: np.ndarray
) -> set[tuple[int, int]]:
    """Every pair (q, j), q in `queries`, whose word sets have Jaccard >= threshold, exactly.

    The intersections of a block of query stories with every story are one sparse-by-dense
    product (scipy, which datasketch already brings), so the whole archive can be a query
    set for a few thousand stories and a sample of it for more.
    """
    from scipy.sparse import csr_matrix

    vocabulary: dict[str, int] = {}
    rows, cols = [], []
    for i, words in enumerate(sets):
        for word in words:
            rows.append(i)
            cols.append(vocabulary.setdefault(word, len(vocabulary)))
    shape = (len(sets), max(1, len(vocabulary)))
    matrix = csr_matrix((np.ones(len(rows), np.float32), (rows, cols)), shape=shape)
    sizes = np.array([len(s) for s in sets], dtype=np.float32)
    found: set[tuple[int, int]] = set()
    for start in range(0, queries.size, 256):
        block = queries[start : start + 256]
        common = matrix @ matrix[block].T.toarray()
        union = sizes[:, None] + sizes[block][None, :] - common
        with np.errstate(divide="ignore", invalid="ignore"):
            similar = (common / union >= threshold) & (union > 0)
        for j, q in zip(*np.nonzero(similar), strict=True):
            if j != block[q]:
                found.add((min(int(j), int(block[q])), max(int(j), int(block[q]))))
    return found


# -- one configuration -----------------------------------------------------------------------


def cluster(
    shingle_sets: list[np.ndarray], threshold: float, bands: int, rows: int, least: int
) -> tuple[np.ndarray, dict[str, float]]:
    """A cluster label per story, as the index computes them, and what it cost."""
    started = time.perf_counter()
    fingerprints = np.array(
        [sk.fingerprint(s) if s.size else 0 for s in shingle_sets], dtype=np.uint64
    )
    node_fp, first = np.unique(fingerprints, return_index=True)
    keep = node_fp != 0
    node_fp, first = node_fp[keep], first[keep]
    keys = np.zeros((node_fp.size, bands), dtype=np.uint32)
    for n, i in enumerate(first.tolist()):
        keys[n] = sk.band_keys(sk.signature(shingle_sets[i], bands * rows), bands)
    signed = time.perf_counter()
    pairs = _candidates(keys, np.ones(node_fp.size, dtype=bool))
    parent = list(range(node_fp.size))

    def root(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    confirmed = 0
    for a, b in pairs.tolist():
        if sk.are_copies(shingle_sets[first[a]], shingle_sets[first[b]], threshold, least):
            confirmed += 1
            ra, rb = root(a), root(b)
            if ra != rb:
                parent[max(ra, rb)] = min(ra, rb)
    labels = -1 - np.arange(len(shingle_sets), dtype=np.int64)  # singletons by default
    has = fingerprints != 0
    nodes = np.searchsorted(node_fp, fingerprints[has])
    labels[has] = [root(n) for n in nodes.tolist()]
    done = time.perf_counter()
    cost = {
        "signature_ms_per_story": round((signed - started) * 1000 / max(1, len(first)), 3),
        "match_s": round(done - signed, 2),
        "candidates": len(pairs),
        "confirmed": confirmed,
    }
    return labels, cost


def same_cluster_pairs(labels: np.ndarray) -> list[tuple[int, int]]:
    groups: dict[int, list[int]] = defaultdict(list)
    for i, label in enumerate(labels.tolist()):
        groups[label].append(i)
    pairs = []
    for members in groups.values():
        pairs.extend((a, b) for n, a in enumerate(members) for b in members[n + 1 :])
    return pairs


def score(
    stories: list[Story],
    labels: np.ndarray,
    must: list[list[int]],
    may: set[tuple[int, int]],
    sets: list[frozenset[str]],
) -> dict[str, Any]:
    must_total = sum(len(g) * (len(g) - 1) // 2 for g in must)
    must_folded = sum(
        sum(c * (c - 1) // 2 for c in Counter(labels[g].tolist()).values()) for g in must
    )
    may_folded = sum(labels[a] == labels[b] for a, b in may)
    plain = [
        (a, b)
        for a, b in may
        if not (TEMPLATE.match(stories[a].body) or TEMPLATE.match(stories[b].body))
    ]
    plain_folded = sum(labels[a] == labels[b] for a, b in plain)
    pairs = same_cluster_pairs(labels)
    false = [(a, b) for a, b in pairs if word_jaccard(sets[a], sets[b]) < MAY_FOLD]
    templates = [
        (a, b)
        for a, b in pairs
        if TEMPLATE.match(stories[a].body)
        and TEMPLATE.match(stories[b].body)
        and " ".join(stories[a].body.split()) != " ".join(stories[b].body.split())
    ]
    other_company = [(a, b) for a, b in templates if company(stories[a]) != company(stories[b])]
    clustered = Counter(labels.tolist())
    return {
        "recall_must": round(must_folded / must_total, 4) if must_total else None,
        "must_pairs": must_total,
        "recall_may": round(may_folded / len(may), 4) if may else None,
        "may_pairs": len(may),
        "recall_may_no_templates": round(plain_folded / len(plain), 4) if plain else None,
        "may_pairs_no_templates": len(plain),
        "precision": round(1 - len(false) / len(pairs), 4) if pairs else None,
        "same_cluster_pairs": len(pairs),
        "false_folds": len(false),
        "template_folds": len(templates),
        "template_folds_other_company": len(other_company),
        "clusters_of_2plus": sum(1 for c in clustered.values() if c > 1),
        "stories_in_clusters": sum(c for c in clustered.values() if c > 1),
        "false_examples": [
            f"{stories[a].headline[:50]!r} ~ {stories[b].headline[:50]!r} "
            f"(words J={word_jaccard(sets[a], sets[b]):.2f})"
            for a, b in false[:3]
        ],
    }


def parse_config(text: str) -> tuple[int, float, int, int, int]:
    k, t, layout, *least = text.split(":")
    bands, rows = layout.lower().split("x")
    return int(k), float(t), int(bands), int(rows), int(least[0]) if least else sk.MIN_SHINGLES


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("archive", type=Path)
    parser.add_argument(
        "--config",
        action="append",
        type=parse_config,
        help="k:T:BxR[:M], e.g. 5:0.5:20x3:25 (M: fewest shingles a body needs to be a "
        "copy of a body that is not identical)",
    )
    parser.add_argument("--json", action="store_true", help="print only the JSON object")
    parser.add_argument(
        "--may-sample",
        type=int,
        default=5000,
        help="above this many stories, may-fold pairs are found for a seeded sample of this "
        "many stories (against all), and their recall is an estimate (5000)",
    )
    args = parser.parse_args(argv)
    if not args.archive.is_dir():
        parser.error(f"{args.archive} is not a folder")
    configs = args.config or list(DEFAULT_CONFIGS)

    started = time.perf_counter()
    stories = load(args.archive)
    sets = [frozenset(sk.words(s.body)) for s in stories]
    must = identical_groups(stories)
    queries = np.arange(len(stories))
    if len(stories) > args.may_sample:  # a seeded sample: recall (may) is then estimated
        queries = np.sort(np.random.default_rng(1).choice(queries, args.may_sample, False))
    may = similar_pairs(sets, MAY_FOLD, queries)
    report: dict[str, Any] = {
        "archive": str(args.archive),
        "stories": len(stories),
        "with_body": sum(1 for s in stories if s.body.strip()),
        "truth_s": round(time.perf_counter() - started, 1),
        "may_fold_queries": int(queries.size),
        "configs": [],
    }
    shingled: dict[int, tuple[list[np.ndarray], float]] = {}
    for k, threshold, bands, rows, least in configs:
        if k not in shingled:
            t0 = time.perf_counter()
            sets_k = [sk.shingles(s.body, k) for s in stories]
            shingled[k] = (sets_k, (time.perf_counter() - t0) * 1000 / max(1, len(stories)))
        shingle_sets, shingle_ms = shingled[k]
        labels, cost = cluster(shingle_sets, threshold, bands, rows, least)
        row = {"k": k, "T": threshold, "bands": f"{bands}x{rows}", "M": least}
        row["shingle_ms_per_story"] = round(shingle_ms, 3)
        row |= cost | score(stories, labels, must, may, sets)
        report["configs"].append(row)
    if not args.json:
        print(table(report), file=sys.stderr)
    print(json.dumps(report))
    return 0


def table(report: dict[str, Any]) -> str:
    lines = [
        f"{report['archive']}: {report['stories']} stories ({report['with_body']} with a "
        f"body); must-fold pairs {report['configs'][0]['must_pairs'] if report['configs'] else 0}"
        f", may-fold pairs {report['configs'][0]['may_pairs'] if report['configs'] else 0}",
        "",
        "| k | T | M | bands | recall (must) | recall (may) | recall (may, no templates) "
        "| precision | false folds "
        "| template folds (other company) | clusters | in clusters | candidates | sign ms/story |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for row in report["configs"]:
        lines.append(
            f"| {row['k']} | {row['T']} | {row['M']} | {row['bands']} | {row['recall_must']} "
            f"| {row['recall_may']} | {row['recall_may_no_templates']} "
            f"| {row['precision']} | {row['false_folds']} "
            f"| {row['template_folds']} ({row['template_folds_other_company']}) "
            f"| {row['clusters_of_2plus']} "
            f"| {row['stories_in_clusters']} | {row['candidates']} "
            f"| {row['shingle_ms_per_story'] + row['signature_ms_per_story']:.2f} |"
        )
    for row in report["configs"]:
        for example in row["false_examples"]:
            lines.append(f"  k={row['k']} T={row['T']} M={row['M']} {row['bands']}: {example}")
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
