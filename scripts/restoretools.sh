# The steps of scripts/restore (sourced after scripts/dbtools.sh; uses $url and
# $PORTAL_PYTHON, set by the script).

DATABASE_MEMBER='database\.(pgdump|json\.gz)'

# A PostgreSQL dump goes into PostgreSQL only; JSON goes anywhere.
check_database_kind() {
    if [[ $1 == *.pgdump ]] && ! is_postgres "$url"; then
        die 2 "${1##*/} is a PostgreSQL dump, but DATABASE_URL is not PostgreSQL" \
            "(give the environment file with ENV_FILE=..., or restore a BACKUP_FORMAT=json backup)"
    fi
}

# Only the tables the role owns (the restored ones): a plain ANALYZE by a role that
# is not a superuser warns about every shared catalog (skipping "pg_authid" ...).
analyze_restored_tables() {
    "$(pg_tool psql)" -XAtq -v ON_ERROR_STOP=1 -d "$(libpq_url "$url")" >/dev/null <<'SQL'
SELECT format('ANALYZE %I.%I', schemaname, tablename) FROM pg_tables
WHERE schemaname NOT IN ('pg_catalog', 'information_schema') AND tableowner = current_user
\gexec
SQL
}

# The database from one dump; pages cached before it become stale (a new content version).
restore_database() {
    local dump=$1
    if [[ $dump == *.pgdump ]]; then
        "$(pg_tool pg_restore)" --clean --if-exists --no-owner --no-privileges \
            --single-transaction --exit-on-error --dbname "$(libpq_url "$url")" "$dump"
        # The planner needs statistics for the restored tables.
        analyze_restored_tables
        portal_manage shell --verbosity 0 -c \
            "from portal.cache import bump_content_version; bump_content_version()"
        return
    fi
    # migrate, flush and loaddata in one process (one Django start, not three).
    RESTORE_FILE=$dump portal_manage shell --verbosity 0 -c "
import os
import warnings
from django.core.management import call_command
# A backup of a database without rows (a new site) is an empty list, not a mistake.
warnings.filterwarnings('ignore', 'No fixture data found')
call_command('migrate', interactive=False, verbosity=0)
call_command('flush', interactive=False, verbosity=0)
call_command('loaddata', os.environ['RESTORE_FILE'], verbosity=0)
from portal.cache import bump_content_version
bump_content_version()"
}

# MEDIA_ROOT's content becomes the restored folder's; the folder itself (its owner
# and mode, which the service relies on) stays.
replace_media() {
    local restored=$1 media_root=$2
    mkdir -p "$media_root"
    find "$media_root" -mindepth 1 -delete
    find "$restored" -mindepth 1 -maxdepth 1 -exec mv -t "$media_root" -- {} +
    if ((EUID == 0)); then
        chown -R --reference="$media_root" "$media_root"
    fi
}

# A scripts/backup archive: check its layout, unpack it beside MEDIA_ROOT (same
# file system: the media are moved, not copied), the database, then the media.
restore_archive() {
    local archive=$1 members member facts media_storage media_root note
    members=$(tar --list --file "$archive" 2>/dev/null) || die 2 "$archive: not a tar archive"
    member=$(grep -xE "$DATABASE_MEMBER" <<<"$members" || true)
    if [[ -z $member || $member == *$'\n'* ]] \
        || grep -vxE "$DATABASE_MEMBER|media(/.*)?" <<<"$members" | grep -q .; then
        die 2 "$archive: not a backup from scripts/backup" \
            "(expected database.pgdump or database.json.gz, and media/)"
    fi
    check_database_kind "$member"
    facts=$(portal_facts media)
    media_storage=$(fact media_storage "$facts")
    media_root=$(fact media_root "$facts")
    mkdir -p "$(dirname "$media_root")"
    # Global: the exit trap removes it.
    staging=$(mktemp -d "$(dirname "$media_root")/.restore-XXXXXX")
    trap 'rm -rf "$staging"' EXIT
    tar --extract --file "$archive" --directory "$staging" --same-permissions --no-same-owner
    restore_database "$staging/$member"
    if [[ ! -d $staging/media ]]; then
        note="no media in the backup: media left as they are"
    elif [[ $media_storage != filesystem ]]; then
        note="media not restored: MEDIA_STORAGE=$media_storage keeps the uploads"
    else
        replace_media "$staging/media" "$media_root"
        note="media: $(find "$media_root" -type f | wc -l) files into $media_root"
    fi
    echo "restored $archive (database: $member; $note)"
}
