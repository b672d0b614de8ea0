"""News in: fetch subscribed feeds and turn their entries into wire stories in termnews's archive.

Imports httpx, feedparser and trafilatura; never the engine, the browser or Whoosh.
"""
