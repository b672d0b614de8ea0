"""Query sets drawn from the index being measured, so every archive is timed on its own words.

A benchmark that searches for the generator's vocabulary on a real archive times the no-hit
path. Here every query type is drawn, after the build, from the index itself:

- `term`, `sorted_newest`, `snippets20`: body words at high, middle and low document
  frequency (ranks in the top 2%, 10-30% and the bottom half of the alphabetic body terms seen
  in at least two stories), as typed: the commonest spelling a sampled story uses;
- `and2`: two content words of one sampled story;
- `phrase`: two- and three-word runs of a sampled story's body, as written;
- `field`: `by:"..."` and `in:"..."` with the author and dateline values stories really store;
- `date_range`: `date:[a to b]` between two dates of the archive's own date distribution;
- `typeahead`: a word then the first 3-5 letters of another, and bare prefixes;
- `nohit`: real words with one letter dropped, doubled, swapped or replaced (never the first,
  which spelling suggestions keep), each checked to find nothing as typed;
- `state`: queries of the term, and2, phrase, field and date_range sets in turn, each with a
  reading-state filter added (`STATE_FILTERS` in turn); `without_state_filter` gives back the
  query it was made from, which the benchmark times alongside to report what the filter adds.

Nothing depends on document numbers, which differ between two builds of one archive (worker
processes take batches in whatever order they finish): stories are sampled by their path,
in path order, and terms come from the merged term list. So one seed and one archive always
give the same set.
"""

from __future__ import annotations

import itertools
import random
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

DEFAULT_SEED = 1202
#: Distinct queries per type; a benchmark run cycles through them.
PER_TYPE = 20
#: Stories whose stored text the words, pairs and phrases are drawn from.
SAMPLE_STORIES = 300
QUERY_TYPES = (
    "term",
    "and2",
    "phrase",
    "field",
    "date_range",
    "sorted_newest",
    "typeahead",
    "snippets20",
    "nohit",
    "state",
)
#: The tag the state benchmark puts on some stories.
BENCH_TAG = "bench-tag"
#: Added in turn to the `state` queries.
STATE_FILTERS = ("is:unread", "is:starred", f"tag:{BENCH_TAG}", "NOT is:read")
#: The query types a `state` query is made from, in turn.
STATE_BASES = ("term", "and2", "phrase", "field", "date_range")
#: Term-frequency levels as (first, last) fractions of the terms ranked by document frequency.
LEVELS = {"high": (0.0, 0.02), "mid": (0.10, 0.30), "low": (0.50, 1.0)}
_LETTERS = "abcdefghijklmnopqrstuvwxyz"


@dataclass
class QuerySet:
    """The queries of each type, and how they were drawn (written into the benchmark's JSON)."""

    queries: dict[str, list[str]]
    details: dict[str, Any] = field(default_factory=dict)
    missing: list[str] = field(default_factory=list)
    """One sentence per query type that could not be drawn from this index, and why."""

    def to_json(self) -> dict[str, Any]:
        return {"queries": self.queries, "query_details": self.details, "missing": self.missing}


@dataclass(frozen=True)
class _Token:
    text: str
    start: int
    end: int


@dataclass
class _Story:
    path: str
    body: str
    tokens: list[_Token]
    authors: list[str]
    dateline: str | None


