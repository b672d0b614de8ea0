"""One module per CLI command. Each exposes `register(subparsers)` and `run(args) -> int`.

Command modules import their heavy dependencies (whoosh, textual) inside `run`, so that
`termnews --version` and `termnews parse` start fast and never load Textual.
"""
