"""What one check of `python doctor.py` found: fine, worth a look, or blocking training,
with the fix; printed one line per check, or as JSON (`--json`)."""

import json
import sys
from dataclasses import asdict, dataclass

MARKS = {"ok": "✓", "warn": "!", "fail": "✗"}
PLAIN = {"ok": "+", "warn": "!", "fail": "x"}  # where the terminal cannot show ✓ and ✗


@dataclass(frozen=True)
class Finding:
    check: str  # what was checked: "packages", "gpu", "disk", ...
    status: str  # ok, warn (worth a look; training runs) or fail (training would not)
    found: str  # what the check found, in one line
    fix: str = ""  # the command or setting that mends it; "" when nothing needs mending


def blocking(findings: list[Finding]) -> bool:
    return any(finding.status == "fail" for finding in findings)


def lines(findings: list[Finding]) -> list[str]:
    """`✓ check  found`, and `fix: ...` after what is not fine, one line per finding."""
    marks = MARKS if can_show("".join(MARKS.values())) else PLAIN
    width = max((len(finding.check) for finding in findings), default=0)
    return [
        f"{marks[f.status]} {f.check:<{width}}  {f.found}"
        + (f"; fix: {f.fix}" if f.fix else "")
        for f in findings
    ]


def can_show(text: str) -> bool:
    """Whether stdout's encoding has these characters (a C locale's ASCII has no ✓)."""
    try:
        text.encode(sys.stdout.encoding or "ascii")
    except UnicodeEncodeError:
        return False
    return True


def as_json(findings: list[Finding]) -> str:
    return json.dumps(
        {"ready": not blocking(findings), "findings": [asdict(f) for f in findings]},
        indent=2,
    )
