#!/usr/bin/env python
"""Same as the `congdoan` command, for those used to manage.py."""

from congdoan.cli import main

if __name__ == "__main__":
    main()
