"""What a sync has to do: which archive files are new, changed, gone or still unparseable.

A plan is computed from file signatures alone (modification time and size, read from the
index's columns), so an archive where nothing changed costs one directory walk and no writes.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from termnews.archive import ArchiveFile
from termnews.engine.schema import signature_text
from termnews.engine.store import indexed_signatures, open_index, read_skipped


@dataclass(frozen=True)
class Plan:
    add_new: tuple[ArchiveFile, ...]
    add_changed: tuple[ArchiveFile, ...]
    removed: tuple[str, ...]
    skipped: dict[str, tuple[str, str]]
    """Still-valid skip records (file unchanged since it failed)."""
    stale_skips: bool = False
    """A file that once failed has changed or gone: the skip list needs rewriting."""

    @property
    def is_empty(self) -> bool:
        return not (self.add_new or self.add_changed or self.removed or self.stale_skips)


def plan_sync(index_dir: Path, files: dict[str, ArchiveFile], everything: bool) -> Plan:
    """Compare the archive's files with the index; `everything` plans a whole rebuild."""
    if everything:
        return Plan(tuple(files.values()), (), (), {})
    ix = open_index(index_dir)
    with ix.reader() as reader:
        indexed = indexed_signatures(reader)
    known_bad = read_skipped(index_dir)
    new, changed, still_bad = [], [], {}
    for rel, item in files.items():
        sig = signature_text(item.mtime_ns, item.size)
        if rel in indexed:
            if indexed[rel] != sig:
                changed.append(item)
        elif rel in known_bad and known_bad[rel][0] == sig:
            still_bad[rel] = known_bad[rel]
        else:
            new.append(item)
    removed = tuple(rel for rel in indexed if rel not in files)
    stale = bool(set(known_bad) - set(still_bad))
    return Plan(tuple(new), tuple(changed), removed, still_bad, stale)
