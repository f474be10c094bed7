"""The reference for the whole-process speed comparison: Drain3 with its example masking,
reading plain text and writing one JSON line per input line, as ``log-gardener templates`` does.

    python bench/drain3_templates.py FILE > OUT
"""

from __future__ import annotations

import sys

import orjson
from drain3 import TemplateMiner

from loghub import drain3_masked_config


def main(path: str) -> int:
    miner = TemplateMiner(persistence_handler=None, config=drain3_masked_config())
    add = miner.add_log_message
    with open(path, "rb") as fh:
        ids = [add(raw.decode("utf-8", errors="replace").rstrip("\r\n"))["cluster_id"] for raw in fh]
    final = {c.cluster_id: c.get_template() for c in miner.drain.clusters}  # templates after the last line
    out = sys.stdout.buffer
    for n, cid in enumerate(ids, 1):
        out.write(orjson.dumps({"line": n, "cluster": cid, "template": final[cid]}) + b"\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
