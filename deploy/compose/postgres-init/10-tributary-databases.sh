#!/bin/sh
# Creates one database and one least-privilege login per Tributary service, plus the demo warehouse,
# the first time the PostgreSQL volume is initialised (docker-entrypoint-initdb.d runs only on an
# empty data directory: change a password later with ALTER ROLE, or `docker compose down -v`).
#
# Each login owns its database and nothing else: no superuser, no CREATEDB, no CREATEROLE, and
# PUBLIC may not connect to it, so a service cannot open another service's database. The same
# model as deploy/local (ServiceDatabases) and as production. Passwords come from the environment
# (docker-compose.yml requires them) and reach SQL as psql variables, quoted by psql.
set -eu

refuse_placeholder() { # NAME VALUE
    case "$2" in
        change-me*) echo "postgres-init: $1 is still the .env.example placeholder; set a real secret in .env (deploy/compose/generate-env.sh)" >&2
                    exit 1 ;;
    esac
}

create() { # DATABASE LOGIN PASSWORD-VARIABLE
    password=$(printenv "$3" || true)
    [ -n "$password" ] || { echo "postgres-init: $3 is not set" >&2; exit 1; }
    refuse_placeholder "$3" "$password"
    psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres \
        -v db="$1" -v login="$2" -v pw="$password" <<'SQL'
CREATE ROLE :"login" LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS
    CONNECTION LIMIT 64 PASSWORD :'pw';
CREATE DATABASE :"db" OWNER :"login";
REVOKE ALL ON DATABASE :"db" FROM PUBLIC;
SQL
    echo "postgres-init: database $1 (login $2) created"
}

refuse_placeholder POSTGRES_PASSWORD "$POSTGRES_PASSWORD"
create trigger_service      trigger_service      TRIGGER_DB_PASSWORD
create sync_monitor_service sync_monitor_service MONITOR_DB_PASSWORD
create transform_service    transform_service    TRANSFORM_DB_PASSWORD
create notifier_service     notifier_service     NOTIFIER_DB_PASSWORD
create console_service      console_service      CONSOLE_DB_PASSWORD
# The demo warehouse: the Airbyte sandbox loads raw_shop.* into it, dbt builds the marts in it.
create warehouse            warehouse            WAREHOUSE_PASSWORD
