"""Write the README's table of error codes from the catalogue (kpicheck.messages).

    .venv/bin/python scripts/error_catalogue.py            # rewrite the table in README.md
    .venv/bin/python scripts/error_catalogue.py --print    # print it

Run it after adding or changing a code; tests/test_errors.py fails while the
README and the catalogue differ.
"""

from __future__ import annotations

import sys
from pathlib import Path

from kpicheck.messages import BEGIN, END, markdown_table, readme_block

README = Path(__file__).resolve().parent.parent / "README.md"


def main(argv: list[str]) -> None:
    if argv == ["--print"]:
        print(markdown_table(), end="")
        return
    text = README.read_text(encoding="utf-8")
    head, rest = text.split(BEGIN, 1)
    README.write_text(head + BEGIN + readme_block() + END + rest.split(END, 1)[1], encoding="utf-8")


if __name__ == "__main__":
    main(sys.argv[1:])
