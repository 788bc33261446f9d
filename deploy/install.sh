#!/usr/bin/env bash
# First installation of the portal on Debian 12, and every later one: run as root
# from the code's folder, e.g.
#
#   git clone <repository> /srv/portal
#   SITE_HOST=news.example.org CERTBOT_EMAIL=ops@example.org /srv/portal/deploy/install.sh
#
# The steps of README.md, "Deployment", in order; each is safe to repeat:
#   1. Debian packages (postgresql, nginx, python3-venv, certbot) when missing
#   2. the system user "portal"; var/ and var/media/ owned by it
#   3. .venv from requirements.lock only (no test tools), again when the lock changes
#   4. the environment file, made once with a generated SECRET_KEY and database
#      password; an existing one is used as it is (nothing is asked then). Readers'
#      mail goes to the machine's own mail server (EMAIL_URL=smtp://localhost:25)
#      until the operator names a provider's there
#   5. the PostgreSQL role and database of DATABASE_URL, created as the postgres user
#      (a local server only); the role's password is set to the URL's
#   6. migrate, collectstatic, load_seed, setup_roles, check --deploy, as the user
#   7. the systemd units (the site, the job worker), enabled and restarted (a restart
#      reads the environment anew)
#   8. nginx: Debian's default site off; HTTP only until a certificate exists,
#      `certbot certonly --webroot` through it, then the whole site with HTTPS
#
# Variables (defaults in brackets). The paths let a test install into a folder:
#   SITE_HOST        host name; default the first of ALLOWED_HOSTS of the environment
#                    file; asked for on a terminal when there is neither
#   CERTBOT_EMAIL    Let's Encrypt account address [none: registers without one]
#   PORTAL_ROOT      the install folder, holding the code [the folder above deploy/]
#   PORTAL_USER      the service's system user [portal]
#   ENV_FILE         [/etc/portal/portal.env]
#   SYSTEMD_DIR      [/etc/systemd/system]   NGINX_DIR [/etc/nginx]
#   ACME_ROOT        certbot's challenge folder [/var/www/letsencrypt]
#   TLS_CERT, TLS_KEY  [/etc/letsencrypt/live/$SITE_HOST/fullchain.pem, privkey.pem]
#   HTTP_LISTEN, HTTPS_LISTEN  nginx's listen addresses [80, 443]
#   LISTEN_IPV6      yes: also listen on [::] with the same ports [yes]
#   DB_HOST, DB_PORT for a new DATABASE_URL [127.0.0.1, 5432]
#   GUNICORN_BIND    for a new environment file [127.0.0.1:8000]
#   PG_OS_USER       the system user psql runs as to create the role [postgres]
#                    (PGHOST, PGPORT, PGUSER are passed on to that psql)
#   INSTALL_PACKAGES no: skip step 1 [yes]
#   PYTHON           the interpreter of the virtualenv [/usr/bin/python3, Debian's]:
#                    never one under /root or /home, which the unit's ProtectHome hides
#   SYSTEMCTL, CERTBOT, NGINX  the commands [systemctl, certbot, nginx]
set -euo pipefail

here=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)
PORTAL_ROOT=${PORTAL_ROOT:-$(dirname "$here")}
PORTAL_USER=${PORTAL_USER:-portal}
ENV_FILE=${ENV_FILE:-/etc/portal/portal.env}
SYSTEMD_DIR=${SYSTEMD_DIR:-/etc/systemd/system}
NGINX_DIR=${NGINX_DIR:-/etc/nginx}
ACME_ROOT=${ACME_ROOT:-/var/www/letsencrypt}
HTTP_LISTEN=${HTTP_LISTEN:-80}
HTTPS_LISTEN=${HTTPS_LISTEN:-443}
LISTEN_IPV6=${LISTEN_IPV6:-yes}
DB_HOST=${DB_HOST:-127.0.0.1}
DB_PORT=${DB_PORT:-5432}
PG_OS_USER=${PG_OS_USER:-postgres}
INSTALL_PACKAGES=${INSTALL_PACKAGES:-yes}
PYTHON=${PYTHON:-/usr/bin/python3}
read -ra SYSTEMCTL <<<"${SYSTEMCTL:-systemctl}"
read -ra CERTBOT <<<"${CERTBOT:-certbot}"
read -ra NGINX <<<"${NGINX:-nginx}"

