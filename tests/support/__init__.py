"""What the tests share: real servers and running stacks, fake outside services, accounts, documents.

- servers.py: throwaway PostgreSQL, Redis and S3 (moto) servers on loopback ports.
- shared.py: one of each for the whole session, handed out as a fresh database, Redis number, bucket.
- stacks.py: `timetabler serve` (and workers) as real processes, and their settings.
- accounts.py: people signed up through the API (teachers, invited staff, platform admins, districts).
- fakes/: the outside services the product calls (Stripe, SendGrid, Web Push, Vision, Anthropic),
  faked on loopback.
- unsure.py: readings the product is not sure of (a drawn timetable; a low-scoring plugin).
- fixtures.py: the pytest fixtures of all the above, loaded for every test by tests/conftest.py.
"""
