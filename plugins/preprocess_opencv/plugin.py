"""OpenCV preprocessor (stub replaced below)."""
