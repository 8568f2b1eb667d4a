"""``python -m cmethics.corpus``: rebuild the tables (``make data``) with :mod:`cmethics.build`."""

from cmethics.build import main

if __name__ == "__main__":
    raise SystemExit(main())
