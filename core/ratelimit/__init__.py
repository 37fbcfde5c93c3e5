"""API rate limits per address, per user and per school, on Redis or in-process (``middleware``)."""
