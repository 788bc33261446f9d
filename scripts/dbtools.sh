# Helpers for scripts/backup and scripts/restore (sourced, not run, from the
# repository root).

prog=${0##*/}

# A one-line error, then exit with the given status.
die() {
    local status=$1
    shift
    echo "$prog: $*" >&2
    exit "$status"
}

# ENV_FILE (e.g. /etc/portal/portal.env): the service's environment, read the way
# systemd's EnvironmentFile= reads it (KEY=VALUE lines, # comments, surrounding
# quotes removed, nothing expanded), so that a backup sees what the site sees.
# Its values win over the caller's environment.
load_env_file() {
    [[ -n ${ENV_FILE:-} ]] || return 0
    [[ -e $ENV_FILE ]] || die 2 "ENV_FILE=$ENV_FILE: no such file"
    [[ -r $ENV_FILE ]] || die 2 "ENV_FILE=$ENV_FILE: cannot read it (it is mode 0600: run as root)"
    local line number=0 key value
    while IFS= read -r line || [[ -n $line ]]; do
        number=$((number + 1))
        line=${line#"${line%%[![:space:]]*}"}
        line=${line%"${line##*[![:space:]]}"}
        [[ -z $line || $line == \#* || $line == \;* ]] && continue
        key=${line%%=*}
        key=${key%"${key##*[![:space:]]}"}
        if [[ $line != *=* || ! $key =~ ^[A-Za-z_][A-Za-z0-9_]*$ ]]; then
            # The line itself is not shown: it may hold a secret.
            die 2 "$ENV_FILE:$number: expected NAME=value"
        fi
        value=${line#*=}
        value=${value#"${value%%[![:space:]]*}"}
        if [[ $value =~ ^\"(.*)\"$ || $value =~ ^\'(.*)\'$ ]]; then
            value=${BASH_REMATCH[1]}
        fi
        export "$key=$value"
    done <"$ENV_FILE"
}

# The portal's own interpreter. Operator commands install nothing: without the
# virtualenv they stop here.
portal_python() {
    local python=$PWD/.venv/bin/python
    [[ -x $python ]] || die 2 "no virtualenv in $PWD/.venv: create it with" \
        "'python3 -m venv .venv && .venv/bin/pip install -r requirements.lock' (README, Deployment)"
    printf '%s\n' "$python"
}

# The development database, used when DATABASE_URL is not set (as in the settings).
DEV_DATABASE=var/portal.sqlite3

# Without DATABASE_URL (no ENV_FILE given, none in the shell) only an existing
# development database is taken: a server whose environment was forgotten must not
# get a new empty SQLite file instead of its real database.
require_database_configured() {
    [[ -n ${DATABASE_URL:-} || -f $DEV_DATABASE ]] && return 0
    die 2 "DATABASE_URL is not set and there is no development database $DEV_DATABASE:" \
        "give the environment file (ENV_FILE=/etc/portal/portal.env make $1) or set DATABASE_URL"
}

# The portal's database URL, with the same default as the settings.
database_url() {
    printf '%s\n' "${DATABASE_URL:-sqlite:///$PWD/$DEV_DATABASE}"
}

is_postgres() {
    [[ $1 =~ ^(postgres|postgresql|pgsql):// ]]
}

# libpq accepts postgres:// and postgresql:// only.
libpq_url() {
    printf 'postgresql://%s\n' "${1#*://}"
}

# A PostgreSQL client program: the newest installed server's, else PATH's.
pg_tool() {
    local dir
    while IFS= read -r dir; do
        if [[ -x $dir/$1 ]]; then
            printf '%s\n' "$dir/$1"
            return 0
        fi
    done < <(compgen -G '/usr/lib/postgresql/*/bin' | sort -rV)
    if command -v "$1" >/dev/null 2>&1; then
        command -v "$1"
        return 0
    fi
    echo "$1 not found: install postgresql-client-15" >&2
    return 1
}

# Environment for the portal's Python. Backups sign nothing, so a missing
# SECRET_KEY (a development machine) is replaced by a placeholder.
portal_env() {
    SECRET_KEY=${SECRET_KEY:-backup-and-restore-sign-nothing} DATABASE_URL=$(database_url) "$@"
}

# manage.py in the portal's environment.
portal_manage() {
    portal_env "$PORTAL_PYTHON" manage.py "$@"
}

# Facts the settings know (scripts/portal_facts.py TOPIC...: "database", "media"),
# as NAME=value lines; the script prints its own one-line errors.
portal_facts() {
    PORTAL_FACTS_FOR=$prog portal_env "$PORTAL_PYTHON" scripts/portal_facts.py "$@" || exit 1
}

# One value from portal_facts' output: fact NAME FACTS.
fact() {
    printf '%s\n' "$2" | sed -n "s/^$1=//p"
}