say() { printf '== %s %s\n' "$(date +%T)" "$*"; }
fail() {
    echo "install.sh: $*" >&2
    exit 1
}

[[ $EUID -eq 0 ]] || fail "run it as root (it creates a user, folders, a database and units)"
[[ -f $PORTAL_ROOT/manage.py ]] || fail "PORTAL_ROOT=$PORTAL_ROOT holds no manage.py: put the code there"

install_packages() {
    [[ $INSTALL_PACKAGES == yes ]] || return 0
    local wanted=(postgresql nginx python3-venv certbot) missing=() pkg
    for pkg in "${wanted[@]}"; do
        dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'ok installed' || missing+=("$pkg")
    done
    ((${#missing[@]})) || return 0
    say "installing ${missing[*]}"
    apt-get update
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}"
}

create_user_and_folders() {
    if ! getent passwd "$PORTAL_USER" >/dev/null; then
        say "creating the system user $PORTAL_USER"
        useradd --system --home-dir "$PORTAL_ROOT/var" --no-create-home \
            --shell /usr/sbin/nologin "$PORTAL_USER"
    fi
    # The service writes uploads only; nginx (www-data) reads them and staticfiles/.
    install -d -m 0751 -o "$PORTAL_USER" -g "$PORTAL_USER" "$PORTAL_ROOT/var"
    install -d -m 0755 -o "$PORTAL_USER" -g "$PORTAL_USER" "$PORTAL_ROOT/var/media"
    install -d -m 0755 -o "$PORTAL_USER" -g "$PORTAL_USER" "$PORTAL_ROOT/staticfiles"
}

create_virtualenv() {
    local venv=$PORTAL_ROOT/.venv stamp
    stamp=$venv/.installed-runtime-$(cksum <"$PORTAL_ROOT/requirements.lock" | cut -d' ' -f1)
    [[ -f $stamp ]] && return 0
    say "virtualenv $venv from requirements.lock"
    [[ -x $venv/bin/python ]] || "$PYTHON" -m venv "$venv"
    case $(readlink -f "$venv/bin/python") in
        /root/* | /home/*)
            fail "$venv/bin/python is $(readlink -f "$venv/bin/python"), which the service" \
                "cannot run (ProtectHome): remove $venv and set PYTHON=/usr/bin/python3" ;;
    esac
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check \
        -r "$PORTAL_ROOT/requirements.lock"
    rm -f "$venv"/.installed-runtime-* && touch "$stamp"
}

# A value of the environment file as written there (no shell expansion).
env_value() { sed -n "s/^$1=//p" "$ENV_FILE" | tail -n 1; }

choose_host() {
    [[ -n ${SITE_HOST:-} ]] && return 0
    if [[ -f $ENV_FILE ]]; then
        SITE_HOST=$(env_value ALLOWED_HOSTS | cut -d, -f1)
    elif [[ -t 0 ]]; then
        read -rp "The site's host name (e.g. news.example.org): " SITE_HOST
    fi
    [[ ${SITE_HOST:-} =~ ^[A-Za-z0-9.-]+$ ]] \
        || fail "set SITE_HOST=<the site's host name> (no environment file $ENV_FILE to read it from)"
}

write_env_file() {
    [[ -f $ENV_FILE ]] && return 0
    say "writing $ENV_FILE (a new secret key and database password)"
    local secret password
    # URL-safe characters only: the password goes into DATABASE_URL unencoded.
    secret=$("$PYTHON" -c 'import secrets; print(secrets.token_urlsafe(50))')
    password=$("$PYTHON" -c 'import secrets; print(secrets.token_urlsafe(24))')
    install -d -m 0755 "$(dirname "$ENV_FILE")"
    (
        umask 077
        sed -e "s|^SECRET_KEY=.*|SECRET_KEY=$secret|" \
            -e "s|^ALLOWED_HOSTS=.*|ALLOWED_HOSTS=$SITE_HOST|" \
            -e "s|^DATABASE_URL=.*|DATABASE_URL=postgres://portal:$password@$DB_HOST:$DB_PORT/portal|" \
            -e "s|^MEDIA_ROOT=.*|MEDIA_ROOT=$PORTAL_ROOT/var/media|" \
            -e "s|^GUNICORN_BIND=.*|GUNICORN_BIND=${GUNICORN_BIND:-127.0.0.1:8000}|" \
            -e "s|^SITE_URL=.*|SITE_URL=https://$SITE_HOST|" \
            -e "s|^DEFAULT_FROM_EMAIL=.*|DEFAULT_FROM_EMAIL=news@$SITE_HOST|" \
            "$PORTAL_ROOT/deploy/portal.env.example" >"$ENV_FILE.new"
        mv "$ENV_FILE.new" "$ENV_FILE"
    )
    chown root:root "$ENV_FILE"
    chmod 0600 "$ENV_FILE"
}

load_env_file() {
    set -a
    # shellcheck disable=SC1090
    . "$ENV_FILE"
    set +a
    [[ -n ${DATABASE_URL:-} ]] || fail "$ENV_FILE: DATABASE_URL is not set"
    GUNICORN_BIND=${GUNICORN_BIND:-127.0.0.1:8000}
}

# DATABASE_URL's parts, the password percent-decoded, separated by NUL.
database_parts() {
    "$PYTHON" - <<'PY'
import os, sys
from urllib.parse import unquote, urlsplit

url = urlsplit(os.environ["DATABASE_URL"])
if url.scheme not in {"postgres", "postgresql", "pgsql"}:
    sys.exit(f"DATABASE_URL: {url.scheme}:// is not PostgreSQL")
host = unquote(url.hostname or "")
fields = [host, unquote(url.username or ""), unquote(url.password or ""), unquote(url.path[1:])]
sys.stdout.write("\0".join(fields))
PY
}

create_database() {
    local parts host user password name
    mapfile -d '' parts < <(database_parts) || true
    ((${#parts[@]} == 4)) || fail "$ENV_FILE: DATABASE_URL is not a postgres://user:password@host:port/name address"
    host=${parts[0]} user=${parts[1]} password=${parts[2]} name=${parts[3]}
    if [[ ! $host =~ ^(127\.0\.0\.1|localhost|::1|/.*)?$ ]]; then
        say "database on $host: create the role $user and the database $name there yourself"
        return 0
    fi
    [[ -n $user && -n $name ]] || fail "$ENV_FILE: DATABASE_URL needs a user and a database name"
    say "PostgreSQL role $user and database $name"
    # The password reaches psql through the environment, never its command line.
    # A URL without a password (a socket and peer authentication) leaves the role's alone.
    local has_password=false
    [[ -n $password ]] && has_password=true
    (cd / && PORTAL_DB_PASSWORD=$password runuser -u "$PG_OS_USER" -- \
        psql -X -q -v ON_ERROR_STOP=1 -v role="$user" -v db="$name" \
        -v has_password="$has_password" -d postgres) <<'SQL'
\getenv password PORTAL_DB_PASSWORD
SELECT format('CREATE ROLE %I LOGIN', :'role')
    WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = :'role') \gexec
\if :has_password
ALTER ROLE :"role" WITH LOGIN PASSWORD :'password';
\endif
SELECT format('CREATE DATABASE %I OWNER %I', :'db', :'role')
    WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = :'db') \gexec
SQL
}

manage() { ENV_FILE=$ENV_FILE PORTAL_USER=$PORTAL_USER "$PORTAL_ROOT/deploy/manage" "$@"; }

prepare_application() {
    say "migrate, collectstatic, load_seed, setup_roles (as $PORTAL_USER)"
    manage migrate --noinput
    manage collectstatic --noinput --verbosity 0
    manage load_seed
    manage setup_roles --verbosity 0
    manage check --deploy --fail-level WARNING
}

install_unit() {
    local unit
    install -d "$SYSTEMD_DIR"
    # The web service and the job worker: the same folder, user and environment.
    for unit in portal portal-worker; do
        say "systemd unit $SYSTEMD_DIR/$unit.service"
        sed -e "s|/srv/portal|$PORTAL_ROOT|g" -e "s|/etc/portal/portal.env|$ENV_FILE|g" \
            -e "s|^User=portal$|User=$PORTAL_USER|" -e "s|^Group=portal$|Group=$PORTAL_USER|" \
            "$PORTAL_ROOT/deploy/$unit.service" >"$SYSTEMD_DIR/$unit.service.new"
        chmod 0644 "$SYSTEMD_DIR/$unit.service.new"
        mv "$SYSTEMD_DIR/$unit.service.new" "$SYSTEMD_DIR/$unit.service"
    done
    "${SYSTEMCTL[@]}" daemon-reload
    for unit in portal portal-worker; do
        "${SYSTEMCTL[@]}" enable "$unit"
        # Not reload: gunicorn's workers keep the environment they were started with,
        # and the job worker must load the new code.
        "${SYSTEMCTL[@]}" restart "$unit"
    done
}

# deploy/nginx-portal.conf with the substitutions its header lists (comments are left
# as they are); "http" stops before the HTTPS server (until a certificate exists).
render_site() {
    local port80=${HTTP_LISTEN##*:} port443=${HTTPS_LISTEN##*:} drop_ipv6=
    [[ $LISTEN_IPV6 == yes ]] || drop_ipv6='/listen \[::\]/d'
    awk -v part="$1" 'part == "http" && /^# HTTPS -/ { exit } { print }' \
        "$PORTAL_ROOT/deploy/nginx-portal.conf" \
        | sed -e '/^[[:space:]]*#/b' \
            -e "s|^\( *ssl_certificate\) .*|\1 $TLS_CERT;|" \
            -e "s|^\( *ssl_certificate_key\) .*|\1 $TLS_KEY;|" \
            -e "s|news\.example\.org|$SITE_HOST|g" \
            -e "s|/srv/portal/|$PORTAL_ROOT/|g" \
            -e "s|127\.0\.0\.1:8000|$GUNICORN_BIND|g" \
            -e "s|/var/www/letsencrypt|$ACME_ROOT|g" \
            -e "s|listen 80;|listen $HTTP_LISTEN;|" -e "s|listen \[::\]:80;|listen [::]:$port80;|" \
            -e "s|listen 443 |listen $HTTPS_LISTEN |" -e "s|listen \[::\]:443 |listen [::]:$port443 |" \
            -e "$drop_ipv6"
}

put_site() {
    local site=$NGINX_DIR/sites-available/portal
    install -d "$NGINX_DIR/sites-available" "$NGINX_DIR/sites-enabled"
    render_site "$1" >"$site.new"
    mv "$site.new" "$site"
    ln -sfn ../sites-available/portal "$NGINX_DIR/sites-enabled/portal"
    # Debian's default site listens on :80 too and would answer first.
    rm -f "$NGINX_DIR/sites-enabled/default"
    "${NGINX[@]}" -t -q || fail "nginx refuses $site (nginx -t above)"
    "${SYSTEMCTL[@]}" reload-or-restart nginx
}

install_nginx_site() {
    TLS_CERT=${TLS_CERT:-/etc/letsencrypt/live/$SITE_HOST/fullchain.pem}
    TLS_KEY=${TLS_KEY:-/etc/letsencrypt/live/$SITE_HOST/privkey.pem}
    if [[ ! -f $TLS_CERT || ! -f $TLS_KEY ]]; then
        say "nginx on HTTP only, then a certificate from Let's Encrypt for $SITE_HOST"
        install -d -m 0755 "$ACME_ROOT"
        put_site http
        local account=(--register-unsafely-without-email)
        [[ -n ${CERTBOT_EMAIL:-} ]] && account=(-m "$CERTBOT_EMAIL")
        "${CERTBOT[@]}" certonly --webroot -w "$ACME_ROOT" -d "$SITE_HOST" --non-interactive \
            --agree-tos "${account[@]}" --deploy-hook "systemctl reload nginx" \
            || fail "certbot got no certificate for $SITE_HOST (the site answers on HTTP meanwhile):" \
                "point its DNS at this machine, open port 80, then run install.sh again"
    fi
    say "nginx site $NGINX_DIR/sites-available/portal with HTTPS"
    put_site https
}

main() {
    choose_host
    install_packages
    create_user_and_folders
    create_virtualenv
    write_env_file
    load_env_file
    create_database
    prepare_application
    install_unit
    install_nginx_site
    say "done: https://$SITE_HOST/ (first editor: $PORTAL_ROOT/deploy/manage createsuperuser)"
}

main "$@"
