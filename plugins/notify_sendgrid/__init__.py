"""SendGrid email notifier (v3 mail send): branded templates, retries, a per-user rate limit."""
