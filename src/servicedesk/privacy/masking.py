"""Masking for lists, notifications and logs; full values only on the contact card.

Other apps (notifications, mail) call `mask_identifiers(text)` on anything they show
to people who did not open the contact card.
"""

from __future__ import annotations

from servicedesk.core.identifiers import mask_tail
from servicedesk.privacy.domain.scrub import mask_email, mask_identifiers, scrub_text

__all__ = ["mask_email", "mask_identifiers", "mask_tail", "scrub_text"]
