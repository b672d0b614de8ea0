"""One generation of the index: the reader and everything read from it, swapped as a whole.

A sync writes a new generation. Document numbers, the match sets and posting arrays built
from them, the term lists completion and suggestion read, the query parser over the schema:
each is valid for the reader it came from, and mixing two generations' parts would find
the wrong stories. Keeping them in one object makes a refresh one assignment, and lets a
page of older results tell that it came from another generation (`number`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from termnews.engine.complete import Completer
from termnews.engine.lexicon import Lexicon
from termnews.engine.matching.matchsets import DocSets
from termnews.engine.query.language import make_parser
from termnews.engine.store import archive_of
from termnews.engine.suggest import Suggester


class Generation:
    """The open reader of one index generation, its caches, and what is built from it.

    Not thread-safe: the Searcher holds its lock around every use once it is shared (a new
    one is opened and warmed by one thread before it is).
    """

    def __init__(self, ix: Any, index_dir: Path, number: int) -> None:
        self.number = number
        self.searcher = ix.searcher()
        self.reader = self.searcher.reader()
        self.docsets = DocSets(self.searcher)
        self.parser = make_parser(self.searcher.schema)
        self.archive: Path | None = archive_of(index_dir)
        self.lexicon = Lexicon(self.reader)
        self.completer = Completer(self.lexicon, self.reader.doc_count_all())
        self.suggester = Suggester(self.lexicon, self.reader, self.docsets.term)
        self.warmed = False

    def up_to_date(self) -> bool:
        return bool(self.searcher.up_to_date())

    def warm_up(self) -> None:
        """Read the term lists typeahead and suggestions use, ahead of the first need."""
        self.suggester.warm_up()
        self.warmed = True

    def close(self) -> None:
        self.searcher.close()
