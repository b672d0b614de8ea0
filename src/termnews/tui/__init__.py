"""The Textual browser. This is the only package in termnews that imports Textual.

Keeping Textual behind this boundary lets `termnews parse`, `index` and `search` start without
paying for its import, and keeps the core testable without a terminal.
"""

import os

#: Textual paints at most MAX_FPS times a second and holds every change for one frame, so at
#: its default of 60 a keystroke's results wait up to 17 ms before they are drawn. 120 halves
#: that wait; it sends no extra frames, because nothing here animates or blinks. Set before
#: Textual is first imported (it reads the variable once); a user's own setting wins.
os.environ.setdefault("TEXTUAL_FPS", "120")
