"""--print-config: the composed config as YAML, each value followed by where it came
from (the file, the experiment's stage, or the command-line argument that set it last).

    trainer:
      max_epochs: 3  # command line: trainer.max_epochs=3
      devices: auto  # configs/env/cluster.yaml
"""

import yaml
from omegaconf import DictConfig, OmegaConf

COLUMN = 40  # where the comments start, unless a line is longer


def annotated_yaml(cfg: DictConfig, steps: list) -> str:
    """`cfg` resolved, as YAML with a comment per value naming the step that set it."""
    origin = {}
    for where, node in steps:  # later steps win, as they did when merged
        values = OmegaConf.to_container(OmegaConf.create(node), resolve=False)
        for key in leaves(values):
            origin[key] = shown(where)
    lines = []
    write(OmegaConf.to_container(cfg, resolve=True), origin, "", 0, lines)
    width = min(COLUMN, max(len(line) for line, _ in lines))
    return "".join(
        f"{line:<{width}}  # {where}\n" if where else f"{line}\n"
        for line, where in lines
    )


def write(node: dict, origin: dict, prefix: str, depth: int, lines: list) -> None:
    """Append a (YAML line, source) pair per key of `node`, nested `depth` deep."""
    for key, value in node.items():
        path, indent = f"{prefix}{key}", "  " * depth
        if isinstance(value, dict) and value:
            lines.append((f"{indent}{key}:", ""))
            write(value, origin, f"{path}.", depth + 1, lines)
            continue
        where = origin.get(path) or next(
            (origin[k] for k in origin if k.startswith(f"{path}.")), ""
        )
        if isinstance(value, list) and any(isinstance(v, dict) for v in value):
            lines.append((f"{indent}{key}:", where))  # e.g. stages: one item a line
            text = yaml.safe_dump(value, sort_keys=False, width=10**6)
            lines += [(f"{indent}  {line}", "") for line in text.splitlines()]
            continue
        text = yaml.safe_dump([value], default_flow_style=True, width=10**6)
        lines.append((f"{indent}{key}: {text.strip()[1:-1]}", where))


def leaves(node, prefix: str = "") -> list[str]:
    """The dotted keys of the values in `node`; a list is one value."""
    if not isinstance(node, dict) or not node:
        return [prefix.removesuffix(".")]
    return [key for k, v in node.items() for key in leaves(v, f"{prefix}{k}.")]


def shown(where: str) -> str:
    """'in the argument 'a=1'' -> 'command line: a=1'; 'in configs/x.yaml' -> the file."""
    where = where.removeprefix("in ")
    if where.startswith("the argument '"):
        return f"command line: {where.removeprefix('the argument ').strip(chr(39))}"
    return where
