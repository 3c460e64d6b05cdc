"""Framework files: YAML and JSON in the data-file layout (the built-in
frameworks under data/ use it too). Excel lives in `xlsx.py`."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path
from typing import IO, Any

import yaml
from django.utils.translation import gettext as _

DATA_DIR = Path(__file__).resolve().parent / "data"


class FileFormatError(ValueError):
    """The file cannot be read as a framework at all."""


def builtin_files() -> list[Path]:
    return sorted(DATA_DIR.glob("*.yaml"))


def read(upload: IO[bytes], filename: str) -> dict[str, Any]:
    """A framework dict from a .yaml/.yml/.json/.xlsx file."""
    name = filename.lower()
    if name.endswith(".xlsx"):
        from dtis.frameworks.xlsx import read_workbook

        return read_workbook(upload)
    raw = upload.read()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise FileFormatError(_("The file must be saved as UTF-8.")) from exc
    try:
        if name.endswith((".yaml", ".yml")):
            data = yaml.safe_load(text)
        elif name.endswith(".json"):
            data = json.loads(text)
        else:
            raise FileFormatError(_("Only .yaml, .json and .xlsx framework files are accepted."))
    except (yaml.YAMLError, json.JSONDecodeError) as exc:
        raise FileFormatError(_("The file cannot be read: %(reason)s") % {"reason": exc}) from exc
    if not isinstance(data, dict):
        raise FileFormatError(_("The file does not describe a framework."))
    return data


def _plain(value: Any) -> Any:
    """Decimals as numbers people read (10, 0.8), dates as ISO text."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def to_yaml(data: dict[str, Any]) -> str:
    return yaml.safe_dump(_plain(data), allow_unicode=True, sort_keys=False, width=100)


def to_json(data: dict[str, Any]) -> str:
    return json.dumps(_plain(data), ensure_ascii=False, indent=2)
