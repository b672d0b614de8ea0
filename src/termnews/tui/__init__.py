"""The Textual browser. This is the only package in termnews that imports Textual.

Keeping Textual behind this boundary lets `termnews parse`, `index` and `search` start without
paying for its import, and keeps the core testable without a terminal.
"""