class _Drawer:
    """Reads the index once, then draws each query type from what it read."""

    def __init__(self, reader: Any, seed: int, sample: int) -> None:
        from whoosh.analysis import STOP_WORDS

        from termnews.engine.schema import AUTHOR_SEPARATOR, name_analyzer, text_analyzer

        self.reader = reader
        self.seed = seed
        self.stop_words = frozenset(STOP_WORDS)
        self._names = name_analyzer()
        self._stems = text_analyzer()
        self._separator = AUTHOR_SEPARATOR
        self.docnum_of = _live_paths(reader)
        self.paths = sorted(self.docnum_of)
        rng = self.rng("sample")
        chosen = sorted(rng.sample(self.paths, min(sample, len(self.paths))))
        self.stories = [self._story(path) for path in chosen]
        self.frequencies = _body_frequencies(reader) if self.paths else {}
        self.surfaces = self._surfaces()

    def rng(self, purpose: str) -> random.Random:
        """One generator per query type, so changing one type's drawing leaves the others."""
        return random.Random(f"{self.seed}:{purpose}")

    def stem(self, word: str) -> str | None:
        stems = [t.text for t in self._stems(word)]
        return stems[0] if len(stems) == 1 else None

    def _story(self, path: str) -> _Story:
        stored = self.reader.stored_fields(self.docnum_of[path])
        body = stored.get("body") or ""
        tokens = [_Token(t.text, t.startchar, t.endchar) for t in self._names(body, chars=True)]
        authors = [a for a in (stored.get("authors") or "").split(self._separator) if a]
        return _Story(path, body, tokens, authors, stored.get("dateline"))

    def _surfaces(self) -> dict[str, str]:
        """Body stem -> the spelling the sampled stories use most (ties: alphabetical)."""
        seen: dict[str, Counter[str]] = {}
        for story in self.stories:
            for token in story.tokens:
                if self.is_content_word(token.text):
                    stem = self.stem(token.text)
                    if stem is not None:
                        seen.setdefault(stem, Counter())[token.text] += 1
        return {
            stem: min(counts.items(), key=lambda kv: (-kv[1], kv[0]))[0]
            for stem, counts in sorted(seen.items())
        }

    def is_content_word(self, word: str, shortest: int = 3) -> bool:
        return len(word) >= shortest and word.isalpha() and word not in self.stop_words

    # -- the query types ------------------------------------------------------------------

    def terms(self, per_type: int) -> tuple[list[str], dict[str, list[tuple[str, int]]]]:
        """Words at each frequency level, interleaved high, mid, low; and each level's picks."""
        ranked = sorted(
            ((df, stem) for stem, df in self.frequencies.items() if df >= 2 and stem.isalpha()),
            key=lambda pair: (-pair[0], pair[1]),
        )
        rng = self.rng("term")
        picked: dict[str, list[tuple[str, int]]] = {}
        for number, (level, (first, last)) in enumerate(LEVELS.items()):
            band = ranked[int(first * len(ranked)) : max(int(last * len(ranked)), 1)]
            words = [(self.surfaces[s], df) for df, s in band if s in self.surfaces]
            want = per_type // len(LEVELS) + (1 if number < per_type % len(LEVELS) else 0)
            picked[level] = rng.sample(words, min(want, len(words)))
        interleaved = [word for group in _zip_longest(*picked.values()) for word, _df in group]
        return interleaved, picked

    def pairs(self, per_type: int) -> list[str]:
        rng = self.rng("and2")
        found: list[str] = []
        for story in self._stories_in_turn(rng):
            words = sorted({t.text for t in story.tokens if self._common_enough(t.text)})
            if len(words) >= 2:
                first, second = rng.sample(words, 2)
                _add_new(found, f"{first} {second}")
            if len(found) == per_type:
                break
        return found

    def phrases(self, per_type: int) -> list[str]:
        """Runs of 2 or 3 words, as written: separated by spaces only, ending on content words."""
        rng = self.rng("phrase")
        found: list[str] = []
        for story in self._stories_in_turn(rng):
            length = 2 + len(found) % 2
            tokens = story.tokens
            for _attempt in range(20):
                if len(tokens) < length:
                    break
                start = rng.randrange(len(tokens) - length + 1)
                run = tokens[start : start + length]
                if self._is_phrase(story.body, run):
                    _add_new(found, '"' + " ".join(t.text for t in run) + '"')
                    break
            if len(found) == per_type:
                break
        return found

    def _is_phrase(self, body: str, run: list[_Token]) -> bool:
        if not all(t.text.isalpha() for t in run):
            return False
        if not (self.is_content_word(run[0].text) and self.is_content_word(run[-1].text)):
            return False
        return all(body[a.end : b.start].isspace() for a, b in itertools.pairwise(run))

    def fields(self, per_type: int) -> list[str]:
        """Half authors, half datelines (either fills in when the other runs out)."""
        by = [f'by:"{name.lower()}"' for name in self._field_values("authors")]
        at = [f'in:"{place.lower()}"' for place in self._field_values("dateline")]
        found: list[str] = []
        for group in _zip_longest(by, at):
            for query in group:
                _add_new(found, query)
        return found[:per_type]

    def _field_values(self, name: str) -> list[str]:
        """Distinct stored values of field `name` (one per story), from stories sampled by path."""
        rng = self.rng(f"field:{name}")
        holders = sorted(self._paths_with(name))
        out: list[str] = []
        for path in rng.sample(holders, min(len(holders), 4 * PER_TYPE)):
            stored = self.reader.stored_fields(self.docnum_of[path]).get(name) or ""
            values = [v.strip() for v in stored.split(self._separator) if v.strip()]
            if values:
                _add_new(out, rng.choice(values))
        return out

    def _paths_with(self, name: str) -> set[str]:
        """Paths of the live stories with at least one indexed word in field `name`."""
        docnums: set[int] = set()
        for text in self.reader.lexicon(name):
            docnums.update(self.reader.postings(name, text).all_ids())
        path_of = {docnum: path for path, docnum in self.docnum_of.items()}
        return {path_of[d] for d in docnums if d in path_of}

    def date_ranges(self, per_type: int) -> list[str]:
        """Ranges between two quantiles of the stories' dates, 1-10% of the stories apart."""
        dates = sorted(self._dates())
        if not dates:
            return []
        rng = self.rng("date")
        found: list[str] = []
        for _attempt in range(per_type * 10):
            low = rng.uniform(0.0, 0.9)
            high = min(1.0, low + rng.uniform(0.01, 0.10))
            first = dates[int(low * (len(dates) - 1))]
            last = dates[int(high * (len(dates) - 1))]
            _add_new(found, f"date:[{first.date().isoformat()} to {last.date().isoformat()}]")
            if len(found) == per_type:
                break
        return found

    def _dates(self) -> Iterator[Any]:
        if not self.docnum_of:
            return  # an empty index has no columns to read
        column = self.reader.column_reader("published", translate=True)
        for docnum in self.docnum_of.values():
            value = column[docnum]
            if value is not None:
                yield value

    def typeahead(self, per_type: int) -> list[str]:
        """Alternately `word pre` and bare `pre`, `pre` being the first 3-5 letters of a real
        word; in `word pre` both words come from one story, as in a query someone would type."""
        rng = self.rng("typeahead")
        found: list[str] = []
        for _round in range(3):
            for story in self._stories_in_turn(rng):
                words = sorted({t.text for t in story.tokens if self._common_enough(t.text)})
                targets = [w for w in words if len(w) >= 5]
                if not targets or len(words) < 2:
                    continue
                target = rng.choice(targets)
                prefix = target[: rng.randint(3, min(5, len(target) - 1))]
                if len(found) % 2 == 0:
                    before = rng.choice([w for w in words if w != target])
                    _add_new(found, f"{before} {prefix}")
                else:
                    _add_new(found, prefix)
                if len(found) == per_type:
                    return found
        return found

    def misspellings(self, per_type: int, finds_nothing: Any) -> list[str]:
        rng = self.rng("nohit")
        words = self._typing_words(shortest=5)
        found: list[str] = []
        for _attempt in range(per_type * 10):
            if not words:
                break
            typo = misspell(rng.choice(words), rng)
            if typo not in found and finds_nothing(typo):
                found.append(typo)
            if len(found) == per_type:
                break
        return found

    def typing_words(self, count: int, shortest: int = 5) -> list[str]:
        """Distinct real words as a person would type them, for the browser's typing test."""
        words = self._typing_words(shortest)
        return self.rng("typing").sample(words, min(count, len(words)))

    def _typing_words(self, shortest: int) -> list[str]:
        """Spellings of body words in at least two stories: words people search for."""
        return sorted(
            {
                word
                for stem, word in self.surfaces.items()
                if self.frequencies.get(stem, 0) >= 2 and self.is_content_word(word, shortest)
            }
        )

    def _common_enough(self, word: str) -> bool:
        if not self.is_content_word(word, shortest=4):
            return False
        stem = self.stem(word)
        return stem is not None and self.frequencies.get(stem, 0) >= 2

    def _stories_in_turn(self, rng: random.Random) -> list[_Story]:
        stories = list(self.stories)
        rng.shuffle(stories)
        return stories


