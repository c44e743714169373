"""Settings: command-line flag > environment (MPP_*) > config file > default."""

from __future__ import annotations

import os
import re
import stat
import tomllib
from pathlib import Path
from typing import Any, ClassVar, Literal
from urllib.parse import urlsplit

import platformdirs
from pydantic import Field, PrivateAttr, ValidationError, field_validator
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

from mpp_tui.domain.errors import ReferenceDataError

APP_NAME = "mpp-tui"


def data_dir() -> Path:
    """Where the embedded database lives by default."""
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def config_dir() -> Path:
    """Where this PC's config file lives by default."""
    return Path(platformdirs.user_config_dir(APP_NAME, appauthor=False))


def log_dir() -> Path:
    """Where log files (and tracebacks) go."""
    return Path(platformdirs.user_log_dir(APP_NAME, appauthor=False))


def default_config_file() -> Path:
    """The config file read when none is named."""
    return config_dir() / "config.toml"


def sqlite_url(path: Path) -> str:
    """URL of an SQLite file (here too, so reading settings loads no database library)."""
    return f"sqlite:///{path}"


class Settings(BaseSettings):
    """What one mpp process needs to know about its PC and database."""

    model_config = SettingsConfigDict(env_prefix="MPP_", extra="forbid", validate_default=True)
    _toml_file: ClassVar[Path | None] = None
    _source_file: Path | None = PrivateAttr(default=None)

    database_url: str | None = None
    """SQLAlchemy URL (`postgresql://user@host/db` or `sqlite:////path/mpp.db`); none = embedded."""
    lang: Literal["id", "en"] = "id"
    """Language of messages and screens."""
    hall: str | None = None
    """Code of this PC's hall (MPP) when the database serves several."""
    counter: str | None = None
    """This PC's counter code (for `mpp counter`)."""
    log_file: Path | None = None
    """Log file; default in the user log directory."""
    export_dir: Path | None = None
    """Where screens save CSV exports; default Documents/mpp-tui."""
    printer: str | None = None
    """Ticket printer for `mpp kiosk`: `file:/dev/usb/lp0`, `tcp:HOST[:PORT]` or `lp[:QUEUE]`."""
    printer_width: Literal[58, 80] = 80
    """Paper width of the ticket printer in millimetres."""
    locked: bool = False
    """Kiosk mode for a screen started at boot: Ctrl+Q does not quit, Ctrl+Z does not suspend,
    Ctrl+C gives no hint, no command palette (`MPP_LOCKED=1` in deploy/systemd)."""
    kiosk_reset_seconds: int = Field(default=8, ge=2, le=120)
    """How long the kiosk shows a ticket before it returns to the start."""
    board_text: str | None = None
    """Running text on the hall board; default the hall's own (reference data)."""
    voice_command: str | None = None
    """Speech command writing a WAV file: `{text}` and `{wav}` are filled in; default espeak-ng."""
    voice_player: str | None = None
    """Command playing a WAV file (`{wav}` filled in); default aplay, paplay or pw-play."""

    @field_validator("lang", mode="before")
    @classmethod
    def _lang(cls, value: Any) -> Any:
        return value.strip().lower() if isinstance(value, str) else value

    @field_validator("printer")
    @classmethod
    def _printer(cls, value: str | None) -> str | None:
        if value is None or not value.strip():
            return None  # `MPP_PRINTER=` switches off a printer named in the config file
        from mpp_tui.devices.printer import parse_printer  # stdlib only, but keep startup lean

        parse_printer(value)  # its ValueError names the spec and the accepted forms
        return value.strip()

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        sources: list[PydanticBaseSettingsSource] = [init_settings, env_settings]
        if cls._toml_file is not None:
            sources.append(TomlConfigSettingsSource(settings_cls, toml_file=cls._toml_file))
        return tuple(sources)

    def resolved_database_url(self) -> str:
        """The database URL, defaulting to an SQLite file in the user data directory."""
        return self.database_url or sqlite_url(data_dir() / "mpp.sqlite")

    def resolved_export_dir(self) -> Path:
        """Folder for CSV exports from the screens."""
        return self.export_dir or platformdirs.user_documents_path() / "mpp-tui"

    def resolved_log_file(self) -> Path:
        """The log file path."""
        return self.log_file or log_dir() / "mpp.log"

    @property
    def config_file(self) -> Path | None:
        """The config file these settings were read from (None: no file was read)."""
        return self._source_file


