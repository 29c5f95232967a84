"""Backups (issue 12 point 8): the database, the stored files (evidence, certificate PDFs) and
the credential signing key files, in one tar archive with a manifest of SHA-256 checksums.

The database is copied by its own tools, so the copy is consistent while the service runs:
SQLite's `VACUUM INTO` and PostgreSQL's `pg_dump -Fc`. A restore checks every checksum before
touching anything, and refuses a database holding data unless forced. See docs/security.md.
"""

import hashlib
import json
import os
import shutil
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from django.apps import apps
from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import connections
from django.utils import timezone

FORMAT = 1
MANIFEST = "manifest.json"
SQLITE_FILE = "database.sqlite3"
POSTGRES_FILE = "database.pgdump"
MEDIA = "media"
KEYS_DIR = "keys/generated"
KEYS_FILE = "keys/configured.json"


class BackupError(Exception):
    """The backup or restore cannot go on; the message says why and what to do."""


@dataclass(frozen=True)
class Restored:
    engine: str
    files: int
    keys: int
    created_at: str


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1024 * 1024), b""):
            digest.update(block)
    return digest.hexdigest()


def _engine(connection) -> str:
    if connection.vendor not in ("sqlite", "postgresql"):
        raise BackupError(f"Backups support SQLite and PostgreSQL, not {connection.vendor}.")
    return connection.vendor


def _pg_environment(connection) -> tuple[list[str], dict]:
    """Connection arguments for the PostgreSQL client tools; the password goes through the
    environment, never the command line (where `ps` would show it)."""
    params = connection.settings_dict
    arguments = [f"--dbname={params['NAME']}"]
    if params.get("HOST"):
        arguments.append(f"--host={params['HOST']}")
    if params.get("PORT"):
        arguments.append(f"--port={params['PORT']}")
    if params.get("USER"):
        arguments.append(f"--username={params['USER']}")
    environment = {**os.environ}
    if params.get("PASSWORD"):
        environment["PGPASSWORD"] = params["PASSWORD"]
    return arguments, environment


def _run(command: list[str], environment: dict, what: str) -> None:
    try:
        # The arguments are ours and the database settings, never user input; no shell.
        subprocess.run(command, env=environment, check=True, capture_output=True, text=True)  # noqa: S603
    except FileNotFoundError as error:
        raise BackupError(
            f"{command[0]} is not installed: install PostgreSQL's client tools ({what})."
        ) from error
    except subprocess.CalledProcessError as error:
        raise BackupError(f"{what} failed: {error.stderr.strip()}") from error


def _dump_database(connection, folder: Path) -> str:
    if _engine(connection) == "sqlite":
        target = folder / SQLITE_FILE
        with connection.cursor() as cursor:
            cursor.execute("VACUUM INTO %s", [str(target)])
        return SQLITE_FILE
    arguments, environment = _pg_environment(connection)
    command = ["pg_dump", "--format=custom", "--no-owner", f"--file={folder / POSTGRES_FILE}"]
    _run([*command, *arguments], environment, "pg_dump")
    return POSTGRES_FILE


def _stored_names(storage, folder: str = "") -> list[str]:
    directories, files = storage.listdir(folder)
    names = [f"{folder}/{name}" if folder else name for name in files]
    for directory in directories:
        names += _stored_names(storage, f"{folder}/{directory}" if folder else directory)
    return names


def _copy_media(folder: Path) -> list[str]:
    copied = []
    for name in sorted(_stored_names(default_storage)):
        target = folder / MEDIA / name
        target.parent.mkdir(parents=True, exist_ok=True)
        with default_storage.open(name, "rb") as source, target.open("wb") as out:
            shutil.copyfileobj(source, out)
        copied.append(f"{MEDIA}/{name}")
    return copied


def _copy_keys(folder: Path) -> list[str]:
    """The signing key files: the configured list (STEPWISE_SIGNING_KEYS_FILE) and keys the
    service generated for itself. Keys given inline in STEPWISE_SIGNING_KEYS live in the
    environment's secret store, which is backed up with the environment."""
    copied = []
    configured = settings.STEPWISE_SIGNING_KEYS_FILE
    if configured and Path(configured).is_file():
        (folder / KEYS_FILE).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(configured, folder / KEYS_FILE)
        copied.append(KEYS_FILE)
    generated = Path(settings.STEPWISE_SIGNING_KEYS_DIR)
    if generated.is_dir():
        for key in sorted(generated.glob("*.pem")):
            (folder / KEYS_DIR).mkdir(parents=True, exist_ok=True)
            shutil.copy2(key, folder / KEYS_DIR / key.name)
            copied.append(f"{KEYS_DIR}/{key.name}")
    return copied


def backup_create(*, output: Path, using: str = "default") -> dict:
    """Write the archive to `output` (written beside it, then renamed, so a failed backup
    never leaves a file that looks whole). Returns the manifest."""
    connection = connections[using]
    output = Path(output)
    with tempfile.TemporaryDirectory(prefix="stepwise-backup-") as work:
        folder = Path(work)
        database = _dump_database(connection, folder)
        members = [database, *_copy_media(folder), *_copy_keys(folder)]
        manifest = {
            "format": FORMAT,
            "created_at": timezone.now().isoformat(),
            "engine": connection.vendor,
            "database": database,
            "files": {name: sha256_of(folder / name) for name in members},
        }
        (folder / MANIFEST).write_text(json.dumps(manifest, indent=2), encoding="utf-8")
        partial = output.with_name(output.name + ".partial")
        with tarfile.open(partial, "w:gz") as archive:
            for name in [MANIFEST, *members]:
                archive.add(folder / name, arcname=name, recursive=False)
        os.replace(partial, output)
    return manifest


