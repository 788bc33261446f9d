# Helpers for scripts/backup and scripts/restore (sourced, not run).

# The portal's database URL, with the same default as the settings.
database_url() {
    printf '%s\n' "${DATABASE_URL:-sqlite:///$PWD/var/portal.sqlite3}"
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

# manage.py in the portal's environment. Backups sign nothing, so a missing
# SECRET_KEY (a development machine) is replaced by a placeholder.
portal_manage() {
    local python=.venv/bin/python
    [[ -x $python ]] || python=python3
    SECRET_KEY=${SECRET_KEY:-backup-and-restore-sign-nothing} \
        DATABASE_URL=$(database_url) "$python" manage.py "$@"
}
