"""Where the bundled sample stories are, for `termnews --demo` and `make run`.

An installed wheel carries them inside the package (`termnews/sample_articles`, force-included
by pyproject); an editable or source checkout has them at the repository root.
"""

from __future__ import annotations

from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent


def sample_articles_dir() -> Path | None:
    """The bundled sample archive, or None when this install somehow lacks it."""
    candidates = (
        PACKAGE_DIR / "sample_articles",  # inside an installed wheel
        PACKAGE_DIR.parent.parent / "sample_articles",  # <repo>/src/termnews -> <repo>
    )
    for candidate in candidates:
        if candidate.is_dir():
            return candidate
    return None
