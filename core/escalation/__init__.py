"""Escalation: checks run on a second reading (an LLM's, another OCR engine's) before it is trusted."""
