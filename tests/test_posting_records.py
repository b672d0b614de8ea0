"""A term's postings found from its records in the terms files equal those Whoosh finds.

Typeahead reads the posting lists of a partial word's completions through the places the
term lists recorded (`Lexicon.records`), not through Whoosh's hash lookups. The index here
has several segments (three syncs) and deleted stories.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest

from termnews.engine import vector
from termnews.engine.schema import DEFAULT_FIELDS
from termnews.engine.searcher import Searcher
from termnews.engine.storage.postings import PostingCache
from termnews.engine.sync import sync


@pytest.fixture(scope="module")
def index_dir(tmp_path_factory: pytest.TempPathFactory, gen: ModuleType) -> Path:
    root = tmp_path_factory.mktemp("records")
    archive = root / "archive"
    for part, seed in enumerate((3, 5, 8)):
        gen.generate(60, archive / f"part{part}", seed=seed, words=120)
        sync(archive, root / "index", procs=1)
    for path in sorted(archive.rglob("*.txt"))[::9]:
        path.unlink()
    sync(archive, root / "index", procs=1)
    return root / "index"


@pytest.fixture
def searcher(index_dir: Path) -> Iterator[Searcher]:
    with Searcher(index_dir) as opened:
        yield opened


def test_the_index_has_what_the_comparison_needs(searcher: Searcher) -> None:
    reader = searcher._gen.reader
    assert len(list(reader.leaf_readers())) > 1
    assert reader.has_deletions()


@pytest.mark.parametrize("field", DEFAULT_FIELDS)
def test_postings_read_from_records_equal_whooshs(searcher: Searcher, field: str) -> None:
    gen = searcher._gen
    lexicon = gen.lexicon
    terms = lexicon.terms(field).terms
    assert terms
    direct = PostingCache(gen.searcher, terms=lexicon)
    through_whoosh = PostingCache(gen.searcher)
    for term in [*terms, "nosuchwordanywhere"]:
        assert lexicon.records(field, term) is not None
        got = direct.get(field, term)
        want = through_whoosh.get(field, term)
        assert got.ids == want.ids, term
        assert got.weights == want.weights, term
        assert got.refs == want.refs, term


@pytest.mark.parametrize("field", ["headline", "body"])
def test_positions_read_from_records_equal_whooshs(searcher: Searcher, field: str) -> None:
    """A phrase decodes an uncached term's postings and positions in one pass."""
    gen = searcher._gen
    np = vector.load()
    for term in gen.lexicon.terms(field).terms[::5]:
        direct = PostingCache(gen.searcher, terms=gen.lexicon)
        got_docs, got_posns = direct.occurrences(field, term, None, np)
        want_docs, want_posns = PostingCache(gen.searcher).occurrences(field, term, None, np)
        assert got_docs.tolist() == want_docs.tolist(), term
        assert got_posns.tolist() == want_posns.tolist(), term


def test_records_are_not_read_for_a_keystroke(searcher: Searcher) -> None:
    """A field's term list is read ahead, apart: until it is, Whoosh finds the term."""
    lexicon = searcher._gen.lexicon
    assert not lexicon.loaded("caption")
    assert lexicon.records("caption", "harbour") is None
    assert not lexicon.loaded("caption")


def test_a_vocabulary_too_large_keeps_no_places(
    searcher: Searcher, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Past `MAX_PLACES` the term list keeps only terms and frequencies; postings are then
    found through Whoosh, and are the same."""
    from termnews.engine import lexicon as lexicon_module

    monkeypatch.setattr(lexicon_module, "MAX_PLACES", 10)
    gen = searcher._gen
    terms = lexicon_module.Lexicon(gen.reader).terms("body")
    assert terms.records(terms.terms[0]) is None
    assert len(terms.terms) == len(gen.lexicon.terms("body").terms)
