"""The one switch of the copies: on unless a benchmark turns it off."""

from __future__ import annotations

import os

#: Set to "off" to index without finding copies: only for measuring what finding them costs
#: (`benchmarks/bench_index.py`); every story is then a singleton.
SWITCH = "TERMNEWS_COPIES"


def copies_enabled() -> bool:
    return os.environ.get(SWITCH, "on") != "off"
