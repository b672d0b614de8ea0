"""Which stories match: exact match sets by set algebra, and phrases by position keys."""