def _safe_name(name: str) -> bool:
    path = PurePosixPath(name)
    return bool(name) and not path.is_absolute() and ".." not in path.parts


def _unpack(archive_path: Path, folder: Path) -> dict:
    """Unpack and check the archive: every file the manifest names, each with its checksum,
    and nothing else. Raises BackupError saying what is wrong."""
    damaged = f"{archive_path} is damaged or not a Stepwise backup"
    try:
        with tarfile.open(archive_path, "r:*") as archive:
            for member in archive.getmembers():
                if not member.isfile() or not _safe_name(member.name):
                    raise BackupError(f"{damaged}: it holds {member.name!r}, which no backup has.")
            archive.extractall(folder, filter="data")
    except (tarfile.TarError, EOFError, OSError) as error:
        raise BackupError(f"{damaged} ({error}). Nothing was restored.") from error
    try:
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
        files = manifest["files"]
        if manifest["format"] != FORMAT or not isinstance(files, dict):
            raise ValueError("unknown format")
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise BackupError(
            f"{damaged}: its manifest cannot be read. Nothing was restored."
        ) from error
    present = {
        path.relative_to(folder).as_posix() for path in folder.rglob("*") if path.is_file()
    } - {MANIFEST}
    for name in sorted(set(files) | present):
        if name not in files or not _safe_name(name):
            raise BackupError(f"{damaged}: {name} is not in its manifest. Nothing was restored.")
        if name not in present:
            raise BackupError(f"{damaged}: {name} is missing. Nothing was restored.")
        if sha256_of(folder / name) != files[name]:
            raise BackupError(
                f"{damaged}: the checksum of {name} does not match its manifest. "
                "Nothing was restored."
            )
    return manifest


def database_holds_data(using: str = "default") -> bool:
    """Whether any of the service's own tables has a row (a freshly migrated database has
    none, so it can be restored into without --force)."""
    connection = connections[using]
    with connection.cursor() as cursor:
        tables = set(connection.introspection.table_names(cursor))
        for model in apps.get_models():
            table = model._meta.db_table
            if not model.__module__.startswith("stepwise.") or table not in tables:
                continue
            cursor.execute(f"SELECT 1 FROM {connection.ops.quote_name(table)} LIMIT 1")  # noqa: S608
            if cursor.fetchone():
                return True
    return False


def _restore_sqlite(connection, source: Path) -> None:
    target = Path(connection.settings_dict["NAME"])
    connection.close()
    staged = target.with_name(target.name + ".restoring")
    shutil.copyfile(source, staged)
    # A write-ahead log left from the old database would be replayed into the new one.
    for suffix in ("-wal", "-shm"):
        Path(f"{target}{suffix}").unlink(missing_ok=True)
    os.replace(staged, target)


def _restore_postgres(connection, source: Path) -> None:
    arguments, environment = _pg_environment(connection)
    connection.close()
    command = ["pg_restore", "--clean", "--if-exists", "--no-owner", "--single-transaction"]
    _run([*command, *arguments, str(source)], environment, "pg_restore")


def _restore_media(folder: Path) -> int:
    restored = 0
    root = folder / MEDIA
    if not root.is_dir():
        return 0
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        name = path.relative_to(root).as_posix()
        if default_storage.exists(name):
            default_storage.delete(name)
        with path.open("rb") as handle:
            saved = default_storage.save(name, File(handle, name=name))
        if saved != name:
            raise BackupError(f"The file storage saved {name} as {saved}: restore it by hand.")
        restored += 1
    return restored


def _restore_keys(folder: Path) -> int:
    restored = 0
    if (folder / KEYS_FILE).is_file():
        configured = settings.STEPWISE_SIGNING_KEYS_FILE
        if not configured:
            raise BackupError(
                "The backup holds a signing keys file, but STEPWISE_SIGNING_KEYS_FILE is not "
                "set: set it to where the file belongs, then restore again."
            )
        _write_private(folder / KEYS_FILE, Path(configured))
        restored += 1
    generated = folder / KEYS_DIR
    if generated.is_dir():
        target = Path(settings.STEPWISE_SIGNING_KEYS_DIR)
        target.mkdir(parents=True, exist_ok=True)
        for key in sorted(generated.glob("*.pem")):
            _write_private(key, target / key.name)
            restored += 1
    return restored


def _write_private(source: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    handle = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(handle, "wb") as out, source.open("rb") as data:
        shutil.copyfileobj(data, out)


def backup_restore(*, archive: Path, force: bool = False, using: str = "default") -> Restored:
    """Check the archive whole, then put back the database, the files and the keys."""
    connection = connections[using]
    engine = _engine(connection)
    with tempfile.TemporaryDirectory(prefix="stepwise-restore-") as work:
        folder = Path(work)
        manifest = _unpack(Path(archive), folder)
        if manifest.get("engine") != engine:
            raise BackupError(
                f"This backup is of a {manifest.get('engine')} database and DATABASE_URL names "
                f"a {engine} one. Nothing was restored."
            )
        if not force and database_holds_data(using):
            raise BackupError(
                "The database already holds data. Restoring replaces all of it: run again with "
                "--force if that is what you mean. Nothing was restored."
            )
        if manifest.get("database") not in (SQLITE_FILE, POSTGRES_FILE):
            raise BackupError(f"{archive} names no database file. Nothing was restored.")
        database = folder / manifest["database"]
        if engine == "sqlite":
            _restore_sqlite(connection, database)
        else:
            _restore_postgres(connection, database)
        files = _restore_media(folder)
        keys = _restore_keys(folder)
    return Restored(engine=engine, files=files, keys=keys, created_at=manifest["created_at"])
