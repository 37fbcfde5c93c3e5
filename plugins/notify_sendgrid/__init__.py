"""SendGrid email notifier (v3 mail send) — built with the notifications work (issue 6)."""
