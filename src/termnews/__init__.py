"""termnews: search and read a local archive of news stories from the terminal."""

__version__ = "0.1.0"