def misspell(word: str, rng: random.Random) -> str:
    """`word` with one edit after its first letter: a letter dropped, doubled, swapped or
    replaced. The first letter stays, as in most typing slips (and as suggestions assume)."""
    i = rng.randrange(1, len(word))
    edit = rng.choice(("drop", "double", "swap", "replace"))
    if edit == "drop":
        return word[:i] + word[i + 1 :]
    if edit == "double":
        return word[: i + 1] + word[i] + word[i + 1 :]
    if edit == "swap" and i + 1 < len(word) and word[i] != word[i + 1]:
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    other = rng.choice([c for c in _LETTERS if c != word[i]])
    return word[:i] + other + word[i + 1 :]


def with_state_filters(queries: dict[str, list[str]], count: int) -> list[str]:
    """`count` queries of the `STATE_BASES` sets in turn, each with a filter added."""
    bases = [item for row in _zip_longest(*(queries[k] for k in STATE_BASES)) for item in row]
    return [
        f"{base} {STATE_FILTERS[i % len(STATE_FILTERS)]}" for i, base in enumerate(bases[:count])
    ]


def without_state_filter(query: str) -> str:
    """The query a `state` query was made from."""
    for added in STATE_FILTERS:
        if query.endswith(f" {added}"):
            return query[: -len(added) - 1]
    return query


