"""Copy the pinned widget JavaScript and its fonts from tools/vendor/node_modules into vendor/.

Run by `make vendor` after `npm ci`. The copied files are committed, so building the book needs
neither npm nor a network; vendor/MANIFEST.json records versions and SHA-256 digests, which the
test suite checks.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
MODULES = HERE / "node_modules"
OUT = ROOT / "vendor" / "widgets"
FONT_SUFFIXES = (".woff2", ".woff", ".ttf", ".eot", ".svg")
# The bundles resolve their fonts next to their RequireJS module URLs (see widgets-config.js):
# "@jupyter-widgets/html-manager" and ".../html-manager/dist/libembed-amd".
FONT_DIRS = ("@jupyter-widgets", "@jupyter-widgets/html-manager/dist")


def _version(package: str) -> str:
    return json.loads((MODULES / package / "package.json").read_text())["version"]


def main() -> None:
    dist = MODULES / "@jupyter-widgets" / "html-manager" / "dist"
    OUT.mkdir(parents=True, exist_ok=True)
    shutil.copy2(MODULES / "requirejs" / "require.js", OUT / "require.js")
    shutil.copy2(dist / "embed-amd.js", OUT / "embed-amd.js")
    for sub in FONT_DIRS:
        target = OUT / sub
        target.mkdir(parents=True, exist_ok=True)
        for font in sorted(dist.iterdir()):
            if font.suffix in FONT_SUFFIXES:
                shutil.copy2(font, target / font.name)
    files = {
        str(p.relative_to(OUT)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(OUT.rglob("*"))
        if p.is_file()
    }
    manifest = {
        "packages": {
            "@jupyter-widgets/html-manager": _version("@jupyter-widgets/html-manager"),
            "requirejs": _version("requirejs"),
        },
        "sha256": files,
    }
    (ROOT / "vendor" / "MANIFEST.json").write_text(json.dumps(manifest, indent=2) + "\n")
    print(f"copied {len(files)} files into {OUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
