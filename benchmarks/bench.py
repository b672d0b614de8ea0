"""The benchmark entry point: one command for the parse, index and UI benchmarks.

    bench.py parse --corpus DIR [--json] [--limit N]
    bench.py ui --corpus DIR [--skip-100k] [--seed N] [...]
    bench.py [index] --corpus DIR [--json] [--seed N] [--queries-from FILE.json] [...]
    bench.py fetch [--feeds N] [--entries N] [--json]
    bench.py peer --corpus DIR [--rounds N] [--json]
    bench.py scale [--sizes 20000,100000,300000] [--root DIR] [--table-only]

DIR may be a synthetic corpus (`gen_corpus.py N DIR`) or any real archive, such as the wire
stories `reuters_to_wire.py` makes: the index and browser benchmarks draw every query and
typed word from the index they build (`bench_queries.py`), never from the generator.

Each benchmark lives in its own module (bench_parse, bench_index, bench_ui, bench_fetch,
bench_peer, bench_scale) with `main(argv) -> int`; this file only routes to it. The modules
are imported lazily so that one benchmark's imports (Whoosh, Textual) never slow down or
break another.
"""

from __future__ import annotations

import importlib
import sys
from pathlib import Path
from types import ModuleType

BENCH_DIR = Path(__file__).resolve().parent
COMMANDS = {
    "parse": "bench_parse",
    "index": "bench_index",
    "ui": "bench_ui",
    "fetch": "bench_fetch",
    "peer": "bench_peer",
    "scale": "bench_scale",
}
DEFAULT = "index"


def _load(module_name: str) -> ModuleType | None:
    if str(BENCH_DIR) not in sys.path:
        sys.path.insert(0, str(BENCH_DIR))
    try:
        return importlib.import_module(module_name)
    except ModuleNotFoundError as error:
        # Only "this benchmark is not written yet" is a clean exit; a missing dependency
        # inside the module is a real failure and keeps its traceback.
        if error.name != module_name:
            raise
        return None


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if args and args[0] in ("-h", "--help"):
        print(__doc__)
        return 0
    command = DEFAULT
    if args and args[0] in COMMANDS:
        command = args.pop(0)
    module_name = COMMANDS[command]
    module = _load(module_name)
    if module is None:
        print(
            f"bench: the {command} benchmark is missing "
            f"({BENCH_DIR / (module_name + '.py')} does not exist yet)",
            file=sys.stderr,
        )
        return 2
    entry = getattr(module, "main", None)
    if not callable(entry):
        print(f"bench: {module_name}.py has no main(argv) function", file=sys.stderr)
        return 2
    return int(entry(args) or 0)


if __name__ == "__main__":
    sys.exit(main())
