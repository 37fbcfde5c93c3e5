"""API rate limits per address, per user and per school, on Redis or in-process (the counting; the
API's middleware that applies them is core/api/rate_limits.py)."""
