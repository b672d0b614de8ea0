"""The search engine behind every front end: one open index generation, typed results out.

A Searcher is opened once and kept: opening one costs more than a query, refreshing an unchanged
one costs a directory listing. Queries return `Results` whose `hits` hold only the first page;
`hits(results, start, stop)` materialises any other slice on demand (stored fields and snippets
are the expensive part, and a list of 100,000 matches must not pay for them all).

Everything read from the index lives in one `Generation`, swapped whole by `refresh`.
Completion is `engine.complete`, "did you mean" `engine.suggest`, result rows and their
snippets `engine.rows`, whole stories `engine.stories`, state filters `engine.filters`; the
Searcher parses, runs, ranks and pages, and holds the lock.

The reading state (`is:unread`, `tag:x`) comes from a `StateView` given at construction or
by `attach_state`; each search reads its current snapshot, so a mark shows in the next one.

Every public method takes the one lock: the browser calls from worker threads while its UI
thread asks for rows, and Whoosh readers are not safe to share between threads unguarded.
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from types import TracebackType
from typing import Any

from whoosh import query as wq

from termnews.article import Article
from termnews.engine import context as story_context
from termnews.engine import folding, ranking, stories, story_columns, vector
from termnews.engine.context import Context
from termnews.engine.filters import StateView, bind
from termnews.engine.generation import Generation
from termnews.engine.highlight import spans as find_spans
from termnews.engine.query.form import (
    FILTER_NAMES,
    IS_VALUES,
    And,
    AndNot,
    DateRange,
    Every,
    Filter,
    Node,
    Not,
    Nothing,
    Or,
    holds_filter,
    translate,
)
from termnews.engine.query.language import (
    FIELD_NAMES,
    STOP_WORDS,
    ParsedQuery,
    parse,
    positive_terms,
    typed_filter,
)
from termnews.engine.ranking import additive_leaves
from termnews.engine.related import FIELDS as RELATED_FIELDS
from termnews.engine.related import copies_of, key_terms, related_docnums
from termnews.engine.rows import hit_rows
from termnews.engine.store import open_index
from termnews.results import Hit, Results, SortOrder, Span

#: A bare last word, which may still become a field name (`b` -> `by:`) or a stop word.
_LAST_BARE_WORD = re.compile(r"(?<![^\s(])[-+]?([A-Za-z]+)$")
#: Words a finished query does not search as words: field and filter names, and the stop
#: words it drops (`query.language`), so a prefix of one may find nothing yet the finished
#: word all.
_MAY_VANISH = frozenset(FIELD_NAMES) | FILTER_NAMES | STOP_WORDS


def _order_for(parsed: ParsedQuery, sort: SortOrder) -> SortOrder:
    """The order results come in: with nothing to rank by, everything is newest first."""
    if sort is SortOrder.RELEVANCE and _ranks_nothing(parsed.form):
        return SortOrder.NEWEST
    return sort


def _ranks_nothing(q: Node) -> bool:
    """True for the empty query and for state filters and date ranges alone (`is:unread`,
    `tag:x -is:read`, `date:[2024-01-02 to 2024-01-09]`): every match scores the same, so
    a relevance order would be docnum order."""
    match q:
        case Every(None) | Filter() | DateRange():
            return True
        case And(children) | Or(children):
            return all(_ranks_nothing(child) for child in children)
        case Not(child):
            return isinstance(child, Filter) or _ranks_nothing(child)
        case AndNot(positive, _negative):
            return _ranks_nothing(positive)
    return False


#: The pause between two slices of the story columns read ahead (`prepare_context`).
SLICE_PAUSE_S = 0.002


def _filter_ready(gen: Generation) -> Callable[[str, str], bool]:
    """Whether a state filter typed last is finished: an `is:` value once it is one of them,
    a tag once some story carries it (`tag:harb` waits for `tag:harbour`)."""

    def ready(name: str, value: str) -> bool:
        if name == "is":
            return value in IS_VALUES
        return bool(gen.filters.stories(name, value))

    return ready


def _never_ready(_name: str, _value: str) -> bool:
    """A state filter typed last is never finished (see `ParsedQuery.pending`)."""
    return False


def _not_yet(_field: str | None, _word: str) -> None:
    """A completer that holds every partial last word back (see `ParsedQuery.pending`)."""
    return None


def _columns_reader(gen: Generation) -> story_columns.Reader:
    return story_columns.Reader(gen.reader, gen.docsets.dates())


def _match_set(ranked: _Ranked) -> Collection[int]:
    """Every match of a ranked result: its exact set when known, else the whole order (what
    Whoosh ranked in full)."""
    return ranked.allow if ranked.allow is not None else ranked.docnums


def _as_set(docnums: Collection[int]) -> frozenset[int] | set[int]:
    return docnums if isinstance(docnums, (set, frozenset)) else set(docnums)


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
    """The exact match set, as a set: what later relevance pages are picked from, and what
    folding asks which copies of a row matched."""


@dataclass
class _Paging:
    """A Results' `handle`: what `Searcher.hits` pages with. Opaque outside the Searcher.

    Its document numbers belong to one generation; a page asked for after a refresh re-runs
    the query the way it was first run and replaces them here.
    """

    as_you_type: bool
    generation: int
    parsed: ParsedQuery
    ranked: _Ranked
    filters: dict[tuple[str, str], frozenset[int]] = field(default_factory=dict)
    """The state filters' docnums as the search saw them: later pages are ranked with these
    (`StateFilters.pinned`), so a mark made meanwhile does not reorder the list."""
    fold: folding.Fold | None = None
    """The folded order (None when every copy is a row of its own)."""
    match_set: frozenset[int] | set[int] | None = None
    """Every match, as a set: asked which copies of a row matched (made when first needed)."""

    @property
    def docnums(self) -> list[int]:
        """The matches in result order, as far as they are ranked (for tests)."""
        return self.ranked.docnums


class Searcher:
    """Searches one index. Use as a context manager, or call `close()`."""

    def __init__(
        self,
        index_dir: Path,
        *,
        now: Callable[[], datetime] | None = None,
        state: StateView | None = None,
    ) -> None:
        """Open the index; raises IndexMissingError saying to run `termnews index ARCHIVE`.

        `now` pins the clock for relative dates (`date:"last week"`), for tests. `state`
        answers `is:` and `tag:` filters; without one no story is marked.
        """
        self._lock = threading.RLock()
        self._index_dir = Path(index_dir)
        self._ix = open_index(self._index_dir)
        self._state = state
        self._gen = Generation(self._ix, self._index_dir, 0, state)
        self._now = now or datetime.now
        self._every_clusters: tuple[Any, int] | None = None
        """(a generation's `copies`, distinct clusters among every story): the empty query's."""

    def attach_state(self, state: StateView | None) -> None:
        """Answer `is:` and `tag:` filters from `state` from the next search on."""
        with self._lock:
            self._state = state
            self._gen.filters.attach(state)

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
            self._gen.close()

    def refresh(self) -> bool:
        """Pick up a newer index generation (written by a sync); True if there was one.

        Cheap when nothing changed. The new generation is opened (and warmed, if the old one
        was) outside the lock, so searches go on meanwhile with the old one. Results from
        before a refresh still work with `hits`: they are re-run transparently, since their
        document numbers may have moved.
        """
        with self._lock:
            old = self._gen
            if old.up_to_date():
                return False
        # A whole new searcher, not `searcher.refresh()`: that reuses the readers of
        # unchanged segments, which keep the segment's *old* deletions.
        new = Generation(self._ix, self._index_dir, old.number + 1, self._state)
        if old.warmed:
            new.warm_up()  # no other thread sees it yet
        with self._lock:
            if self._gen is not old:  # another thread refreshed meanwhile
                new.close()
                return True
            new.filters.attach(self._state)  # attached meanwhile, perhaps
            self._gen = new
            old.close()
        return True

    def warm_up(self) -> None:
        """Do once, off the UI thread, what the first phrase, keystroke or miss would pay for.

        Loads numpy (`engine.vector`: phrases need it, long posting lists sum faster with
        it), then reads the term lists that completion and suggestions look words up in.
        Safe to call from a worker thread at any time, and more than once.
        """
        vector.load()
        while True:
            with self._lock:
                gen = self._gen
                if gen.warmed:
                    return
            try:
                prepared = gen.prepare_warm_up()  # its own files: searches go on meanwhile
            except OSError:  # a sync merged its segments away: warm the newer one, if any
                prepared = None
            with self._lock:
                if self._gen is gen:
                    if prepared is not None:
                        gen.finish_warm_up(prepared)
                    return

    # -- searching ---------------------------------------------------------------------------

    def search(
        self,
        query: str,
        sort: SortOrder = SortOrder.RELEVANCE,
        limit: int = 50,
        *,
        all_copies: bool = False,
    ) -> Results:
        """Run `query`. Never raises on malformed input: it falls back and sets `notice`.

        An empty query lists every story, newest first (relevance means nothing without words).
        Copies of one story (reprints) are folded into one row, at the place of the copy that
        comes first, unless `all_copies`; `total` counts every matching story either way.
        """
        return self._search(query, sort, limit, as_you_type=False, all_copies=all_copies)

    def search_as_you_type(
        self,
        text: str,
        sort: SortOrder = SortOrder.RELEVANCE,
        limit: int = 50,
        *,
        all_copies: bool = False,
    ) -> Results:
        """Like `search`, but the last word is a prefix, however short, of the words it may become.

        When it begins too many words to apply on this keystroke (`p`), is negated, or is a
        field name still without its value, the results are those of the words before it,
        and `Results.pending_word` says so: typing never empties the list by accident.
        """
        return self._search(text, sort, limit, as_you_type=True, all_copies=all_copies)

    def _search(
        self, text: str, sort: SortOrder, limit: int, *, as_you_type: bool, all_copies: bool
    ) -> Results:
        started = time.perf_counter()
        limit = max(0, limit)
        with self._lock:
            gen = self._gen
            # Folded, a page's copies rank side by side (one body scores alike): rank some
            # more now, which costs little, rather than all the matches again for the page.
            want = limit if all_copies else folding.ranked_for(limit)
            paging = self._resolve(gen, text, SortOrder(sort), want, as_you_type, all_copies)
            parsed, ranked = paging.parsed, paging.ranked
            terms = frozenset(t for _f, t in positive_terms(parsed.form, gen.reader))
            suggestion = None
            if not ranked.total:
                suggestion = gen.suggester.suggest(text, lambda respelled: self._count(respelled))
            hits = self._rows(gen, paging, 0, limit, terms)
            return Results(
                query=text,
                sort=_order_for(parsed, SortOrder(sort)),
                total=ranked.total,
                hits=tuple(hits),
                elapsed_ms=(time.perf_counter() - started) * 1000,
                suggestion=suggestion.text if suggestion else None,
                suggestion_total=suggestion.total if suggestion else 0,
                notice=parsed.notice,
                terms=terms,
                pending_word=parsed.pending or parsed.open_phrase,
                handle=paging,
                folded_total=ranked.total if paging.fold is None else paging.fold.total,
                all_copies=paging.fold is None,
            )

    def _resolve(
        self,
        gen: Generation,
        text: str,
        sort: SortOrder,
        want: int,
        as_you_type: bool,
        all_copies: bool = True,
    ) -> _Paging:
        """Parse and run `text`, completing its last word if `as_you_type`; unless
        `all_copies`, count the distinct clusters of copies among the matches to fold them."""
        ready = _filter_ready(gen)
        completer = gen.completer if as_you_type else None
        answers: dict[tuple[str, str], frozenset[int]] = {}
        with gen.filters.pinned(answers):
            parsed = parse(gen.parser, text, self._now(), completer, ready)
            ranked = self._run(parsed, _order_for(parsed, sort), want)
            if as_you_type and not ranked.total and parsed.pending is None:
                bare = _LAST_BARE_WORD.search(text)
                if bare and any(word.startswith(bare.group(1).lower()) for word in _MAY_VANISH):
                    # `council by` may yet be `council by:okafor`, and `council fo` be
                    # `council for`, which the search drops: wait for the word, do not show
                    # what no story has.
                    parsed = parse(gen.parser, text, self._now(), _not_yet, ready)
                    ranked = self._run(parsed, _order_for(parsed, sort), want)
                elif typed_filter(text) in ("tag", "feed"):
                    # `tag:harbour` may be on its way to `tag:harbour-works`: a tag (or a
                    # feed) typed last that finds nothing here waits, as a partial word does.
                    parsed = parse(gen.parser, text, self._now(), completer, _never_ready)
                    ranked = self._run(parsed, _order_for(parsed, sort), want)
        paging = _Paging(as_you_type, gen.number, parsed, ranked, answers)
        if not all_copies:
            paging.fold = self._start_fold(gen, _match_set(ranked))
        return paging

    def _start_fold(self, gen: Generation, matches: Collection[int]) -> folding.Fold:
        """The fold of a result matching `matches`: their distinct clusters counted now,
        except for every story (the empty query, each keystroke that clears the box), whose
        count holds as long as the generation's clusters."""
        copies = gen.copies
        if matches is not gen.docsets.live:
            return folding.start(copies, matches)
        known = self._every_clusters
        if known is None or known[0] is not copies:
            known = self._every_clusters = (copies, folding.start(copies, matches).total)
        return folding.Fold(known[1], len(matches))

    def _count(self, text: str) -> int:
        """How many stories `text` finds, searched as typed (for a suggestion's count)."""
        gen = self._gen
        parsed = parse(gen.parser, text, self._now())
        if isinstance(parsed.form, Nothing):
            return 0
        if gen.docsets.is_cheap(parsed.form):
            return len(gen.docsets.matches(parsed.form))
        return len(gen.searcher.search(bind(parsed.query, gen.filters), limit=None))

    def _run(self, parsed: ParsedQuery, sort: SortOrder, want: int) -> _Ranked:
        """The matches in order: all of them for date orders, at least `want` for relevance.

        The exact total and the date orders come from set algebra (`DocSets`); relevance
        scores the match set over cached posting arrays (`ranking`), and later pages are
        scored on demand by `hits`. All of them read the query's form; Whoosh gets the
        parsed query itself when the form holds a part only it can match or score. With a
        state filter in it, the match set still comes from `DocSets` (Whoosh gets the
        filter's docnums to score with, `filters.bind`): Whoosh's matchers lose stories in
        some nested NOT shapes, and a state filter must never change a total.
        """
        q = parsed.form
        if isinstance(q, Nothing):
            return _Ranked([], {}, 0)
        docsets = self._gen.docsets
        if isinstance(q, Every) and q.field is None:
            order = docsets.everything(newest=sort is not SortOrder.OLDEST)
            return _Ranked(order, {}, len(order), allow=docsets.live)
        if isinstance(q, DateRange) and sort is not SortOrder.RELEVANCE:
            # A range alone is a run of the date order: its whole order is the match set
            # (`_match_set`), and a set of it would be built for nothing.
            order = docsets.in_date_order(q, newest=sort is SortOrder.NEWEST)
            return _Ranked(order, {}, len(order))
        if sort is SortOrder.RELEVANCE and not docsets.is_cheap(q) and not holds_filter(q):
            found = self._gen.searcher.search(parsed.query, limit=None)
            ranked = found.top_n
            return _Ranked([d for _s, d in ranked], {d: float(s) for s, d in ranked}, len(ranked))
        matches = docsets.matches(q)
        if sort is not SortOrder.RELEVANCE:
            order = docsets.by_date(matches, newest=sort is SortOrder.NEWEST)
            return _Ranked(order, {}, len(order), allow=matches)
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
                self._gen.docsets.postings,
                leaves,
                matches,
                want,
                self._gen.searcher.doc_count_all(),
                self._gen.docsets.matches,
            )
        else:  # a shape the sum rule does not cover: let Whoosh score it
            allow = matches if isinstance(matches, set) else set(matches)
            found = self._gen.searcher.search(
                bind(q, self._gen.filters), limit=min(want, len(matches)), filter=allow
            )
            best = [(d, float(s)) for s, d in found.top_n]
            if len(best) < min(want, len(matches)):
                # Whoosh's matchers lose a story in some nested NOT shapes (`NOT (a AND
                # (b -a))`); the exact set decides what matches, so the lost ones follow.
                scored = {d for d, _s in best}
                best += [(d, 0.0) for d in sorted(matches) if d not in scored][: want - len(best)]
        return _Ranked([d for d, _s in best], dict(best), len(matches), q, form, matches)

    def hits(self, results: Results, start: int, stop: int) -> list[Hit]:
        """Rows `start:stop` of `results`, with snippets, computed now (for scrolling).

        With copies folded, the rows are those of the folded order: one per cluster of
        copies, none repeated and none skipped however the pages are asked for.
        """
        start, stop = max(0, start), max(0, min(stop, results.rows))
        with self._lock:
            gen = self._gen
            paging = results.handle if isinstance(results.handle, _Paging) else None
            if paging is None or paging.generation != gen.number:
                # Made before a refresh (document numbers may have moved), or not by us:
                # re-run it the way it was first run (as typed, or completing the last word).
                as_you_type = paging is not None and paging.as_you_type
                fresh = self._resolve(
                    gen, results.query, results.sort, stop, as_you_type, results.all_copies
                )
                if paging is None:
                    paging = fresh
                else:
                    paging.generation, paging.parsed = fresh.generation, fresh.parsed
                    paging.ranked, paging.filters = fresh.ranked, fresh.filters
                    paging.fold, paging.match_set = fresh.fold, None
            return self._rows(gen, paging, start, stop, results.terms)

    def _rows(
        self, gen: Generation, paging: _Paging, start: int, stop: int, terms: frozenset[str]
    ) -> list[Hit]:
        """Rows `start:stop` of the (folded, unless every copy shows) result order."""
        ranked, fold = paging.ranked, paging.fold
        if fold is None:
            self._rank_to(gen, paging, stop)
            page = ranked.docnums[start:stop]
            return hit_rows(gen, page, [ranked.scores.get(d, 0.0) for d in page], terms)
        stop = min(stop, fold.total)
        cluster_of = gen.copies.cluster_of
        fold.extend(cluster_of, ranked.docnums, stop)
        while len(fold.walked(ranked.docnums)) < stop and len(ranked.docnums) < ranked.total:
            # Copies ranked together leave fewer rows than stories ranked: rank further
            # until the page has its distinct clusters (the walk resumes where it stopped).
            self._rank_to(gen, paging, max(stop, 2 * len(ranked.docnums)))
            fold.extend(cluster_of, ranked.docnums, stop)
        page = list(fold.walked(ranked.docnums)[start:stop])
        if paging.match_set is None and not fold.trivial:
            paging.match_set = _as_set(_match_set(ranked))
        counts = (
            [0] * len(page)
            if fold.trivial
            else folding.folded_counts(gen.copies, page, paging.match_set or frozenset())
        )
        return hit_rows(gen, page, [ranked.scores.get(d, 0.0) for d in page], terms, counts)

    def _rank_to(self, gen: Generation, paging: _Paging, stop: int) -> None:
        """Make sure the first `stop` matches are ranked (a relevance order is scored lazily)."""
        parsed, ranked = paging.parsed, paging.ranked
        if stop > len(ranked.docnums) and ranked.total > len(ranked.docnums):
            # A relevance page past the ones scored so far: score further, in one go.
            ranks_itself = ranked.rank_form is None
            with gen.filters.pinned(paging.filters):
                more = self._top(
                    parsed.query if ranks_itself else ranked.rank_query,
                    parsed.form if ranks_itself else ranked.rank_form,  # type: ignore[arg-type]
                    max(stop, 2 * len(ranked.docnums)),
                    ranked.allow if ranked.allow is not None else gen.docsets.matches(parsed.form),
                )
            ranked.docnums, ranked.scores = more.docnums, more.scores

    # -- identities, for marking -------------------------------------------------------------

    def identities(self, results: Results) -> list[str]:
        """The identity of every story `results` matched, not just its first page (for "mark
        all read"): in result order as far as it is ranked, then the rest; each once."""
        with self._lock:
            gen = self._gen
            paging = results.handle if isinstance(results.handle, _Paging) else None
            if paging is None or paging.generation != gen.number:
                as_you_type = paging is not None and paging.as_you_type
                paging = self._resolve(gen, results.query, results.sort, 1, as_you_type)
            ranked = paging.ranked
            order = ranked.docnums
            if ranked.total > len(order):
                matches = ranked.allow
                if matches is None:
                    with gen.filters.pinned(paging.filters):
                        matches = gen.docsets.matches(paging.parsed.form)
                listed = set(order)
                order = [*order, *sorted(d for d in matches if d not in listed)]
            return gen.filters.identities(order)

    def all_identities(self) -> frozenset[str]:
        """The identity of every story in the index (what `state prune` keeps)."""
        with self._lock:
            return self._gen.filters.all_identities()

    # -- copies ------------------------------------------------------------------------------

    def copies(self, path: str) -> list[Hit]:
        """The other copies of the story at `path` (reprints of its body), oldest first, as
        rows; [] when it has none. StoryNotFoundError if `path` is not in the index."""
        with self._lock:
            gen = self._gen
            rel, _full = stories.locate(gen.archive, path)
            docnum = stories.docnum_of(gen.searcher, rel, path)
            others = [d for d in gen.copies.members(docnum) if d != docnum]
            rows = hit_rows(gen, others, [0.0] * len(others), frozenset())
        return sorted(rows, key=lambda hit: (hit.published or "", hit.path))

    # -- whole articles ----------------------------------------------------------------------

    def article(self, path: str) -> Article:
        """The full story: re-parsed from its file, or rebuilt from the index if the file is gone.

        `path` is a hit's path (absolute) or a path relative to the archive.
        """
        with self._lock:
            rel, full = stories.locate(self._gen.archive, path)
        article = stories.from_file(full) if full is not None else None
        if article is not None:
            return article
        with self._lock:
            stored = stories.stored_copy(self._gen.searcher, rel, path)
        return stories.from_index(stored, str(full) if full else rel)

    def spans(self, text: str, terms: frozenset[str]) -> list[Span]:
        """Highlight spans for `terms` (from `Results.terms`) in any text, e.g. a whole body."""
        return find_spans(text, terms)

    # -- context: related stories, timeline and facets (`engine.related`, `engine.context`) ---

    def related(self, path: str, limit: int = 10) -> Results:
        """The `limit` stories most like the one at `path`, its copies left out, best first.

        A `Results` like a search's, so a front end lists and pages it the same way; its
        `query` is the story's key terms ORed, which is what a refresh re-runs.
        StoryNotFoundError if `path` is not in the index.
        """
        started = time.perf_counter()
        with self._lock:
            gen = self._gen
            rel, _full = stories.locate(gen.archive, path)
            docnum = stories.docnum_of(gen.searcher, rel, path)
            chosen = key_terms(gen, docnum)
            best = related_docnums(gen, chosen, limit, copies_of(gen, docnum))
            terms = frozenset(term.text for term in chosen)
            text = " OR ".join(sorted(terms))
            # What the query text parses to, built straight (a parse of 16 words costs more
            # than finding the stories): pages and identities read it, a refresh re-parses.
            query = wq.Or([wq.Term(field, t) for t in sorted(terms) for field in RELATED_FIELDS])
            parsed = ParsedQuery(query, translate(query), None, tuple(sorted(terms)))
            docnums = [d for d, _s in best]
            ranked = _Ranked(docnums, dict(best), len(docnums))
            paging = _Paging(False, gen.number, parsed, ranked)
            hits = hit_rows(gen, docnums, [s for _d, s in best], terms)
            return Results(
                query=text,
                sort=SortOrder.RELEVANCE,
                total=len(hits),
                hits=tuple(hits),
                elapsed_ms=(time.perf_counter() - started) * 1000,
                terms=terms,
                handle=paging,
            )

    def context(self, results: Results) -> Context:
        """The timeline and facets of every match of `results` (`engine.context`).

        They read the generation's story columns (`engine.story_columns`). Until those are
        read, a few matches are read on their own; more wait for the columns, which are
        read a slice at a time, letting searches run between the slices.
        """
        started = time.perf_counter()
        np = vector.load()
        while True:
            with self._lock:
                gen = self._gen
                paging = results.handle if isinstance(results.handle, _Paging) else None
                if paging is None or paging.generation != gen.number:
                    as_you_type = paging is not None and paging.as_you_type
                    paging = self._resolve(gen, results.query, results.sort, 1, as_you_type)
                docnums = story_context.as_array(np, _match_set(paging.ranked))
                columns = gen.story_columns
                if columns is None and len(docnums) <= story_columns.DIRECT_STORIES:
                    columns = story_columns.of_stories(gen.reader, gen.docsets.dates(), docnums)
            if columns is not None:
                break
            self._read_story_columns()  # then again, with the columns of the newest generation
        return Context(
            query=results.query,
            total=len(docnums),
            timeline=story_context.timeline(columns, docnums),
            facets=story_context.facets(columns, docnums),
            elapsed_ms=(time.perf_counter() - started) * 1000,
        )

    def prepare_context(self) -> None:
        """Read what `context` needs once per generation (the story columns), a slice at a
        time so that searches run meanwhile: the browser does it in a pause, so that the
        first timeline does not wait for it."""
        self._read_story_columns()

    def _read_story_columns(self) -> None:
        """Read the current generation's story columns unless they are, a slice per lock."""
        while True:
            with self._lock:
                gen = self._gen
                if gen.story_columns is not None:
                    return
                reading = _columns_reader(gen)
            while not reading.done:
                with self._lock:
                    if self._gen is not gen:
                        break  # refreshed meanwhile: read the new one
                    reading.read()
                # A lock is not fair: released and taken again at once, it would starve a
                # search waiting for it through every slice. A moment off lets one in.
                time.sleep(SLICE_PAUSE_S)
            with self._lock:
                if self._gen is gen and reading.done:
                    gen.story_columns = reading.finish()
                    return
