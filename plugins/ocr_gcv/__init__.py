"""Google Cloud Vision OCR engine (document_text_detection) — built with the escalation work (issue 5)."""
