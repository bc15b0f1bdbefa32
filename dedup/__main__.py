"""`python -m dedup ...`: the same CLI as the `dedup` command (for environments without its script)."""

from dedup.cli import main

if __name__ == "__main__":
    main()
