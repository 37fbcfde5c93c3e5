"""The district and school admin console (Jinja2, server-rendered) — arrives with issue 4."""
