"""The benchmark corpus generator: benchmarks compare runs, so the corpus must not drift."""

from __future__ import annotations

import re
from pathlib import Path
from types import ModuleType

DATE_LINE = re.compile(
    r"^(\w+\.? \d{1,2}(st|nd|rd|th)?,? \d{4}|\d{4}-\d\d-\d\d|\d{1,2} \w+ \d{4})\s"
)


def _text(path: Path) -> str:
    data = path.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252")
    return text.replace("\r\n", "\n")


def test_same_seed_gives_identical_files(gen: ModuleType, tmp_path: Path) -> None:
    first = gen.generate(20, tmp_path / "a", seed=42)
    gen._POOL_CACHE.clear()  # rebuild the sentence pools too, not just reuse them
    second = gen.generate(20, tmp_path / "b", seed=42)
    other = gen.generate(20, tmp_path / "c", seed=43)
    assert [p.relative_to(tmp_path / "a") for p in first] == [
        p.relative_to(tmp_path / "b") for p in second
    ]
    assert [p.read_bytes() for p in first] == [p.read_bytes() for p in second]
    assert [p.read_bytes() for p in first] != [p.read_bytes() for p in other]


def test_layout_follows_the_wire_format(gen: ModuleType, tmp_path: Path) -> None:
    paths = gen.generate(40, tmp_path)
    assert paths[0] == tmp_path / "0000" / "000000.txt"
    texts = [_text(p) for p in paths]
    dated = sum(bool(DATE_LINE.match(t)) for t in texts)
    bylined = sum(any(p.startswith("By ") for p in t.split("\n\n")[:4]) for t in texts)
    assert dated >= 0.8 * len(texts)
    assert bylined >= 0.75 * len(texts)


def test_word_count_roughly_as_asked(gen: ModuleType, tmp_path: Path) -> None:
    for asked in (200, 600):
        counts = [
            len(_text(p).split()) for p in gen.generate(40, tmp_path / str(asked), words=asked)
        ]
        mean = sum(counts) / len(counts)
        assert 0.85 * asked <= mean <= 1.15 * asked
        assert min(counts) >= asked * 0.4 and max(counts) <= asked * 1.7


def test_query_phrases_occur_in_the_sentence_pool(gen: ModuleType) -> None:
    pool = " ".join(gen.sentence_pool(42))
    assert all(phrase in pool for phrase in gen.QUERY_VOCAB["phrases"])
    assert len(gen.QUERY_VOCAB["terms"]) == len(gen.QUERY_VOCAB["prefixes"]) == 20
