"""Screens pushed over the browser: the help reference and the full-screen article."""
