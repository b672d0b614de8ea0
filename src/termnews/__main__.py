"""Lets `python -m termnews` behave exactly like the `termnews` entry point."""

import sys

from termnews.cli import main

sys.exit(main())
