"""docs/reference/config.md, generated from what `gen new` emits, so it cannot drift.

Renders one project per task and backend (every optional feature on) from blueprints/,
reads each one's typed schemas (`<package>/config/*schema.py`: the keys, their types and
the comments beside them) and its `configs/` (every option's values), and writes the page.

    python docs/tools/config_reference.py           # rewrite docs/reference/config.md
    python docs/tools/config_reference.py --check   # exit 1 when the page is stale

tests/test_docs_site.py proves the checked-in page equal to a fresh one (from the goldens'
specs, rendered once per test session), so it is generated yet readable on GitHub too.
"""

import ast
import io
import sys
import tempfile
import tokenize
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
PAGE = ROOT / "docs" / "reference" / "config.md"
# (title, task, golden spec without its backend): the canonical specs of golden/specs/,
# one per task, every optional feature of the task on.
PROJECTS = [
    ("Classification", "classification", "resnet18-digits"),
    ("Segmentation", "segmentation", "unet-digit-canvas"),
    ("Detection", "detection", "yolov5n-digit-canvas"),
    ("Instance segmentation", "instance_segmentation", "maskrcnn-digit-canvas"),
]
BACKENDS = ("lightning", "paddle")
GOLDEN_SPECS = ROOT / "golden" / "specs"


def spec_names() -> list[str]:
    """The golden specs the page is made from (Lightning and, where it exists, Paddle)."""
    return [
        f"{backend}-{slug}"
        for _, _, slug in PROJECTS
        for backend in BACKENDS
        if (GOLDEN_SPECS / f"{backend}-{slug}.yaml").is_file()
    ]


def render_spec(name: str, out: Path) -> Path:
    """What gen new emits for golden/specs/<name>.yaml (as test_golden renders it)."""
    from onefit.answers import answers_for
    from onefit.render import render
    from onefit.source import Source
    from onefit.spec_input import load_spec

    source = Source("<onefit git repository>", "<release tag>", dirty=False)
    spec = load_spec(GOLDEN_SPECS / f"{name}.yaml", {})
    render(answers_for(spec), out / name, source, overwrite=False)
    return out / name


def schema_classes(project: Path) -> dict[str, dict]:
    """Each dataclass of the project's config schemas: its docstring, its base and its
    fields as {name: (type, comment)}, in file order."""
    classes = {}
    paths = sorted(project.glob("*/config/*schema.py"))
    for path in sorted(paths, key=lambda p: p.name != "schema.py"):  # the core first
        text = path.read_text()
        comments = {
            token.start[0]: token.string.lstrip("# ").strip()
            for token in tokenize.generate_tokens(io.StringIO(text).readline)
            if token.type == tokenize.COMMENT
        }
        for node in ast.parse(text).body:
            if not isinstance(node, ast.ClassDef):
                continue
            fields = {
                item.target.id: (
                    ast.unparse(item.annotation),
                    comments.get(item.lineno, ""),
                )
                for item in node.body
                if isinstance(item, ast.AnnAssign)
            }
            classes[node.name] = {
                "doc": " ".join((ast.get_docstring(node) or "").split()),
                "base": ast.unparse(node.bases[0]) if node.bases else "",
                "fields": fields,
                "file": f"config/{path.name}",
            }
    return classes


