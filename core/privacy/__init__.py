"""Data protection: erasing a user or a school, exporting a user's data, engine credentials kept
encrypted, the periodic retention run and the web's security headers (CORS per school, HSTS, CSP)."""
