# A throwaway PostgreSQL cluster, for .ci/test-suite (`make test`) and bench/on-postgres
# (`make bench-postgres`). Source it from the repository's root with BIN set (the venv's bin):
# start_postgres starts a cluster on a free port of 127.0.0.1 with an empty database "souk"
# (user postgres, no password) and sets pg_dir, pg_bin, pg_as and pg_port; stop_postgres stops
# it and deletes its files (call it from an EXIT trap).
pg_dir=""
pg_bin=""
pg_as=()
pg_port=""

stop_postgres() {
  [ -n "$pg_dir" ] || return 0
  "${pg_as[@]}" "$pg_bin/pg_ctl" -D "$pg_dir/data" -m fast -w stop >/dev/null 2>&1
  rm -rf "$pg_dir"
  pg_dir=""
}

start_postgres() {
  pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  if [ ! -x "$pg_bin/initdb" ]; then
    echo "error: no PostgreSQL server under /usr/lib/postgresql: apt-get install postgresql" >&2
    return 1
  fi
  pg_dir=$(mktemp -d /tmp/souk-pg.XXXXXX)
  # The server refuses to run as root: the cluster belongs to the postgres user.
  if [ "$(id -u)" -eq 0 ]; then
    chown postgres: "$pg_dir"
    pg_as=(runuser -u postgres --)
  fi
  pg_port=$("$BIN/python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  "${pg_as[@]}" "$pg_bin/initdb" -D "$pg_dir/data" -U postgres --auth=trust -E UTF8 \
    --locale=C.UTF-8 >"$pg_dir/initdb.log" 2>&1 || { cat "$pg_dir/initdb.log"; return 1; }
  # Durability off: a throwaway cluster trades it for speed.
  "${pg_as[@]}" "$pg_bin/pg_ctl" -D "$pg_dir/data" -l "$pg_dir/server.log" -w -t 60 -o \
    "-p $pg_port -k $pg_dir -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
    start >/dev/null || { cat "$pg_dir/server.log"; return 1; }
  "${pg_as[@]}" "$pg_bin/createdb" -h 127.0.0.1 -p "$pg_port" -U postgres souk || return 1
  echo "PostgreSQL $("$pg_bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$pg_port ($pg_dir)"
}
