"""Upload safety: the file's type read from its bytes, and limits checked before anything decodes it."""