def _add_new(items: list[str], item: str) -> None:
    if item not in items:
        items.append(item)


def _zip_longest(*lists: list[Any]) -> Iterator[list[Any]]:
    """Rows across `lists`, shorter lists simply dropping out (no fill values)."""
    for i in range(max((len(x) for x in lists), default=0)):
        yield [x[i] for x in lists if i < len(x)]


def _live_paths(reader: Any) -> dict[str, int]:
    """path -> docnum for every story not deleted, from the sortable `path` column."""
    if not reader.doc_count_all():
        return {}  # an empty index has no columns to read
    column = reader.column_reader("path")
    deletions = reader.has_deletions()
    out: dict[str, int] = {}
    for docnum in range(reader.doc_count_all()):
        if deletions and reader.is_deleted(docnum):
            continue
        path = column[docnum]
        if path:
            out[path] = docnum
    return out


def _body_frequencies(reader: Any) -> dict[str, int]:
    """Body stem -> the number of stories that hold it, summed over the segments."""
    frequencies: Counter[str] = Counter()
    leaves = reader.leaf_readers() if hasattr(reader, "leaf_readers") else [(reader, 0)]
    for leaf, _offset in leaves:
        for text, info in leaf.iter_field("body"):
            word = text.decode("utf-8") if isinstance(text, bytes) else text
            frequencies[word] += info.doc_frequency()
    return dict(frequencies)


# -- public entry points ----------------------------------------------------------------------


def draw(index_dir: Path, seed: int = DEFAULT_SEED, per_type: int = PER_TYPE) -> QuerySet:
    """Every query type, drawn from the index at `index_dir` (see the module docstring)."""
    from termnews.engine.searcher import Searcher
    from termnews.engine.store import open_index

    ix = open_index(index_dir)
    with ix.reader() as reader, Searcher(index_dir) as searcher:
        drawer = _Drawer(reader, seed, SAMPLE_STORIES)
        terms, levels = drawer.terms(per_type)
        queries = {
            "term": terms,
            "and2": drawer.pairs(per_type),
            "phrase": drawer.phrases(per_type),
            "field": drawer.fields(per_type),
            "date_range": drawer.date_ranges(per_type),
            "sorted_newest": list(terms),
            "typeahead": drawer.typeahead(per_type),
            "snippets20": list(terms),
            "nohit": drawer.misspellings(
                per_type, lambda text: searcher.search(text, limit=0).total == 0
            ),
        }
        queries["state"] = with_state_filters(queries, per_type)
        details = {
            "seed": seed,
            "drawn_from": "index",
            "stories": len(drawer.paths),
            "sampled_stories": len(drawer.stories),
            "term_levels": {
                level: [{"word": w, "stories": df} for w, df in picks]
                for level, picks in levels.items()
            },
        }
    return QuerySet(queries, details, _missing(queries, len(drawer.paths)))


def typing_words(index_dir: Path, count: int, seed: int = DEFAULT_SEED) -> list[str]:
    """Real words of the index at `index_dir` for the browser's keystroke test (seeded)."""
    from termnews.engine.store import open_index

    with open_index(index_dir).reader() as reader:
        return _Drawer(reader, seed, SAMPLE_STORIES).typing_words(count)


def _missing(queries: dict[str, list[str]], stories: int) -> list[str]:
    if not stories:
        return ["the index holds no stories: no query set could be drawn from it"]
    return [
        f"{kind}: nothing of this kind could be drawn from this index"
        for kind in QUERY_TYPES
        if not queries.get(kind)
    ]


def load(path: Path) -> QuerySet:
    """A query set saved earlier: a benchmark's JSON output, or a bare {type: [queries]}."""
    import json

    data = json.loads(path.read_text(encoding="utf-8"))
    queries = data.get("queries", data) if isinstance(data, dict) else None
    if not isinstance(queries, dict) or not all(
        isinstance(v, list) and all(isinstance(q, str) for q in v) for v in queries.values()
    ):
        raise ValueError(f"{path}: no {{type: [queries]}} object in it")
    details = dict(data.get("query_details") or {})
    details["drawn_from"] = str(path)
    return QuerySet({k: list(v) for k, v in queries.items()}, details, _missing(queries, 1))
