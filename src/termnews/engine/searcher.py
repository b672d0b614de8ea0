"""The search engine behind every front end: one open Whoosh searcher, typed results out.

A Searcher is opened once and kept: opening one costs ~85 ms, refreshing an unchanged one
costs a directory listing. Queries return `Results` whose `hits` hold only the first page;
`hits(results, start, stop)` materialises any other slice on demand (stored fields and
snippets are the expensive part, and a list of 100,000 matches must not pay for them all).

Every method takes one lock: the browser searches from a worker thread while its UI thread
asks for rows, and Whoosh readers are not safe to share between threads unguarded.
"""

from __future__ import annotations

import re
import threading
import time
from bisect import bisect_left
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from types import TracebackType
from typing import Any

from termnews.article import Article
from termnews.engine import ranking, vector
from termnews.engine.highlight import lead_snippet, snippet
from termnews.engine.highlight import spans as find_spans
from termnews.engine.lru import LRU
from termnews.engine.matching.matchsets import DocSets
from termnews.engine.query.form import Every, Node, Nothing
from termnews.engine.query.language import (
    MIN_PREFIX,
    ParsedQuery,
    make_parser,
    parse,
    positive_terms,
)
from termnews.engine.ranking import additive_leaves
from termnews.engine.schema import AUTHOR_SEPARATOR, DEFAULT_FIELDS, name_analyzer, text_analyzer
from termnews.engine.storage.codec import character_spans
from termnews.engine.storage.postings import values_for
from termnews.engine.store import archive_of, open_index
from termnews.errors import TermnewsError
from termnews.results import Hit, Results, SortOrder, Span

#: How many completions a partial last word may expand to (ranked by document frequency).
COMPLETIONS = 10
#: How many completions a name field (author, dateline) contributes to a bare partial word.
NAME_COMPLETIONS = 3
#: How many lexicon entries to look at when completing; bounds the cost of short prefixes.
COMPLETION_SCAN = 400
#: How many body postings the completions of one partial word may add up to, per story in
#: the index. The match set needs every completion's postings, and decoding them is the cost
#: of a keystroke: this keeps a common three-letter prefix (`cou`: council, country, court,
#: county...) near the cost of one common word. Further letters narrow it to what was meant.
COMPLETION_POSTINGS_PER_DOC = 1.5
#: Endings a partial word may have run into past its stem: `housin` -> `hous` (housing).
_SUFFIXES = (
    "ing", "ings", "ed", "es", "er", "ers", "ies", "ied", "ion", "ions", "ation", "ations",
    "ly", "ness", "ment", "ments", "al", "ally", "ity", "ive", "ous", "ful", "s", "e", "y",
)  # fmt: skip
_STEMMED_FIELDS = ("headline", "body", "caption")
_NAME_FIELDS = ("dateline", "authors")
_RECENT_RESULTS = 16


@dataclass
class _Entry:
    """A Results this Searcher returned, with what it takes to page through it."""

    results: Results
    parsed: ParsedQuery
    ranked: _Ranked
    generation: int
    complete: bool


@dataclass
class _Ranked:
    """Matches in result order (possibly only the first pages of a relevance order)."""

    docnums: list[int]
    scores: dict[int, float]
    total: int
    rank_query: Any = None
    """What later relevance pages are scored with (see `ParsedQuery.rank_query`)."""
    rank_form: Node | None = None
    """`rank_query`'s form."""
    allow: Collection[int] | None = None
    """The exact match set that later relevance pages are picked from."""


