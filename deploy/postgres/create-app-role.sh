#!/bin/sh
# First start of the compose PostgreSQL: the role the app connects as. It owns nothing, so
# row-level security binds it; `timetabler migrate` (as the owner) grants it what it needs.
set -eu
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" <<SQL
CREATE ROLE timetabler_app LOGIN PASSWORD '${TIMETABLER_APP_DB_PASSWORD}' NOSUPERUSER NOBYPASSRLS;
SQL
