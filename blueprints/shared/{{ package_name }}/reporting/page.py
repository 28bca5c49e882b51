"""report.html: one self-contained page (pictures inlined, no scripts or styles from
the network), readable offline and after the run directory moves."""

import base64
import html
import json

STYLE = """body{font-family:sans-serif;margin:2em;max-width:1100px;color:#222}
h1{font-size:1.4em}h2{font-size:1.15em;border-bottom:1px solid #ccc;margin-top:1.6em}
table{border-collapse:collapse}td,th{padding:2px 10px;border-bottom:1px solid #eee;
text-align:left;font-size:.9em}img{max-width:100%;margin:.4em 0}
pre{background:#f6f6f6;padding:1em;font-size:.8em;overflow:auto}
.pictures{display:flex;flex-wrap:wrap;gap:1em}figure{margin:0}
figcaption{font-weight:bold;margin:.6em 0 .2em}"""

# Every picture must load: one that does not says so on the console (tests read it).
CHECK = """window.addEventListener("load", () => { for (const image of document.images)
  if (!image.complete || image.naturalWidth === 0)
    console.error("picture did not load: " + image.alt); });"""


def rows(pairs) -> str:
    cells = "".join(
        f"<tr><th>{html.escape(str(key))}</th><td>{html.escape(str(value))}</td></tr>"
        for key, value in pairs
    )
    return f"<table>{cells}</table>"


def inline(name: str, heading: str, content: bytes) -> str:
    """A picture in the page itself, under its heading."""
    data = base64.b64encode(content).decode()
    return (
        f"<figure><figcaption>{html.escape(heading)}</figcaption>"
        f'<img alt="{html.escape(name)}" src="data:image/png;base64,{data}"></figure>'
    )


def page(
    title: str, record: dict, metrics: dict, pictures: dict, config_yaml: str
) -> str:
    """The page: summary, final metrics, every picture, the config and the record."""
    summary = [
        ("status", record.get("status", "running?")),
        ("command", record.get("command", "-")),
        ("started", record.get("started", "-")),
        ("finished", record.get("finished", "-")),
        ("model", json.dumps(record.get("model", {}))),
        ("best checkpoint", record.get("best_checkpoint") or "-"),
    ]
    environment = [
        *(record.get("versions") or {}).items(),
        *((key, value) for key, value in (record.get("hardware") or {}).items()),
    ]
    parts = [
        f"<h1>{html.escape(title)}</h1>",
        rows(summary),
        "<h2>Final metrics</h2>",
        rows((key, f"{value:.4f}") for key, value in sorted(metrics.items())),
        "<h2>Curves and test answers</h2>",
        '<div class="pictures">',
        *(
            inline(name, heading, content)
            for name, (heading, content) in pictures.items()
        ),
        "</div>",
        "<h2>Config</h2>",
        f"<pre>{html.escape(config_yaml)}</pre>",
        "<h2>Environment</h2>",
        rows(environment),
        "<h2>Data</h2>",
        f"<pre>{html.escape(json.dumps(record.get('data', {}), indent=1)[:20000])}</pre>",
    ]
    return document(title, parts)


def document(title: str, parts: list[str]) -> str:
    """A whole page of `parts` (HTML), with its style and the pictures' check."""
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>{html.escape(title)}</title><style>{STYLE}</style>"
        f"<script>{CHECK}</script></head>\n<body>\n"
        + "\n".join(parts)
        + "\n</body></html>\n"
    )