class Searcher:
    """Searches one index. Use as a context manager, or call `close()`."""

    def __init__(self, index_dir: Path, *, now: Callable[[], datetime] | None = None) -> None:
        """Open the index; raises IndexMissingError saying to run `termnews index ARCHIVE`.

        `now` pins the clock for relative dates (`date:"last week"`), for tests.
        """
        self._lock = threading.RLock()
        self._index_dir = Path(index_dir)
        self._ix = open_index(self._index_dir)
        self._searcher = self._ix.searcher()
        self._docsets = DocSets(self._searcher)
        self._parser = make_parser(self._ix.schema)
        self._archive = archive_of(self._index_dir)
        self._now = now or datetime.now
        self._text = text_analyzer()
        self._names = name_analyzer()
        # Results this reader generation produced: their docnums are valid for `hits`.
        self._recent: LRU[int, _Entry] = LRU(_RECENT_RESULTS)
        self._generation = 0

    # -- context manager ---------------------------------------------------------------------

    def __enter__(self) -> Searcher:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        with self._lock:
            self._searcher.close()

    def refresh(self) -> bool:
        """Pick up a newer index generation (written by a sync); True if there was one.

        Cheap when nothing changed. Results from before a refresh still work with `hits`:
        they are re-run transparently, since their document numbers may have moved.
        """
        with self._lock:
            if self._searcher.up_to_date():
                return False
            # Not `searcher.refresh()`: it reuses the readers of unchanged segments, and those
            # keep the segment's *old* deletions, so a deleted story would still be found.
            old, self._searcher = self._searcher, self._ix.searcher()
            old.close()
            self._docsets = DocSets(self._searcher)
            self._parser = make_parser(self._searcher.schema)
            self._archive = archive_of(self._index_dir)
            self._generation += 1
            return True

    def warm_up(self) -> None:
        """Do once, off the UI thread, what the first phrase or no-hit query would pay for.

        Loads numpy (`engine.vector`: phrases need it, long posting lists sum faster with it).
        Safe to call from a worker thread at any time, and more than once.
        """
        vector.load()

    # -- searching ---------------------------------------------------------------------------

    def search(self, query: str, sort: SortOrder = SortOrder.RELEVANCE, limit: int = 50) -> Results:
        """Run `query`. Never raises on malformed input: it falls back and sets `notice`.

        An empty query lists every story, newest first (relevance means nothing without words).
        """
        return self._search(query, sort, limit, complete=False)

    def search_as_you_type(
        self, text: str, sort: SortOrder = SortOrder.RELEVANCE, limit: int = 50
    ) -> Results:
        """Like `search`, but a partial last word is completed from the index's term list.

        A Whoosh prefix query over the body takes most of a second; looking the prefix up in
        the term list and keeping the ~10 most frequent words takes about a millisecond.
        """
        return self._search(text, sort, limit, complete=True)

    def _search(self, text: str, sort: SortOrder, limit: int, *, complete: bool) -> Results:
        started = time.perf_counter()
        sort = SortOrder(sort)
        limit = max(0, limit)
        with self._lock:
            completer = self._complete if complete else None
            parsed = parse(self._parser, text, self._now(), completer)
            if isinstance(parsed.form, Every) and sort is SortOrder.RELEVANCE:
                sort = SortOrder.NEWEST  # nothing to rank by: everything, newest first
            ranked = self._run(parsed, sort, limit)
            reader = self._searcher.reader()
            terms = frozenset(t for _f, t in positive_terms(parsed.form, reader))
            suggestion = None if ranked.total else self._suggest(text, parsed)
            first = ranked.docnums[:limit]
            hits = self._materialise(first, [ranked.scores.get(d, 0.0) for d in first], terms)
            results = Results(
                query=text,
                sort=sort,
                total=ranked.total,
                hits=tuple(hits),
                elapsed_ms=(time.perf_counter() - started) * 1000,
                suggestion=suggestion,
                notice=parsed.notice,
                terms=terms,
                docnums=tuple(ranked.docnums),
            )
            self._recent.put(
                id(results), _Entry(results, parsed, ranked, self._generation, complete)
            )
            return results

    def _run(self, parsed: ParsedQuery, sort: SortOrder, want: int) -> _Ranked:
        """The matches in order: all of them for date orders, at least `want` for relevance.

        The exact total and the date orders come from set algebra (`DocSets`); relevance
        scores the match set over cached posting arrays (`ranking`), and later pages are
        scored on demand by `hits`. All of them read the query's form; Whoosh gets the
        parsed query itself when the form holds a part only it can match or score.
        """
        q = parsed.form
        if isinstance(q, Nothing):
            return _Ranked([], {}, 0)
        docsets = self._docsets
        if isinstance(q, Every) and q.field is None:
            order = docsets.everything(newest=sort is not SortOrder.OLDEST)
            return _Ranked(order, {}, len(order))
        if sort is SortOrder.RELEVANCE and not docsets.is_cheap(q):
            found = self._searcher.search(parsed.query, limit=None)
            ranked = found.top_n
            return _Ranked([d for _s, d in ranked], {d: float(s) for s, d in ranked}, len(ranked))
        matches = docsets.matches(q)
        if sort is not SortOrder.RELEVANCE:
            order = docsets.by_date(matches, newest=sort is SortOrder.NEWEST)
            return _Ranked(order, {}, len(order))
        if not matches:
            return _Ranked([], {}, 0)
        if parsed.rank_form is not None and docsets.is_cheap(parsed.rank_form):
            return self._top(parsed.rank_query, parsed.rank_form, max(want, 1), matches)
        return self._top(parsed.query, q, max(want, 1), matches)

    def _top(self, q: Any, form: Node, want: int, matches: Collection[int]) -> _Ranked:
        """The best `want` of `matches` by the BM25F score of `q` (whose form is `form`)."""
        leaves = additive_leaves(form)
        if leaves is not None:
            best = ranking.top(
                self._docsets.postings,
                leaves,
                matches,
                want,
                self._searcher.doc_count_all(),
                self._docsets.matches,
            )
        else:  # a shape the sum rule does not cover: let Whoosh score it
            allow = matches if isinstance(matches, set) else set(matches)
            found = self._searcher.search(q, limit=min(want, len(matches)), filter=allow)
            best = [(d, float(s)) for s, d in found.top_n]
        return _Ranked([d for d, _s in best], dict(best), len(matches), q, form, matches)

    def hits(self, results: Results, start: int, stop: int) -> list[Hit]:
        """Rows `start:stop` of `results`, with snippets, computed now (for scrolling)."""
        start, stop = max(0, start), max(0, min(stop, results.total))
        with self._lock:
            entry = self._recent.get(id(results))
            known = entry is not None and entry.results is results
            if known and entry.generation == self._generation:  # type: ignore[union-attr]
                parsed, ranked = entry.parsed, entry.ranked  # type: ignore[union-attr]
            else:
                # Made before a refresh (document numbers may have moved): re-run it, the
                # way it was first run (as typed, or completing the last word).
                complete = known and entry.complete  # type: ignore[union-attr]
                completer = self._complete if complete else None
                parsed = parse(self._parser, results.query, self._now(), completer)
                ranked = self._run(parsed, results.sort, stop)
                self._recent.put(
                    id(results), _Entry(results, parsed, ranked, self._generation, bool(complete))
                )
            if stop > len(ranked.docnums) and ranked.total > len(ranked.docnums):
                # A relevance page past the ones scored so far: score further, in one go.
                ranks_itself = ranked.rank_form is None
                more = self._top(
                    parsed.query if ranks_itself else ranked.rank_query,
                    parsed.form if ranks_itself else ranked.rank_form,  # type: ignore[arg-type]
                    max(stop, 2 * len(ranked.docnums)),
                    ranked.allow
                    if ranked.allow is not None
                    else self._docsets.matches(parsed.form),
                )
                ranked.docnums, ranked.scores = more.docnums, more.scores
            page = ranked.docnums[start:stop]
            return self._materialise(page, [ranked.scores.get(d, 0.0) for d in page], results.terms)

    def _materialise(
        self, docnums: list[int], scores: list[float], terms: frozenset[str]
    ) -> list[Hit]:
        if not docnums:
            return []
        reader = self._searcher.reader()
        ranges = self._body_ranges(reader, docnums, terms)
        hits = []
        for docnum, score in zip(docnums, scores, strict=True):
            stored = reader.stored_fields(docnum)
            body = stored.get("body") or ""
            if ranges.get(docnum):
                text, marks = snippet(body, ranges[docnum])
            else:
                text, marks = lead_snippet(body, terms)
            headline = stored.get("headline") or ""
            authors = stored.get("authors") or ""
            hits.append(
                Hit(
                    path=self._display_path(stored["path"]),
                    headline=headline,
                    authors=tuple(a for a in authors.split(AUTHOR_SEPARATOR) if a),
                    agency=stored.get("agency"),
                    dateline=stored.get("dateline"),
                    published=stored.get("pub"),
                    date_estimated=bool(stored.get("est")),
                    score=score,
                    snippet=text,
                    headline_spans=tuple(find_spans(headline, terms)),
                    snippet_spans=tuple(marks),
                )
            )
        return hits

    def _body_ranges(
        self, reader: Any, docnums: Iterable[int], terms: frozenset[str]
    ) -> dict[int, list[Span]]:
        """Character offsets of query terms in each body, straight from the postings.

        A term whose postings are cached is looked for only in the hits that hold it: the
        ten completions of a partial word are each in few of the hits, and every block read
        for nothing costs a decompression.
        """
        wanted = sorted(set(docnums))
        ranges: dict[int, list[Span]] = {}
        postings = self._docsets.postings
        for term in terms:
            known = postings.peek("body", term)
            holding = wanted if known is None else _members(known.ids, wanted)
            for docnum, value in values_for(reader, "body", term, holding, known).items():
                ranges.setdefault(docnum, []).extend(character_spans(value))
        return ranges

    def _display_path(self, rel: str) -> str:
        if self._archive is None:
            return rel
        return str(self._archive.joinpath(*rel.split("/")))

    # -- completion and suggestions -----------------------------------------------------------

    def _fold(self, word: str) -> str:
        tokens = [t.text for t in self._names(word)]
        return tokens[0] if tokens else ""

    def _complete(self, field: str | None, word: str) -> dict[str, list[str]]:
        """Whole index terms a partial word may become, most frequent first, per field.

        Below `MIN_PREFIX` letters only the word itself counts (see `querylang.MIN_PREFIX`),
        so one or two letters cost no more than searching a whole word.
        """
        folded = self._fold(word)
        if not folded:
            return {}
        reader = self._searcher.reader()
        fields = [field] if field else list(DEFAULT_FIELDS)
        if len(folded) < MIN_PREFIX:
            return self._whole_word(reader, fields, folded)
        out: dict[str, list[str]] = {}
        stems: list[str] | None = None
        for name in fields:
            if name in _NAME_FIELDS or name == "agency":
                limit = COMPLETIONS if field else NAME_COMPLETIONS
                found = _top_prefix(reader, name, folded, limit)
            else:
                if stems is None:
                    stems = self._stem_completions(reader, folded)
                found = [s for s in stems if (name, s) in reader] if name != "body" else stems
            if found:
                out[name] = found
        return out

    def _whole_word(self, reader: Any, fields: list[str], folded: str) -> dict[str, list[str]]:
        if len(folded) < 2:
            return {}
        stems = [t.text for t in self._text(folded)]
        out: dict[str, list[str]] = {}
        for name in fields:
            forms = stems if name in _STEMMED_FIELDS else [folded]
            found = [t for t in forms if (name, t) in reader]
            if found:
                out[name] = found
        return out

    def _stem_completions(self, reader: Any, folded: str) -> list[str]:
        candidates: dict[str, int] = dict(
            _prefix_frequencies(reader, "body", folded, COMPLETION_SCAN)
        )
        # The stem of a longer word can be shorter than what was typed: `housin` -> `hous`.
        for cut in range(len(folded) - 1, max(2, len(folded) - 5), -1):
            rest = folded[cut:]
            if any(suffix.startswith(rest) for suffix in _SUFFIXES):
                stem_text = folded[:cut]
                if ("body", stem_text) in reader:
                    candidates[stem_text] = reader.doc_frequency("body", stem_text)
        stemmed = [t.text for t in self._text(folded)]
        for text in stemmed:
            if ("body", text) in reader:
                candidates[text] = reader.doc_frequency("body", text)
        budget = COMPLETION_POSTINGS_PER_DOC * reader.doc_count_all()
        chosen: list[str] = []
        spent = 0
        for text, frequency in sorted(candidates.items(), key=lambda kv: -kv[1])[:COMPLETIONS]:
            if chosen and spent + frequency > budget:
                continue  # a smaller completion further down may still fit
            chosen.append(text)
            spent += frequency
        return chosen

    def _suggest(self, text: str, parsed: ParsedQuery) -> str | None:
        """A respelled query when some typed words occur nowhere in the index."""
        reader = self._searcher.reader()
        replacements: dict[str, str] = {}
        for word in parsed.words:
            if self._known(reader, word):
                continue
            better = self._respell(reader, word)
            if better and better != word:
                replacements[word] = better
        if not replacements:
            return None
        pattern = re.compile(
            r"(?<![\w])(" + "|".join(re.escape(w) for w in replacements) + r")(?![\w])",
            re.IGNORECASE,
        )
        return pattern.sub(lambda m: replacements[m.group(1).lower()], text)

    def _known(self, reader: Any, word: str) -> bool:
        stems = [t.text for t in self._text(word)]
        folded = self._fold(word)
        if not stems:  # a stop word: it never blocks a match
            return True
        return any(("body", s) in reader or ("headline", s) in reader for s in stems) or any(
            (f, folded) in reader for f in _NAME_FIELDS
        )

    def _respell(self, reader: Any, word: str) -> str | None:
        """The closest word the index holds, in the form a person would type it."""
        folded = self._fold(word)
        distance = 1 if len(folded) <= 4 else 2
        best: tuple[int, str] | None = None
        stems = [t.text for t in self._text(folded)]
        for stem_text in stems[:1]:
            for candidate in reader.terms_within("body", stem_text, distance, prefix=1):
                frequency = reader.doc_frequency("body", candidate)
                if best is None or frequency > best[0]:
                    best = (frequency, self._surface("body", candidate) or candidate)
        for field in _NAME_FIELDS:
            for candidate in reader.terms_within(field, folded, distance, prefix=1):
                frequency = reader.doc_frequency(field, candidate)
                if best is None or frequency > best[0]:
                    best = (frequency, candidate)
        return best[1] if best else None

    def _surface(self, field: str, stem_text: str) -> str | None:
        """An unstemmed word that stems to `stem_text`, read from a story that contains it."""
        reader = self._searcher.reader()
        if (field, stem_text) not in reader:
            return None
        matcher = reader.postings(field, stem_text)
        if not matcher.is_active():
            return None
        docnum = matcher.id()
        spans_found = matcher.value_as("characters") if matcher.supports("characters") else []
        body = reader.stored_fields(docnum).get(field) or ""
        for _pos, start, end in spans_found[:1]:
            return self._fold(body[start:end])
        for token in self._names(body):
            if token.text and [t.text for t in self._text(token.text)] == [stem_text]:
                return token.text
        return None

    # -- whole articles ----------------------------------------------------------------------

    def article(self, path: str) -> Article:
        """The full story: re-parsed from its file, or rebuilt from the index if the file is gone.

        `path` is a hit's path (absolute) or a path relative to the archive.
        """
        from termnews.errors import ParseError
        from termnews.parsing import parse_file

        rel, full = self._locate(path)
        if full is not None:
            try:
                return parse_file(full)
            except (ParseError, OSError):
                pass
        with self._lock:
            docnum = self._searcher.document_number(path=rel)
            if docnum is None:
                raise TermnewsError(f"{path}: not in the index")
            stored = self._searcher.reader().stored_fields(docnum)
        authors = stored.get("authors") or ""
        return Article(
            path=str(full) if full else rel,
            headline=stored.get("headline") or "",
            authors=tuple(a for a in authors.split(AUTHOR_SEPARATOR) if a),
            agency=stored.get("agency"),
            published=None if stored.get("est") else stored.get("pub"),
            dateline=stored.get("dateline"),
            body=stored.get("body") or "",
            warnings=("the file could not be read; this is the copy in the index",),
        )

    def _locate(self, path: str) -> tuple[str, Path | None]:
        candidate = Path(path)
        archive = self._archive
        if candidate.is_absolute():
            if archive is not None:
                try:
                    return candidate.relative_to(archive).as_posix(), candidate
                except ValueError:
                    pass
            return candidate.as_posix(), candidate
        full = archive.joinpath(*candidate.parts) if archive is not None else None
        return candidate.as_posix(), full

    def spans(self, text: str, terms: frozenset[str]) -> list[Span]:
        """Highlight spans for `terms` (from `Results.terms`) in any text, e.g. a whole body."""
        return find_spans(text, terms)


def _members(ids: Any, wanted: list[int]) -> list[int]:
    """The wanted docnums present in the ascending array `ids` (a binary search each)."""
    found = []
    for docnum in wanted:
        i = bisect_left(ids, docnum)
        if i < len(ids) and ids[i] == docnum:
            found.append(docnum)
    return found


def _prefix_frequencies(reader: Any, field: str, prefix: str, scan: int) -> list[tuple[str, int]]:
    found = []
    for i, (text, info) in enumerate(reader.iter_prefix(field, prefix)):
        if i >= scan:
            break
        found.append(
            (text.decode("utf-8") if isinstance(text, bytes) else text, info.doc_frequency())
        )
    return found


def _top_prefix(reader: Any, field: str, prefix: str, limit: int) -> list[str]:
    pairs = _prefix_frequencies(reader, field, prefix, COMPLETION_SCAN)
    return [t for t, _df in sorted(pairs, key=lambda kv: -kv[1])][:limit]
