"""How postings are stored on disk (the codec) and read back as arrays (postings)."""