def yaml_comments(path: Path) -> dict[str, str]:
    """The comment beside each key of a YAML file, by dotted key; a comment line right
        under it, at the key's indentation and in lower case, carries it on (a capital starts
    the comment above the next key)."""
    found, stack, last = {}, [], None
    for line in path.read_text().splitlines():
        body = line.split(" #")[0].rstrip()
        indent = len(line) - len(line.lstrip())
        text = line.strip().lstrip("# ").strip()
        continued = line.lstrip().startswith("#") and last and last[1] == indent
        # a comment line carries on the key above; one that starts a sentence is the next key's
        if continued and text and (text[0].islower() or text[0] == "("):
            found[last[0]] += " " + text
            continue
        last = None
        if not body.strip() or body.lstrip().startswith(("#", "-")) or ":" not in body:
            continue
        stack = [*stack[: indent // 2], body.strip().split(":")[0]]
        if " # " in line:
            last = (".".join(stack), indent)
            found[last[0]] = line.split(" # ", 1)[1].strip()
    return found


def flat(values, prefix: str = "") -> dict[str, object]:
    """{"a": {"b": 1}} -> {"a.b": 1}; lists and empty mappings stay values."""
    if not isinstance(values, dict) or not values:
        return {prefix: values}
    out = {}
    for key, value in values.items():
        out.update(flat(value, f"{prefix}.{key}" if prefix else str(key)))
    return out


def shown(value) -> str:
    text = yaml.safe_dump(value, default_flow_style=True, width=10**6).strip()
    text = text.removesuffix("...").strip()
    return "`" + text.replace("|", "\\|") + "`"


def cell(text: str) -> str:
    return text.replace("|", "\\|")


def section_names(classes: dict[str, dict]) -> dict[str, str]:
    """Class name -> the prefix of its keys: a class held in a field of another lives
    under that field (`data.`, `hpo.sampler.`), a subclass where its base does, and a
    class nothing holds (Config, a feature script's own file) at the top ('')."""
    held = {
        type_: (owner, name)
        for owner, info in classes.items()
        for name, (type_, _) in info["fields"].items()
        if type_ in classes
    }

    def prefix(name: str, seen: frozenset = frozenset()) -> str:
        if name in seen:
            return ""
        if name in held:
            owner, field_name = held[name]
            return f"{prefix(owner, seen | {name})}{field_name}."
        base = classes[name]["base"]
        return prefix(base, seen | {name}) if base in classes else ""

    return {name: prefix(name) for name in classes}


def keys_tables(classes: dict, twin: dict | None, shown_before: dict) -> list[str]:
    """One table per schema class, but those shown_before as they are here; the type
    says so where the Paddle twin's differs."""
    where = section_names(classes)
    lines = []
    for name, info in classes.items():
        if shown_before.get(name) == info:
            continue
        prefix = where[name]
        base = f" (adds to {info['base']})" if info["base"] in classes else ""
        lines += [f"#### `{name}`{base}", ""]
        if info["doc"]:
            lines += [info["doc"], ""]
        lines += [f"From `{info['file']}`.", ""]
        lines += ["| key | type | meaning |", "|---|---|---|"]
        for key, (type_, comment) in info["fields"].items():
            theirs = (twin or {}).get(name, {}).get("fields", {}).get(key)
            if twin is not None and theirs is None:
                type_ = f"{type_} (Lightning only)"
            elif theirs and theirs[0] != type_:
                type_ = f"Lightning: {type_}; Paddle: {theirs[0]}"
            lines.append(f"| `{prefix}{key}` | `{cell(type_)}` | {cell(comment)} |")
        lines.append("")
    return lines


def option_values(project: Path) -> dict[str, dict[str, dict]]:
    """configs/<group>/<option>.yaml -> its flattened values, by group then option
    (configs/config.yaml: group "." option "config")."""
    groups: dict[str, dict[str, dict]] = {}
    configs = project / "configs"
    for path in sorted(configs.rglob("*.yaml")):
        group = str(path.parent.relative_to(configs))
        loaded = yaml.safe_load(path.read_text()) or {}
        groups.setdefault(group, {})[path.stem] = flat(loaded)
    return groups


def yaml_notes(project: Path) -> dict[str, str]:
    """The comment beside each key of every configs/ file, by "group/option:key"."""
    configs = project / "configs"
    found = {}
    for path in sorted(configs.rglob("*.yaml")):
        group = str(path.parent.relative_to(configs))
        for key, comment in yaml_comments(path).items():
            found[f"{group}/{path.stem}:{key}"] = comment
    return found


def values_tables(project: Path, twin: Path | None, shown_before: dict) -> list:
    """One table per config group: each option's values (but options shown_before with
    the same values on both twins), noting the Paddle twin's where they differ."""
    mine, notes = option_values(project), yaml_notes(project)
    theirs_all = option_values(twin) if twin else None
    lines = []
    for group, options in mine.items():
        rows = []
        for option, values in options.items():
            theirs = (theirs_all or {}).get(group, {}).get(option)
            before = shown_before.get((group, option))
            if before and before[0] == values and (twin is None or before[1] == theirs):
                continue
            shown_before[group, option] = (values, theirs)
            for key, value in values.items():
                note = notes.get(f"{group}/{option}:{key}", "")
                if theirs_all is not None and (theirs is None or key not in theirs):
                    note = f"Lightning only. {note}"
                elif theirs is not None and theirs[key] != value:
                    note = f"Paddle: {shown(theirs[key])}. {note}"
                rows.append(
                    f"| `{option}` | `{key}` | {shown(value)} | {cell(note.strip())} |"
                )
            for key in sorted(set(theirs or {}) - set(values)):
                rows.append(
                    f"| `{option}` | `{key}` | {shown(theirs[key])} | Paddle only |"
                )
        if rows:
            title = "configs/config.yaml" if group == "." else f"configs/{group}/"
            lines += [f"#### `{title}`", "", "| option | key | value | note |"]
            lines += ["|---|---|---|---|", *rows, ""]
    return lines


def generate(project_of) -> str:
    """The page, from project_of(spec name) -> that spec's rendered project."""
    lines = [
        "# Config reference",
        "",
        "<!-- generated by docs/tools/config_reference.py from the projects gen new",
        "emits; do not edit: run `python docs/tools/config_reference.py` -->",
        "",
        "Every key an emitted project's `train.py` (and `export.py`, `serve.py`,",
        "`tune.py`) accepts, with its type, and every value `configs/` sets, per task,",
        "as `gen new` emits them with every optional feature on. The types come from",
        "`<package>/config/*schema.py` (types only: OmegaConf refuses other keys and",
        "types), the values from `configs/` (the one home of every default). Where the",
        "Paddle twin differs, the row says so. Set a key with `key=value`, pick an",
        "option with `group=option` ([the generated project](../emitted-project.md)).",
        "Each task after the first lists only what differs from those before it.",
        "",
    ]
    classes_before: dict = {}
    values_before: dict = {}
    for title, _, slug in PROJECTS:
        mine = project_of(f"lightning-{slug}")
        paddle = f"paddle-{slug}"
        twin = project_of(paddle) if paddle in spec_names() else None
        classes = schema_classes(mine)
        lines += [f"## {title}", ""]
        if twin is None:
            lines += [f"{title} is Lightning only.", ""]
        tables = keys_tables(
            classes, schema_classes(twin) if twin else None, classes_before
        )
        unchanged = ["The keys of the tasks above, unchanged.", ""]
        lines += ["### Keys", "", *(tables or unchanged)]
        classes_before.update(classes)
        lines += ["### Values in configs/", ""]
        lines += values_tables(mine, twin, values_before)
    return "\n".join(lines).rstrip() + "\n"


if __name__ == "__main__":
    with tempfile.TemporaryDirectory() as scratch:
        fresh = generate(lambda name: render_spec(name, Path(scratch)))
    if "--check" in sys.argv[1:]:
        sys.exit(0 if PAGE.read_text() == fresh else 1)
    PAGE.write_text(fresh)
