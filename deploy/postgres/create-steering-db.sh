#!/bin/sh
# Runs once, when the PostgreSQL volume is new: the steering store gets its own database
# next to Prefect's (POSTGRES_DB). Both belong to POSTGRES_USER.
set -eu
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" <<SQL
CREATE DATABASE steering OWNER "$POSTGRES_USER";
SQL