def url_has_password(url: str) -> bool:
    """Whether a database URL carries a password (`scheme://user:secret@host/db`)."""
    try:
        return bool(urlsplit(url).password)
    except ValueError:  # a malformed port or host: look for the user:secret@ shape itself
        return re.search(r"://[^/@]*:[^/@]*@", url) is not None


def mask_password(url: str) -> str:
    """`url` with any password replaced by `***`, even when the URL does not parse."""
    return re.sub(r"(://[^/@:]*:)[^/]*@", r"\1***@", url)


def startup_warnings(settings: Settings) -> list[str]:
    """Warnings every command prints (to stderr) and logs when it starts."""
    from mpp_tui.i18n import t  # stdlib only; imported here to keep this module's imports lean

    mode = exposed_secret_mode(settings.config_file)
    if mode is None:
        return []
    return [t("cfg.warn.loose_permissions", settings.lang, path=settings.config_file, mode=mode)]


def exposed_secret_mode(path: Path | None) -> str | None:
    """The permission bits (`0644`) of a config file that holds a database password which
    other users of the PC may read; None when there is no such file or it is private.

    Only POSIX permissions are checked (on Windows the user profile protects the file).
    """
    if path is None or os.name != "posix":
        return None
    try:
        mode = path.stat().st_mode
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return None
    url = data.get("database_url")
    if not isinstance(url, str) or not url_has_password(url):
        return None
    if mode & (stat.S_IRGRP | stat.S_IROTH):
        return f"{stat.S_IMODE(mode):04o}"
    return None


_FLAGS = {"database_url": "--db", "lang": "--lang", "hall": "--hall"}


def _line_of(text: str, key: str) -> int | None:
    """The line of `text` where `key` is set (or its table opens), for error messages."""
    pattern = re.compile(rf"\s*(?:{re.escape(key)}\s*=|\[\s*{re.escape(key)}\s*[\].])")
    for number, line in enumerate(text.splitlines(), start=1):
        if pattern.match(line):
            return number
    return None


def load_settings(config_file: Path | None = None, **flags: Any) -> Settings:
    """Build Settings from flags, environment and the config file.

    Args:
        config_file: an explicit config file (must exist); None reads the default one if present.
        **flags: values given on the command line (None values are ignored).

    Raises:
        ReferenceDataError: the file is not TOML or a value is invalid; one line per problem,
            naming the file, line and field.
    """
    explicit = config_file is not None
    path = config_file or default_config_file()
    text = ""
    problems: list[str] = []
    if path.exists():
        try:
            # Bytes as pydantic's TOML source reads them: read_text would turn a lone CR into
            # a newline, and a file valid here would then fail there with a traceback.
            text = path.read_bytes().decode("utf-8")
            tomllib.loads(text)
        except (OSError, ValueError) as exc:  # ValueError: not UTF-8, not TOML, a huge integer
            raise ReferenceDataError("err.config_invalid", [f"{path}: {exc}"]) from None
    elif explicit:
        raise ReferenceDataError("err.config_invalid", [f"{path}: file not found"])

    class _Bound(Settings):
        _toml_file = path if text else None

    given = {k: v for k, v in flags.items() if v is not None}
    try:
        settings = Settings.model_validate(_Bound(**given).model_dump())
        settings._source_file = path if text else None
        return settings
    except ValidationError as exc:
        for err in exc.errors():
            field = ".".join(str(p) for p in err["loc"])
            top = str(err["loc"][0]) if err["loc"] else field
            line = _line_of(text, top) if text else None
            if line:
                where = f"{path}:{line}"
            elif top in Settings.model_fields:
                flag = _FLAGS.get(top)
                where = f"MPP_{top.upper()}" + (f" / {flag}" if flag else "")
            else:
                where = str(path)
            problems.append(f"{where}: {field}: {err['msg']}")
        raise ReferenceDataError("err.config_invalid", problems) from None
