"""A logging filter that masks phone numbers, card numbers and e-mails in every record."""

from __future__ import annotations

import logging

from servicedesk.privacy.domain.scrub import mask_identifiers

_formatter = logging.Formatter()


class PersonalDataFilter(logging.Filter):
    """Render the message, mask identifiers in it and in the traceback; never drop a record."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a broken format string is still worth logging
            message = str(record.msg)
        record.msg = mask_identifiers(message)
        record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = _formatter.formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = mask_identifiers(record.exc_text)
        return True
