"""Lets `python -m termnews` behave exactly like the `termnews` entry point."""

import sys

from termnews.cli import main

if __name__ == "__main__":  # worker processes re-import this module under another name
    sys.exit(main())
