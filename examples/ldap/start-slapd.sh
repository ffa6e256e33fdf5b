#!/usr/bin/env bash
# Start (or stop) the example LDAP server: Debian's slapd with its config and data in a temp
# folder, loaded from directory.ldif, listening on 127.0.0.1:${LDAP_PORT:-3389}. No system-wide
# slapd config is read or changed.
#   examples/ldap/start-slapd.sh          start (again: restarts with fresh data)
#   examples/ldap/start-slapd.sh stop     stop it (by its pid) and remove the folder
# Needs slapd (apt-get install slapd ldap-utils).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
dir="${TMPDIR:-/tmp}/orgsync-example-slapd"
port="${LDAP_PORT:-3389}"
slapd="${SLAPD:-/usr/sbin/slapd}"
slapadd="${SLAPADD:-/usr/sbin/slapadd}"

stop() {
  if [ -f "$dir/slapd.pid" ]; then
    pid="$(cat "$dir/slapd.pid")"
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  fi
  rm -rf "$dir"
}

stop
[ "${1:-start}" = "stop" ] && { echo "example slapd stopped"; exit 0; }
[ -x "$slapd" ] || { echo "slapd not found: apt-get install slapd ldap-utils" >&2; exit 1; }

mkdir -p "$dir/db"
cat > "$dir/slapd.conf" <<CONF
include /etc/ldap/schema/core.schema
include /etc/ldap/schema/cosine.schema
include /etc/ldap/schema/inetorgperson.schema
modulepath /usr/lib/ldap
moduleload back_mdb
moduleload ppolicy
pidfile $dir/slapd.pid
sizelimit unlimited
database mdb
suffix "dc=acme,dc=com"
directory $dir/db
maxsize 104857600
overlay ppolicy
# The sync account reads people and groups (and binds); nobody else reads anything.
access to attrs=userPassword
  by anonymous auth
  by * none
access to dn.subtree="ou=people,dc=acme,dc=com"
  by dn.exact="cn=orgsync-reader,ou=services,dc=acme,dc=com" read
  by * none
access to dn.subtree="ou=groups,dc=acme,dc=com"
  by dn.exact="cn=orgsync-reader,ou=services,dc=acme,dc=com" read
  by * none
access to * by * none
CONF
"$slapadd" -q -f "$dir/slapd.conf" -l "$here/directory.ldif"
"$slapd" -f "$dir/slapd.conf" -h "ldap://127.0.0.1:$port/"
for _ in $(seq 1 50); do [ -f "$dir/slapd.pid" ] && break; sleep 0.1; done
echo "example slapd listening on ldap://127.0.0.1:$port (pid $(cat "$dir/slapd.pid"), files in $dir)"
echo "stop it with: examples/ldap/start-slapd.sh stop"
