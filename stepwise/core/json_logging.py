"""Log records as JSON lines. Apart from security_log so that settings can name it: logging is
configured before Django's apps are ready, so this module imports no models."""

import json
import logging
from datetime import UTC, datetime


class JsonFormatter(logging.Formatter):
    """One JSON object per line: `timestamp` (UTC, ISO 8601), `level`, `logger`, then the
    record's `security_event` fields, or `message` for any other record; `exception` with the
    traceback if there is one."""

    def format(self, record: logging.LogRecord) -> str:
        line = {
            "timestamp": datetime.fromtimestamp(record.created, UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
        }
        event = getattr(record, "security_event", None)
        line.update(event if event is not None else {"message": record.getMessage()})
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        # ensure_ascii: CR, LF and every other control or separator character comes out
        # escaped, so nothing a visitor typed can start a line of its own.
        return json.dumps(line, ensure_ascii=True, default=str)
