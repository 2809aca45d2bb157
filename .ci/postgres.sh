#!/usr/bin/env bash
# Start a throwaway PostgreSQL cluster on 127.0.0.1:5433 and create the test database.
# Prints the DATABASE_URL to use. Installs Debian's postgresql when missing.
set -euo pipefail
PGBIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
if [ -z "$PGBIN" ] || [ ! -x "$PGBIN/initdb" ]; then
  apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >&2
  PGBIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
fi
PORT=${PGPORT_TEST:-5433}
PGD=$(mktemp -d /tmp/pgci.XXXX)
chown postgres: "$PGD"
su postgres -c "$PGBIN/initdb -D $PGD -A trust -U postgres --no-sync >/dev/null"
# In the configuration file, so a restart (the load test stops the server) keeps them.
cat >> "$PGD/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
port = $PORT
unix_socket_directories = '$PGD'
fsync = off
CONF
su postgres -c "$PGBIN/pg_ctl -D $PGD -l $PGD/log -w start >/dev/null"
su postgres -c "$PGBIN/createdb -h 127.0.0.1 -p $PORT -U postgres app_test"
echo "$PGD" > /tmp/pgci.current
echo "postgresql+psycopg://postgres@127.0.0.1:$PORT/app_test"
