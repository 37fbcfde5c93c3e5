"""The teacher's app: a per-school installable web app (PWA) served by the API's own process."""
