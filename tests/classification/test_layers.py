"""The suggestion rules stay free of Django, as every `domain` module (STYLE.md)."""

from __future__ import annotations

import subprocess
import sys


def test_domain_module_imports_no_django() -> None:
    probe = (
        "import sys, servicedesk.classification.domain; "
        "print(sorted(m for m in sys.modules if m == 'django' or m.startswith('django.')))"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"
