"""Tesseract OCR engine (stub replaced below)."""
